/**
 * `integrations.network` in the operator file: the HLR/HSS or provisioning gateway the barring step calls.
 *
 *   kind: builtin            the built-in record (the default, also when the key is absent)
 *   kind: http               a gateway over HTTP: url, method, headers, body {format, template}, success,
 *                            timeoutMs, concurrency, attempts, retryDelayMs, retryRefused, tls {cert, key, ca}
 *
 * Everything is checked at start-up, templates included (rendered once with sample values and parsed as JSON or
 * XML), so a typo stops start-up naming its key rather than failing the first order. SIMEXIT_HLR_URL still works
 * (the fixed request it always sent, `envGateway`); giving both is refused, so one place names the gateway.
 */
import { Type as T } from '@sinclair/typebox';
import { XMLValidator } from 'fast-xml-parser';
import type { GatewayConfig, GatewayHeader } from '../../adapters/network/http-gateway.ts';
import { envGateway, type NetworkConfig, type NetworkSettings } from '../../adapters/network/select.ts';
import { escapers, PLACEHOLDERS, renderTemplate, type TemplateValues, unknownPlaceholders } from '../../adapters/network/template.ts';
import { AppError } from '../../domain/errors.ts';
import { configProblem, type IntegrationsSection, integrationPart, SecretRef, secretValue } from '../integrations.ts';

const HeaderValue = T.Union([T.String(), SecretRef, T.Object({ secret: SecretRef, prefix: T.Optional(T.String()) }, { additionalProperties: false })]);

/** Choices are plain strings here and checked below, so a wrong one is named with what was expected. */
export const NetworkPartSchema = T.Object(
  {
    kind: T.String(),
    url: T.Optional(T.String({ minLength: 1 })),
    method: T.Optional(T.String()),
    headers: T.Optional(T.Record(T.String(), HeaderValue)),
    body: T.Optional(T.Object({ format: T.String(), template: T.String({ minLength: 1 }) }, { additionalProperties: false })),
    success: T.Optional(
      T.Object(
        { path: T.Optional(T.String({ minLength: 1 })), equals: T.Optional(T.Union([T.String(), T.Number(), T.Boolean()])), reasonPath: T.Optional(T.String({ minLength: 1 })) },
        { additionalProperties: false },
      ),
    ),
    timeoutMs: T.Optional(T.Integer({ minimum: 100, maximum: 600_000 })),
    concurrency: T.Optional(T.Integer({ minimum: 1, maximum: 256 })),
    attempts: T.Optional(T.Integer({ minimum: 1, maximum: 10 })),
    retryDelayMs: T.Optional(T.Integer({ minimum: 0, maximum: 60_000 })),
    retryRefused: T.Optional(T.Boolean()),
    tls: T.Optional(T.Object({ cert: T.Optional(SecretRef), key: T.Optional(SecretRef), ca: T.Optional(SecretRef) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const KEY = 'integrations.network';
const METHODS = ['POST', 'PUT', 'PATCH'] as const;
// Values only a JSON string or XML text can hold (a quote, a space, a letter), so a placeholder written outside
// quotes (`"msisdn": {{msisdn}}`) fails here, not on the first number with a `+`.
const SAMPLE: TemplateValues = { msisdn: '+7 "999"', iccid: 'x<&>"', key: 'ORDER:network.bar', at: '2026-01-01T00:00:00.000Z' };
const placeholderList = PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ');

/**
 * The network adapter's settings from the operator file's section and the SIMEXIT_HLR_* variables. Every problem
 * found is reported in one CONFIG_INVALID, each naming its key and what was expected.
 */
export function networkSettingsOf(section: IntegrationsSection, fromEnv: NetworkConfig, processEnv: NodeJS.ProcessEnv = process.env, leaseSeconds?: number): NetworkSettings {
  const part = integrationPart(section, 'network', NetworkPartSchema);
  if (part && fromEnv.hlrUrl) configProblem('SIMEXIT_HLR_URL', `to be unset when ${KEY} is given (one place names the gateway)`, fromEnv.hlrUrl);
  if (!part) return fromEnv.hlrUrl ? { kind: 'http', gateway: envGateway({ ...fromEnv, hlrUrl: fromEnv.hlrUrl }) } : { kind: 'builtin' };
  const problems: string[] = [];
  const problem = (key: string, expected: string, found?: unknown) => {
    problems.push(`${KEY}${key}: expected ${expected} (found ${found === undefined ? 'nothing' : JSON.stringify(found)})`);
  };
  if (part.kind === 'builtin') {
    const extra = Object.keys(part).filter((k) => k !== 'kind');
    if (extra.length > 0) problem('', 'no other settings with kind builtin', extra);
    return finish(problems, { kind: 'builtin' });
  }
  if (part.kind !== 'http') {
    problem('.kind', 'builtin or http', part.kind);
    return finish(problems, { kind: 'builtin' });
  }

  const url = part.url ?? '';
  if (unknownPlaceholders(url).length > 0) problem('.url', `only the placeholders ${placeholderList}`, unknownPlaceholders(url));
  else if (!isHttpUrl(renderTemplate(url, SAMPLE, escapers.url))) problem('.url', 'an address starting with http:// or https://', part.url);
  const method = (part.method ?? 'POST').toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) problem('.method', METHODS.join(', '), part.method);

  const headers: Record<string, GatewayHeader> = {};
  for (const [name, value] of Object.entries(part.headers ?? {})) {
    const key = `${KEY}.headers.${name}`;
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) problem(`.headers`, 'header names of letters, digits and -', name);
    else if (['content-length', 'host'].includes(name.toLowerCase())) problem(`.headers.${name}`, 'a header simexit does not set itself', name);
    else if (typeof value === 'string') {
      if (unknownPlaceholders(value).length > 0) problem(`.headers.${name}`, `only the placeholders ${placeholderList}`, unknownPlaceholders(value));
      else headers[name] = { template: value };
    } else {
      const read = collect(problems, () => ('secret' in value ? `${value.prefix ?? ''}${secretValue(value.secret, key, processEnv)}` : secretValue(value, key, processEnv)));
      if (read !== undefined) headers[name] = { literal: read };
    }
  }

  const format = part.body?.format;
  const template = part.body?.template ?? '';
  if (!part.body) problem('.body', 'a body with format (json or soap) and template');
  else if (format !== 'json' && format !== 'soap') problem('.body.format', 'json or soap', format);
  else if (unknownPlaceholders(template).length > 0) problem('.body.template', `only the placeholders ${placeholderList}`, unknownPlaceholders(template));
  else {
    const sample = renderTemplate(template, SAMPLE, format === 'json' ? escapers.json : escapers.soap);
    const bad = format === 'json' ? jsonProblem(sample) : xmlProblem(sample);
    if (bad) problem('.body.template', format === 'json' ? 'a JSON document once the placeholders are filled' : 'an XML document (a SOAP envelope) once the placeholders are filled', bad);
  }

  // The worker's lease must outlast one order's tries, or another worker claims the order while it is being barred.
  const budget = (part.attempts ?? 2) * (part.timeoutMs ?? 5000) + ((part.attempts ?? 2) - 1) * (part.retryDelayMs ?? 250);
  if (leaseSeconds !== undefined && budget > (leaseSeconds * 1000) / 2) problem('.timeoutMs', `attempts × timeoutMs well inside worker.leaseSeconds (${leaseSeconds} s): at most half of it`, budget);

  const success = part.success ?? {};
  if ((success.path === undefined) !== (success.equals === undefined)) problem('.success', 'path and equals together (the value at path that means done)', success);

  let tls: GatewayConfig['tls'];
  if (part.tls) {
    if (!url.startsWith('https:')) problem('.tls', 'an https:// url (client certificates are sent over TLS only)', part.url);
    if ((part.tls.cert === undefined) !== (part.tls.key === undefined)) problem('.tls', 'cert and key together', Object.keys(part.tls));
    const pem = (name: 'cert' | 'key' | 'ca') => {
      const ref = part.tls?.[name];
      return ref ? collect(problems, () => secretValue(ref, `${KEY}.tls.${name}`, processEnv)) : undefined;
    };
    tls = { cert: pem('cert'), key: pem('key'), ca: pem('ca') };
  }

  return finish(problems, {
    kind: 'http',
    gateway: {
      url,
      method: method as GatewayConfig['method'],
      headers,
      format: format === 'soap' ? 'soap' : 'json',
      template,
      success: { path: success.path, equals: success.equals === undefined ? undefined : String(success.equals), reasonPath: success.reasonPath },
      timeoutMs: part.timeoutMs ?? 5000,
      concurrency: part.concurrency ?? 8,
      attempts: part.attempts ?? 2,
      retryDelayMs: part.retryDelayMs ?? 250,
      retryRefused: part.retryRefused ?? false,
      tls,
    },
  });
}

const isHttpUrl = (value: string): boolean => {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function xmlProblem(text: string): string | undefined {
  const verdict = XMLValidator.validate(text.trim());
  return verdict === true ? undefined : `line ${verdict.err.line}: ${verdict.err.msg}`;
}

/** A secret that cannot be read is one more problem of the list, not the end of the checking. */
function collect<T>(problems: string[], read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONFIG_INVALID') {
      problems.push(String(e.details.reason));
      return undefined;
    }
    throw e;
  }
}

function finish(problems: readonly string[], settings: NetworkSettings): NetworkSettings {
  if (problems.length > 0) throw new AppError('CONFIG_INVALID', { reason: problems.join('\n  - ') });
  return settings;
}
