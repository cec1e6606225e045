import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { AppError } from '../domain/errors.ts';
import { type Policy, PolicySchema } from '../domain/policy.ts';
import { isValidTimeZone } from '../domain/time.ts';

export const DEFAULT_CONFIG = new URL('../../config/default.yaml', import.meta.url);

/**
 * Reads and validates the operator's policy. A bad file stops start-up with
 * one message per problem, each naming the key and what was expected.
 */
export function loadPolicy(path: string | URL = DEFAULT_CONFIG): Policy {
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
  return validatePolicy(data, String(path));
}

export function validatePolicy(data: unknown, source = 'configuration'): Policy {
  const problems = [...Value.Errors(PolicySchema, data)].map((e) => {
    const key = e.path.replace(/^\//, '').replace(/\//g, '.') || '(root)';
    const found = e.value === undefined ? 'nothing' : JSON.stringify(e.value);
    return `${key}: ${e.message} (found ${found})`;
  });
  const policy = data as Policy;
  if (problems.length === 0) {
    if (!isValidTimeZone(policy.operator.timezone)) problems.push(`operator.timezone: not a known IANA time zone (found "${policy.operator.timezone}")`);
    if (!policy.languages.includes(policy.defaultLanguage)) problems.push(`defaultLanguage: must be one of languages (found "${policy.defaultLanguage}")`);
    if (policy.worker.backoffMaxSeconds < policy.worker.backoffBaseSeconds) problems.push('worker.backoffMaxSeconds: must not be below backoffBaseSeconds');
  }
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', { reason: `${source}:\n  ${problems.slice(0, 20).join('\n  ')}` });
  }
  return policy;
}
