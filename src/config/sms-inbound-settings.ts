import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../domain/errors.ts';
import type { Environment } from './env.ts';

const MIN_SECRET_LENGTH = 16;

/** Where demo mode keeps the inbound SMS webhook secret it generated. */
export const demoSmsInboundSecretFile = (env: Environment): string => join(env.keysDir, 'sms-inbound-secret');

/**
 * The key of the inbound SMS webhook's signature. Outside demo mode SIMEXIT_SMS_INBOUND_SECRET or nothing (the
 * webhook then refuses every call: nothing can be verified). Demo mode generates one once and keeps it in
 * `<data>/keys/sms-inbound-secret`. Never a constant: the source is public.
 */
export function smsInboundSettingsOf(env: Environment): { secret: string } | undefined {
  const secret = env.smsInboundSecret;
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) throw new AppError('CONFIG_INVALID', { reason: `SIMEXIT_SMS_INBOUND_SECRET must be at least ${MIN_SECRET_LENGTH} characters` });
  if (secret !== undefined) return { secret };
  if (!env.demo) return undefined;
  const file = demoSmsInboundSecretFile(env);
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim() };
  const generated = randomBytes(24).toString('base64url');
  mkdirSync(env.keysDir, { recursive: true });
  writeFileSync(file, `${generated}\n`, { mode: 0o600 });
  return { secret: generated };
}
