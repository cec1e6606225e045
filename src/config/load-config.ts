import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { AppError } from '../domain/errors.ts';
import { type Policy, type PolicyFile, PolicySchema } from '../domain/policy.ts';
import { isValidTimeZone } from '../domain/time.ts';

export const DEFAULT_CONFIG = new URL('../../config/default.yaml', import.meta.url);
/** The market presets: every file here must say where its figures come from (`sources`). */
export const PRESETS_FOLDER = new URL('../../config/presets/', import.meta.url);

/** A market preset by name (`france`, `usa`, …), validated as a preset. */
export const presetFile = (market: string): URL => new URL(`${market}.yaml`, PRESETS_FOLDER);

const isPresetPath = (path: string | URL): boolean => {
  const file = resolve(path instanceof URL ? fileURLToPath(path) : path);
  return file.startsWith(resolve(fileURLToPath(PRESETS_FOLDER)) + sep);
};

/** Where `operator.siteUrl` comes from besides the policy file. */
export interface SiteUrlSource {
  /** `SIMEXIT_SITE_URL`: wins over the file. */
  readonly override?: string | undefined;
  /** Used when neither the variable nor the file sets it: demo mode's, replaced by the address served once listening. */
  readonly fallback?: string | undefined;
}

/** Demo mode's site address until the server knows the one it serves. */
export const DEMO_SITE_URL = 'http://localhost:8080';

const defaultedSite = new WeakSet<Policy>();

/** Whether this policy's `operator.siteUrl` is the fallback, so the server may set it to the address it serves. */
export const siteUrlFollowsServer = (policy: Policy): boolean => defaultedSite.has(policy);

/**
 * Reads and validates the operator's policy. A bad file stops start-up with
 * one message per problem, each naming the key and what was expected.
 */
export function loadPolicy(path: string | URL = DEFAULT_CONFIG, site: SiteUrlSource = {}): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('CONFIG_INVALID', { reason: `cannot read ${String(path)}: ${(e as Error).message}` });
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new AppError('CONFIG_INVALID', { reason: `${String(path)} is not valid YAML: ${(e as Error).message}` });
  }
  return validatePolicy(data, String(path), site, { preset: isPresetPath(path) });
}

/**
 * What a preset must have besides a valid policy: its sources, one of them for the quarantine it sets. Each
 * problem names the key and what was expected, like the schema's.
 */
function presetProblems(data: unknown): string[] {
  const sources = (data as { sources?: unknown } | null)?.sources;
  if (sources === undefined) {
    return ['sources: a preset must name the documents its figures come from: a list of { covers: [policy keys], document, url, confidence: checked | unconfirmed } (found nothing)'];
  }
  if (!Array.isArray(sources)) return [];
  const covered = sources.flatMap((s: { covers?: unknown }) => (Array.isArray(s?.covers) ? s.covers : []));
  return covered.some((k) => k === 'quarantine' || k === 'quarantine.days')
    ? []
    : [`sources: one source must cover quarantine.days, the figure every preset sets (found covers ${JSON.stringify(covered)})`];
}

const isSiteUrl = (text: string): boolean => {
  if (!/^https?:\/\/[^/]/.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
};

/** Each way `data` fails `schema`, as `key.path: message (found value)`; the key starts with `prefix` when given. */
export function schemaProblems(schema: TSchema, data: unknown, prefix?: string): string[] {
  return [...Value.Errors(schema, data)].map((e) => {
    const key = [...(prefix ? [prefix] : []), ...e.path.split('/').filter(Boolean)].join('.') || '(root)';
    const found = e.value === undefined ? 'nothing' : JSON.stringify(e.value);
    return `${key}: ${e.message} (found ${found})`;
  });
}

export function validatePolicy(data: unknown, source = 'configuration', site: SiteUrlSource = {}, options: { preset?: boolean } = {}): Policy {
  const problems = schemaProblems(PolicySchema, data);
  if (options.preset) problems.push(...presetProblems(data));
  const file = data as PolicyFile;
  const siteUrl = site.override ?? file?.operator?.siteUrl ?? site.fallback;
  const policy = { ...file, operator: { ...file?.operator, siteUrl: siteUrl ?? '' } } as Policy;
  if (site.override !== undefined && !isSiteUrl(site.override)) {
    problems.push(`SIMEXIT_SITE_URL: must be an address starting with http:// or https:// (found ${JSON.stringify(site.override)})`);
  } else if (siteUrl === undefined) {
    problems.push(
      `operator.siteUrl: not set. It is the address subscribers open (every SMS, e-mail, QR code, TMF href and the "our only site is …" notice names it): set operator.siteUrl in ${source} or SIMEXIT_SITE_URL, e.g. https://selfcare.example.ru (only demo mode defaults it to the address it serves)`,
    );
  }
  if (problems.length === 0) {
    if (!isValidTimeZone(policy.operator.timezone)) problems.push(`operator.timezone: not a known IANA time zone (found "${policy.operator.timezone}")`);
    if (!policy.languages.includes(policy.defaultLanguage)) problems.push(`defaultLanguage: must be one of languages (found "${policy.defaultLanguage}")`);
    if (policy.worker.backoffMaxSeconds < policy.worker.backoffBaseSeconds) problems.push('worker.backoffMaxSeconds: must not be below backoffBaseSeconds');
  }
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', { reason: `${source}:\n  ${problems.slice(0, 20).join('\n  ')}` });
  }
  if (site.override === undefined && file.operator.siteUrl === undefined) defaultedSite.add(policy);
  return policy;
}
