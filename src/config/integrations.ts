/**
 * The operator file's `integrations:` section: which adapter each system outside simexit uses (SM-DP+, HLR or
 * provisioning gateway, event sinks, an external identity provider) and how it is reached. Absent parts keep the
 * built-in adapters, so `npm start` needs none of it.
 *
 * The section travels inside the policy `loadPolicy` already read (`policy.integrations`); each part is validated
 * by its own TypeBox schema (`config/integrations/*.ts`), and a problem names the key (`integrations.esim.url`)
 * and what was expected. Secrets never sit in the file: a secret key takes `{ env: NAME }` or `{ file: PATH }`.
 */
import { readFileSync } from 'node:fs';
import type { Static, TSchema } from '@sinclair/typebox';
import { Type as T } from '@sinclair/typebox';
import { AppError } from '../domain/errors.ts';
import { schemaProblems } from './load-config.ts';

/** The `integrations:` section as read from the file, each part still unvalidated. */
export type IntegrationsSection = Readonly<Record<string, unknown>>;

/** The parts the section may have, one per system outside simexit. */
export const INTEGRATION_PARTS = ['network', 'esim', 'events', 'oidc'] as const;

/**
 * The section from the policy's `integrations` key; none when the file has no such key. A part of another name
 * (`esims`, `hlr`) stops start-up: ignored, it would leave the built-in adapter running where the operator meant
 * a real one.
 */
export function integrationsOf(section: unknown): IntegrationsSection {
  if (section === undefined || section === null) return {};
  if (typeof section !== 'object' || Array.isArray(section)) configProblem('integrations', 'a mapping of adapter settings', section);
  const unknown = Object.keys(section).filter((k) => !(INTEGRATION_PARTS as readonly string[]).includes(k));
  if (unknown.length > 0) configProblem(`integrations.${unknown[0]}`, `one of the parts ${INTEGRATION_PARTS.join(', ')}`, unknown);
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
  const problems = schemaProblems(schema, raw, `integrations.${name}`);
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
  let value: string;
  try {
    value = readFileSync(ref.file, 'utf8').replace(/[\r\n]+$/, '');
  } catch (e) {
    return configProblem(key, `a readable file ${ref.file}`, (e as Error).message);
  }
  if (value === '') configProblem(key, `a secret in ${ref.file}`, '');
  return value;
}
