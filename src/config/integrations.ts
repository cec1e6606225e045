/**
 * The operator file's `integrations:` section: which adapter each system outside simexit uses (SM-DP+, HLR or
 * provisioning gateway, event sinks, an external identity provider) and how it is reached. Absent parts keep the
 * built-in adapters, so `npm start` needs none of it.
 *
 * Each part is validated by its own TypeBox schema (`config/integrations/*.ts`); a problem names the key
 * (`integrations.esim.url`) and what was expected, and every problem of the file is reported at once with the
 * rest of start-up's. Secrets never sit in the file: a secret key takes `{ env: NAME }` or `{ file: PATH }`.
 */
import { readFileSync } from 'node:fs';
import type { TSchema, Static } from '@sinclair/typebox';
import { Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { AppError } from '../domain/errors.ts';
import { DEFAULT_CONFIG } from './load-config.ts';

/** The `integrations:` section as read from the file, each part still unvalidated. */
export type IntegrationsSection = Readonly<Record<string, unknown>>;

/** Reads the section from the operator file (SIMEXIT_CONFIG or the default); none when the file has no such key. */
export function readIntegrations(configFile: string | URL | undefined = DEFAULT_CONFIG): IntegrationsSection {
  let data: unknown;
  try {
    data = parse(readFileSync(configFile ?? DEFAULT_CONFIG, 'utf8'));
  } catch (e) {
    // loadPolicy reports an unreadable or malformed file with the same start-up; nothing more to say here.
    void e;
    return {};
  }
  const section = (data as { integrations?: unknown } | null)?.integrations;
  if (section === undefined || section === null) return {};
  if (typeof section !== 'object' || Array.isArray(section)) configProblem('integrations', 'a mapping of adapter settings', section);
  return section as IntegrationsSection;
}

/** A secret as the file names it: an environment variable or a file (Docker and Kubernetes secrets). */
export const SecretRef = T.Union([
  T.Object({ env: T.String({ pattern: '^[A-Z_][A-Z0-9_]*$' }) }, { additionalProperties: false }),
  T.Object({ file: T.String({ minLength: 1 }) }, { additionalProperties: false }),
]);
export type SecretRef = Static<typeof SecretRef>;

/** Throws CONFIG_INVALID naming the key, what was expected and what was found. */
export function configProblem(key: string, expected: string, found?: unknown): never {
  const shown = found === undefined ? 'nothing' : JSON.stringify(found);
  throw new AppError('CONFIG_INVALID', { reason: `${key}: expected ${expected} (found ${shown})` });
}

/**
 * Validates one part of the section (`integrations.<name>`) against its schema and returns it typed. Every
 * problem of the part is reported in one CONFIG_INVALID, each as `integrations.<name>.<path>: <message>`.
 */
export function integrationPart<S extends TSchema>(section: IntegrationsSection, name: string, schema: S): Static<S> | undefined {
  const raw = section[name];
  if (raw === undefined || raw === null) return undefined;
  const problems = [...Value.Errors(schema, raw)].map((e) => {
    const key = [`integrations.${name}`, ...e.path.split('/').filter(Boolean)].join('.');
    const found = e.value === undefined ? 'nothing' : JSON.stringify(e.value);
    return `${key}: ${e.message} (found ${found})`;
  });
  if (problems.length > 0) throw new AppError('CONFIG_INVALID', { reason: problems.slice(0, 10).join('\n  - ') });
  return raw as Static<S>;
}

/**
 * Reads a secret at start-up. A missing variable or an unreadable file stops start-up, naming the key that asked
 * for it; trailing newlines of a file are dropped (editors and `echo` add one).
 */
export function secretValue(ref: SecretRef, key: string, env: NodeJS.ProcessEnv = process.env): string {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value === '') configProblem(key, `the environment variable ${ref.env} to be set`);
    return value;
  }
  try {
    const value = readFileSync(ref.file, 'utf8').replace(/[\r\n]+$/, '');
    if (value === '') configProblem(key, `a secret in ${ref.file}`, '');
    return value;
  } catch (e) {
    if (e instanceof AppError) throw e;
    return configProblem(key, `a readable file ${ref.file}`, (e as Error).message);
  }
}

/** Reads a PEM or other file named by the configuration (certificates, keys), naming the key when it cannot. */
export function configFile(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    return configProblem(key, `a readable file ${path}`, (e as Error).message);
  }
}
