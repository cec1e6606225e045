import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VoiceSettings } from '../app/context.ts';
import { AppError } from '../domain/errors.ts';
import type { Environment } from './env.ts';

const MIN_TOKEN_LENGTH = 16;

/** Where demo mode keeps the voice auth token it generated (the call simulator signs its webhooks with it). */
export const demoVoiceTokenFile = (env: Environment): string => join(env.keysDir, 'voice-auth-token');

/**
 * The voice platform's settings. Outside demo mode both SIMEXIT_VOICE_BASE_URL and SIMEXIT_VOICE_AUTH_TOKEN, or
 * neither (no hotline: every webhook is refused); one without the other stops start-up. Demo mode generates a
 * token once and keeps it in `<data>/keys/voice-auth-token`, and without a base URL signs against the site's
 * address (the one served). Never a constant: the source is public.
 */
export function voiceSettingsOf(env: Environment): VoiceSettings | undefined {
  const token = env.voiceAuthToken;
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) throw new AppError('CONFIG_INVALID', { reason: `SIMEXIT_VOICE_AUTH_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters` });
  if (!env.demo) {
    if (token === undefined && env.voiceBaseUrl === undefined) return undefined;
    if (token === undefined || env.voiceBaseUrl === undefined) throw new AppError('CONFIG_INVALID', { reason: 'SIMEXIT_VOICE_BASE_URL and SIMEXIT_VOICE_AUTH_TOKEN go together: the hotline checks every webhook against both' });
    return { authToken: token, baseUrl: env.voiceBaseUrl };
  }
  if (token !== undefined) return { authToken: token, baseUrl: env.voiceBaseUrl };
  const file = demoVoiceTokenFile(env);
  if (existsSync(file)) return { authToken: readFileSync(file, 'utf8').trim(), baseUrl: env.voiceBaseUrl };
  const generated = randomBytes(24).toString('base64url');
  mkdirSync(env.keysDir, { recursive: true });
  writeFileSync(file, `${generated}\n`, { mode: 0o600 });
  return { authToken: generated, baseUrl: env.voiceBaseUrl };
}
