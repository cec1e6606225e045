import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileNameFor } from '../../src/adapters/delivery/deliverer.ts';
import type { AppContext } from '../../src/app/context.ts';
import { deliverDue, deliverersFor } from '../../src/notifications/deliver.ts';

/**
 * The last SMS code sent for a subject (a reference or a number), read where
 * the subscriber reads it: the delivered SMS in the file outbox
 * (`SIMEXIT_OUTBOX`, a temporary folder in tests). Delivers what is due first.
 */
export async function codeFromOutbox(app: AppContext, subject: string): Promise<string> {
  await deliverDue(app, { limit: 1000, workerId: 'test-phone', deliverers: deliverersFor(app) });
  const row = await app.store.db.selectFrom('notifications').select(['key']).where('subject_ref', '=', subject).where('template', 'like', 'otp.%').orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
  const folder = process.env.SIMEXIT_OUTBOX;
  if (!folder) throw new Error('SIMEXIT_OUTBOX is not set (test/support/stores.ts sets it)');
  const text = readFileSync(join(folder, `${fileNameFor(row.key)}.txt`), 'utf8');
  const body = text.slice(text.indexOf('\n\n') + 2);
  const code = new RegExp(`(?<![0-9])[0-9]{${app.policy.otp.length}}(?![0-9])`).exec(body)?.[0];
  if (!code) throw new Error(`no code in the SMS for ${subject}: ${body}`);
  return code;
}
