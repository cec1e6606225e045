/**
 * A reclaimed number's new eSIM (issue 15): the reclaim's transaction queues an `esim.prepare` job (key
 * `esim.prepare:<iccid>`, one per profile); the job asks the SM-DP+ to make the profile downloadable (outside any
 * transaction, with the job's key, so a repeat is the same ES2+ call), then in one transaction keeps the
 * activation code on the profile and queues the e-mail that carries it, as text and as a QR code. A failure the
 * SM-DP+ may get past is retried with backoff; a refusal, or the last attempt, leaves the job on the dead list for a
 * person (and the line page says the code is still being prepared).
 *
 * The matching id is ours, not the SM-DP+'s pick: a keyed hash of the job's key under an installation secret, so
 * a try after one whose answer was lost (the SM-DP+ did the work, we never heard) releases — or finds released —
 * the profile under the same id, and the code it e-mails is the code the profile has. Nothing new is stored: the
 * id is made again from the key, and kept only inside the activation code, as before.
 */
import { createHmac } from 'node:crypto';
import { systemActor } from '../domain/channels.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { esimToPrepare, recordEsimActivation } from '../store/inventory.repository.ts';
import { completeJobs, enqueueJobs, failJobs, type Job } from '../store/jobs.repository.ts';
import { customersById } from '../store/parties.repository.ts';
import { recordCrash } from '../jobs/step-runner.ts';
import type { AppContext } from './context.ts';
import { toAllContacts } from './messages.ts';

/** SGP.22 §4.1 activation code, format 1: what an LPA reads from the QR code (no confirmation code is asked). */
export const activationCodeOf = (smdpAddress: string, matchingId: string): string => `LPA:1$${smdpAddress}$${matchingId}`;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The matching id of the order `key`: HMAC-SHA256 under the installation's `documentKey` (separated from its other
 * uses by a label), 125 bits as 25 RFC 4648 base32 characters in five groups — upper-case letters, digits and `-`
 * only, as SGP.22 §4.1 allows. Unguessable without the secret (the code alone lets a device fetch the profile).
 */
export function matchingIdFor(secret: string, key: string): string {
  const mac = createHmac('sha256', `esim-matching-id:${secret}`).update(key).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of mac) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 25) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === 25) break;
  }
  return out.replace(/(.{5})(?=.)/g, '$1-');
}

/** Queues, in the caller's transaction, making the profile `iccid` downloadable. */
export async function enqueueEsimPrepare(ctx: AppContext, tx: Tx, iccid: string, now: string): Promise<void> {
  await enqueueJobs(tx, [{ kind: 'esim.prepare', key: `esim.prepare:${iccid}`, subject: iccid, runAt: now }], ctx.policy.worker.maxAttempts, now);
}

/** The `esim.prepare` jobs, one by one: the call between two short transactions. */
export async function runEsimPrepareJobs(ctx: AppContext, jobs: readonly Job[]): Promise<{ completed: number; retried: number }> {
  let completed = 0;
  let retried = 0;
  for (const job of jobs) {
    try {
      const outcome = await prepareOne(ctx, job);
      if (outcome === 'done') completed++;
    } catch (e) {
      if ((await recordCrash(ctx, job, e instanceof Error ? e.message : String(e))) === 'retried') retried++;
    }
  }
  return { completed, retried };
}

async function prepareOne(ctx: AppContext, job: Job): Promise<'done' | 'dead'> {
  const iccid = job.subject;
  const profile = await esimToPrepare(ctx.store.db, iccid);
  // Nothing to do for a profile that has its code (a repeat) or is not ours; said on the job, not silently dropped.
  if (!profile || !profile.line || profile.activationCode) {
    await inTransaction(ctx.store, (tx) => completeJobs(tx, [job.id], ctx.clock()));
    return 'done';
  }
  const line = profile.line;
  const [answer] = await ctx.adapters.esim.prepareDownload([{ key: job.key, iccid, eid: profile.eid, msisdn: line.msisdn, matchingId: matchingIdFor(ctx.secrets.documentKey, job.key) }], ctx.clock());
  if (!answer) throw new Error('the SM-DP+ adapter gave no answer');
  if (!answer.ok) {
    if (!answer.permanent) throw new Error(answer.error);
    await inTransaction(ctx.store, (tx) => failJobs(tx, [{ id: job.id, error: answer.error }], ctx.clock()));
    return 'dead';
  }
  const activationCode = activationCodeOf(answer.smdpAddress, answer.matchingId);
  await inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    if (await recordEsimActivation(tx, iccid, { matchingId: answer.matchingId, smdpAddress: answer.smdpAddress, activationCode }, now)) {
      await appendAudit(tx, [{ entityType: 'esim', entityId: iccid, action: 'prepared', from: null, to: null, actor: systemActor, at: now, reason: 'SM-DP+ order confirmed', data: { line: line.id, smdpAddress: answer.smdpAddress } }]);
      const customer = (await customersById(tx, [line.customerId])).get(line.customerId);
      if (customer) {
        // E-mail only: the code is installed from another screen, and the new eSIM cannot receive a text before it is on a device.
        const messages = toAllContacts(customer, line, 'esim.activation', line.msisdn, { msisdn: line.msisdn, activationCode }, iccid).filter((m) => m.medium === 'email');
        await ctx.adapters.notifier.enqueue(tx, messages, now);
      }
    }
    await completeJobs(tx, [job.id], now);
  });
  return 'done';
}
