import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../domain/errors.ts';
import type { Environment } from './env.ts';

/**
 * Keys that must differ between installations: with the source public, a
 * constant would let anyone compute document hashes or every reference.
 */
export interface InstallationSecrets {
  /** HMAC key for identity document numbers. */
  readonly documentKey: string;
  /** Key of the permutation that turns order sequence numbers into references. */
  readonly referenceKey: string;
}

const MIN_LENGTH = 16;
const VARIABLES = { documentKey: 'SIMEXIT_DOCUMENT_KEY', referenceKey: 'SIMEXIT_REFERENCE_KEY' } as const;

/**
 * Outside demo mode every secret comes from the environment and a missing or
 * short one stops start-up naming the variable. In demo mode a missing one is
 * generated once and kept in `<data>/keys/installation-secrets.json`, so the
 * demo store stays consistent across restarts.
 */
export function loadInstallationSecrets(env: Environment): InstallationSecrets {
  const given = { documentKey: env.documentKey, referenceKey: env.referenceKey };
  const file = join(env.keysDir, 'installation-secrets.json');
  let kept: Partial<InstallationSecrets> = {};
  if (env.demo && existsSync(file)) kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<InstallationSecrets>;
  const result: Record<keyof InstallationSecrets, string> = { documentKey: '', referenceKey: '' };
  const problems: string[] = [];
  let generated = false;
  for (const name of Object.keys(VARIABLES) as (keyof InstallationSecrets)[]) {
    const value = given[name] ?? kept[name];
    if (value !== undefined) {
      if (value.length < MIN_LENGTH) problems.push(`${VARIABLES[name]} must be at least ${MIN_LENGTH} characters`);
      result[name] = value;
    } else if (env.demo) {
      result[name] = randomBytes(32).toString('base64url');
      generated = true;
    } else {
      problems.push(`${VARIABLES[name]} is not set`);
    }
  }
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', { reason: `${problems.join('; ')} (outside demo mode each installation sets its own secrets; SIMEXIT_DEMO=1 generates them for a demo)` });
  }
  if (generated) {
    mkdirSync(env.keysDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify({ ...kept, ...result }, null, 2)}\n`, { mode: 0o600 });
  }
  return result;
}

/** Fresh random secrets, for tests and benchmarks that make a store of their own. */
export function randomInstallationSecrets(): InstallationSecrets {
  return { documentKey: randomBytes(32).toString('base64url'), referenceKey: randomBytes(32).toString('base64url') };
}
