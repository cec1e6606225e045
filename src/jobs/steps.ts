/**
 * The execution steps, one handler each. A handler runs for a batch of orders
 * that are all at that step, inside the worker's transaction, and answers per
 * order: done (with what it recorded) or failed (retried later). Keys passed
 * to adapters are `ORDER-ID:step`, so a retried step acts once.
 */
import type { ItemResult } from '../adapters/ports.ts';
import type { AppContext } from '../app/context.ts';
import { toAllContacts } from '../app/messages.ts';
import { setLineStates } from '../app/line-state.ts';
import { systemActor } from '../domain/channels.ts';
import { esimTransitions, numberTransitions, simTransitions } from '../domain/inventory.ts';
import type { Account, Customer, EsimProfile, Line, PhoneNumber, PhysicalSim } from '../domain/model.ts';
import { quote } from '../domain/preview.ts';
import { assertTransition } from '../domain/state-machine.ts';
import type { ExecutionStep, StateEvent, Termination } from '../domain/termination.ts';
import { addDays } from '../domain/time.ts';
import { type CertificateFacts, factsBytes } from '../certificates/facts.ts';
import { insertRows, updateRows } from '../store/bulk.ts';
import type { Tx } from '../store/database.ts';
import { referenceKey } from '../store/mapping.ts';

export interface StepWorld {
  readonly tx: Tx;
  readonly ctx: AppContext;
  readonly now: string;
  readonly lines: Map<string, Line>;
  readonly accounts: Map<string, Account>;
  readonly customers: Map<string, Customer>;
  readonly numbers: Map<string, PhoneNumber>;
  readonly sims: Map<string, PhysicalSim>;
  readonly esims: Map<string, EsimProfile>;
  /** Active or suspended lines per account (the lines being terminated are no longer counted). */
  readonly liveLines: Map<string, number>;
}

export interface StepDone {
  readonly ok: true;
  readonly outcome: string;
  readonly patch?: Partial<Termination>;
}
export type StepOutcome = StepDone | { readonly ok: false; readonly error: string };

export interface StepRun {
  readonly outcomes: StepOutcome[];
  readonly events: StateEvent[];
}

type Handler = (world: StepWorld, batch: readonly Termination[]) => Promise<StepRun>;

// Keyed by the order's time-ordered id rather than its scrambled reference, so adapters' key indexes grow at the end.
const stepKey = (t: Termination, step: ExecutionStep) => `${t.id}:${step}`;
const need = <T>(map: Map<string, T>, key: string, what: string): T => {
  const value = map.get(key);
  if (value === undefined) throw new Error(`${what} ${key} is missing`);
  return value;
};
const event = (
  entityType: StateEvent['entityType'],
  entityId: string,
  from: string | null,
  to: string | null,
  at: string,
  reason: string,
  data: Record<string, unknown> | null = null,
): StateEvent => ({ entityType, entityId, action: 'transition', from, to, actor: systemActor, at, reason, data });

const failures = <T>(results: ItemResult<T>[], map: (r: ItemResult<T> & { ok: true }, i: number) => StepDone): StepOutcome[] =>
  results.map((r, i) => (r.ok ? map(r, i) : { ok: false, error: r.error }));

const bar: Handler = async (world, batch) => {
  const results = await world.ctx.adapters.network.bar(
    world.tx,
    batch.map((t) => ({ key: stepKey(t, 'network.bar'), msisdn: t.msisdn, iccid: need(world.lines, t.lineId, 'line').iccid })),
    world.now,
  );
  return { outcomes: failures(results, () => ({ ok: true, outcome: 'barred' })), events: [] };
};

const releaseSim: Handler = async (world, batch) => {
  const events: StateEvent[] = [];
  const outcomes: StepOutcome[] = new Array(batch.length);
  const physical: { i: number; t: Termination; sim: PhysicalSim; to: 'returned' | 'destroyed' }[] = [];
  const esimIdx: number[] = [];
  batch.forEach((t, i) => {
    const line = need(world.lines, t.lineId, 'line');
    if (line.simType === 'sim') {
      const sim = need(world.sims, line.iccid, 'sim');
      physical.push({ i, t, sim, to: t.simCollected ? 'returned' : 'destroyed' });
    } else esimIdx.push(i);
  });
  const simUpdates: { iccid: string; state: string; updated_at: string }[] = [];
  for (const p of physical) {
    if (p.sim.state === 'active') {
      assertTransition('sim', simTransitions, p.sim.state, p.to);
      simUpdates.push({ iccid: p.sim.iccid, state: p.to, updated_at: world.now });
      events.push(event('sim', p.sim.iccid, p.sim.state, p.to, world.now, p.t.reference));
    }
    outcomes[p.i] = { ok: true, outcome: `sim ${p.sim.state === 'active' ? p.to : p.sim.state}` };
  }
  await updateRows(world.tx, 'sims', 'iccid', simUpdates);

  const profiles = esimIdx.map((i) => need(world.esims, need(world.lines, (batch[i] as Termination).lineId, 'line').iccid, 'esim'));
  const results = await world.ctx.adapters.esim.release(
    world.tx,
    esimIdx.map((i, k) => ({ key: stepKey(batch[i] as Termination, 'sim.release'), iccid: (profiles[k] as EsimProfile).iccid, state: (profiles[k] as EsimProfile).state })),
    world.now,
  );
  const esimUpdates: { iccid: string; state: string; awaiting_device_deletion_since: string | null; updated_at: string }[] = [];
  results.forEach((r, k) => {
    const i = esimIdx[k] as number;
    const profile = profiles[k] as EsimProfile;
    const t = batch[i] as Termination;
    if (!r.ok) {
      outcomes[i] = { ok: false, error: r.error };
      return;
    }
    if (r.finalState) {
      assertTransition('esim', esimTransitions, profile.state, r.finalState);
      esimUpdates.push({ iccid: profile.iccid, state: r.finalState, awaiting_device_deletion_since: null, updated_at: world.now });
      events.push(event('esim', profile.iccid, profile.state, r.finalState, world.now, t.reference, { es2: 'CancelOrder' }));
      outcomes[i] = { ok: true, outcome: `esim cancelled on the SM-DP+ (${r.finalState})` };
    } else if (r.awaitDeviceDeletion) {
      esimUpdates.push({ iccid: profile.iccid, state: profile.state, awaiting_device_deletion_since: world.now, updated_at: world.now });
      outcomes[i] = { ok: true, outcome: 'esim on the device: barred, awaiting the delete notification' };
    } else outcomes[i] = { ok: true, outcome: `esim already ${profile.state}` };
  });
  await updateRows(world.tx, 'esim_profiles', 'iccid', esimUpdates);
  return { outcomes, events };
};

const settle: Handler = async (world, batch) => {
  const { policy } = world.ctx;
  const requests = batch.map((t) => {
    const line = need(world.lines, t.lineId, 'line');
    const account = need(world.accounts, t.accountId, 'account');
    const q = quote(line, account, policy, t.effectiveAt, (world.liveLines.get(t.accountId) ?? 0) > 0);
    return { key: stepKey(t, 'billing.settle'), reference: t.reference, accountId: t.accountId, invoice: q.finalInvoice, refund: q.refund, refundMethod: policy.refund.method };
  });
  const results = await world.ctx.adapters.billing.settle(world.tx, requests, world.now);
  const events: StateEvent[] = [];
  const outcomes = failures(results, (r, i) => {
    const t = batch[i] as Termination;
    events.push({
      entityType: 'account',
      entityId: t.accountId,
      action: 'settled',
      from: null,
      to: null,
      actor: systemActor,
      at: world.now,
      reason: t.reference,
      data: { invoiced: r.invoiced, refunded: r.refunded },
    });
    return { ok: true, outcome: `invoiced ${r.invoiced}, refunded ${r.refunded}`, patch: { amountSettled: r.invoiced, amountRefunded: r.refunded } };
  });
  return { outcomes, events };
};

const quarantine: Handler = async (world, batch) => {
  const until = addDays(world.now, world.ctx.policy.quarantine.days);
  const events: StateEvent[] = [];
  const numberUpdates: { msisdn: string; state: string; quarantine_until: string; updated_at: string }[] = [];
  for (const t of batch) {
    const number = need(world.numbers, t.msisdn, 'number');
    assertTransition('number', numberTransitions, number.state, 'quarantined');
    numberUpdates.push({ msisdn: t.msisdn, state: 'quarantined', quarantine_until: until, updated_at: world.now });
    events.push(event('number', t.msisdn, number.state, 'quarantined', world.now, t.reference, { until }));
  }
  await updateRows(world.tx, 'numbers', 'msisdn', numberUpdates);
  await world.tx
    .updateTable('number_assignments')
    .set({ to_at: world.now })
    .where('line_id', 'in', batch.map((t) => t.lineId))
    .where('to_at', 'is', null)
    .execute();
  events.push(
    ...(await setLineStates(
      world.tx,
      batch.map((t) => ({ line: need(world.lines, t.lineId, 'line'), to: 'terminated' as const, actor: systemActor, reason: t.reference })),
      world.now,
    )),
  );
  return { outcomes: batch.map(() => ({ ok: true, outcome: `number quarantined until ${until}`, patch: { quarantineUntil: until } })), events };
};

/** Records the certificate's facts and the "completed" e-mail; issue and delivery read them from there. */
const notifyCompleted: Handler = async (world, batch) => {
  const messages = [];
  const certificates = [];
  for (const t of batch) {
    const customer = need(world.customers, t.customerId, 'customer');
    const line = need(world.lines, t.lineId, 'line');
    const facts = {
      reference: t.reference,
      msisdn: t.msisdn,
      simType: t.simType,
      channel: t.channel,
      requestedAt: t.requestedAt,
      effectiveAt: t.effectiveAt,
      completedAt: world.now,
      amountSettled: t.amountSettled ?? 0,
      amountRefunded: t.amountRefunded ?? 0,
      currency: t.quote.currency,
      quarantineUntil: t.quarantineUntil,
    };
    const keys = world.ctx.keys;
    certificates.push({
      seq: referenceKey(t.reference),
      reference: t.reference,
      termination_id: t.id,
      facts: JSON.stringify(facts),
      issued_at: world.now,
      signature: keys ? keys.sign(factsBytes(facts as CertificateFacts)) : null,
      key_id: keys?.keyId ?? null,
    });
    // By e-mail only: the line was barred two steps ago, so a text to it would never arrive.
    // The request and schedule texts already told the subscriber the reference and the date.
    messages.push(...toAllContacts(customer, line, 'termination.completed', t.reference, facts, t.id).filter((m) => m.medium === 'email'));
  }
  await insertRows(world.tx, 'certificates', certificates, { ignoreConflicts: true });
  await world.ctx.adapters.notifier.enqueue(world.tx, messages, world.now);
  return { outcomes: batch.map(() => ({ ok: true, outcome: 'certificate issued, subscriber notified' })), events: [] };
};

export const stepHandlers: Readonly<Record<ExecutionStep, Handler>> = {
  'network.bar': bar,
  'sim.release': releaseSim,
  'billing.settle': settle,
  'number.quarantine': quarantine,
  'notify.completed': notifyCompleted,
};
