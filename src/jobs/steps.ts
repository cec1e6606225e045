/**
 * The execution steps, one handler each. A step that needs an outside system
 * says which call it makes for an order (`call`: port and request, keyed
 * `ORDER-ID:step`, so a repeated call acts once); the step runner makes it
 * outside any transaction, or inside for a local adapter. `record` then
 * writes the step's outcome for a batch of orders at that step, given each
 * order's answer, in the runner's recording transaction, through store
 * functions only.
 */
import type { BarRequest, EsimReleaseAnswer, EsimReleaseRequest, ItemResult, Ports, SettleAnswer, SettleRequest } from '../adapters/ports.ts';
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
import type { Tx } from '../store/database.ts';
import { type NewCertificate, quarantineNumbers, recordCertificates, setEsimStates, setSimStates } from '../store/execution.repository.ts';
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
/** A failed step; `permanent` when retrying cannot help (the order goes to a person without waiting out its attempts). */
export type StepOutcome = StepDone | { readonly ok: false; readonly error: string; readonly permanent?: boolean | undefined };

export interface StepRun {
  readonly outcomes: StepOutcome[];
  readonly events: StateEvent[];
}

export type PortName = keyof Ports;
export type PortRequest = BarRequest | EsimReleaseRequest | SettleRequest;
export type PortAnswer = ItemResult<Partial<EsimReleaseAnswer & SettleAnswer>>;

/** One call to a port for one order's step. */
export interface PortCall {
  readonly port: PortName;
  readonly orderId: string;
  readonly request: PortRequest;
}

export interface StepHandler {
  /** The call this step makes for order `t`, or null when the step is done in our own store alone. */
  readonly call?: (world: StepWorld, t: Termination) => PortCall | null;
  /** Records the step for orders at it; `answers[i]` is order i's port answer (undefined when it made no call). */
  readonly record: (world: StepWorld, batch: readonly Termination[], answers: readonly (PortAnswer | undefined)[]) => Promise<StepRun>;
}

// Keyed by the order's time-ordered id rather than its scrambled reference, so adapters' key indexes grow at the end.
export const stepKey = (t: { id: string }, step: ExecutionStep) => `${t.id}:${step}`;
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

const answerOf = <T>(answers: readonly (PortAnswer | undefined)[], i: number): ItemResult<T> => {
  const answer = answers[i];
  if (!answer) throw new Error('a step that calls a port was recorded without its answer');
  return answer as ItemResult<T>;
};

const bar: StepHandler = {
  call: (world, t) => ({ port: 'network', orderId: t.id, request: { key: stepKey(t, 'network.bar'), msisdn: t.msisdn, iccid: need(world.lines, t.lineId, 'line').iccid } }),
  record: async (_world, batch, answers) => ({
    outcomes: batch.map((_, i) => {
      const r = answerOf<object>(answers, i);
      return r.ok ? { ok: true, outcome: 'barred' } : { ok: false, error: r.error, permanent: r.permanent };
    }),
    events: [],
  }),
};

/** A physical SIM is ours to retire; an eSIM profile is released on the SM-DP+. */
const releaseSim: StepHandler = {
  call: (world, t) => {
    const line = need(world.lines, t.lineId, 'line');
    if (line.simType === 'sim') return null;
    const profile = need(world.esims, line.iccid, 'esim');
    return { port: 'esim', orderId: t.id, request: { key: stepKey(t, 'sim.release'), iccid: profile.iccid, state: profile.state, eid: profile.eid, matchingId: profile.matchingId } };
  },
  record: async (world, batch, answers) => {
    const events: StateEvent[] = [];
    const simUpdates: { iccid: string; state: string }[] = [];
    const esimUpdates: { iccid: string; state: string; awaitingDeviceDeletionSince: string | null }[] = [];
    const outcomes = batch.map((t, i): StepOutcome => {
      const line = need(world.lines, t.lineId, 'line');
      if (line.simType === 'sim') {
        const sim = need(world.sims, line.iccid, 'sim');
        const to = t.simCollected ? 'returned' : 'destroyed';
        if (sim.state !== 'active') return { ok: true, outcome: `sim ${sim.state}` };
        assertTransition('sim', simTransitions, sim.state, to);
        simUpdates.push({ iccid: sim.iccid, state: to });
        events.push(event('sim', sim.iccid, sim.state, to, world.now, t.reference));
        return { ok: true, outcome: `sim ${to}` };
      }
      const profile = need(world.esims, line.iccid, 'esim');
      const r = answerOf<EsimReleaseAnswer>(answers, i);
      if (!r.ok) return { ok: false, error: r.error, permanent: r.permanent === true };
      if (r.finalState) {
        assertTransition('esim', esimTransitions, profile.state, r.finalState);
        esimUpdates.push({ iccid: profile.iccid, state: r.finalState, awaitingDeviceDeletionSince: null });
        events.push(event('esim', profile.iccid, profile.state, r.finalState, world.now, t.reference, { es2: 'CancelOrder' }));
        return { ok: true, outcome: `esim cancelled on the SM-DP+ (${r.finalState})` };
      }
      if (r.awaitDeviceDeletion) {
        esimUpdates.push({ iccid: profile.iccid, state: profile.state, awaitingDeviceDeletionSince: world.now });
        return { ok: true, outcome: 'esim on the device: barred, awaiting the delete notification' };
      }
      return { ok: true, outcome: `esim already ${profile.state}` };
    });
    await setSimStates(world.tx, simUpdates, world.now);
    await setEsimStates(world.tx, esimUpdates, world.now);
    return { outcomes, events };
  },
};

const settle: StepHandler = {
  call: (world, t) => {
    const { policy } = world.ctx;
    const line = need(world.lines, t.lineId, 'line');
    const account = need(world.accounts, t.accountId, 'account');
    const q = quote(line, account, policy, t.effectiveAt, (world.liveLines.get(t.accountId) ?? 0) > 0);
    return {
      port: 'billing',
      orderId: t.id,
      request: { key: stepKey(t, 'billing.settle'), reference: t.reference, accountId: t.accountId, invoice: q.finalInvoice, refund: q.refund, refundMethod: policy.refund.method },
    };
  },
  record: async (world, batch, answers) => {
    const events: StateEvent[] = [];
    const outcomes = batch.map((t, i): StepOutcome => {
      const r = answerOf<SettleAnswer>(answers, i);
      if (!r.ok) return { ok: false, error: r.error };
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
  },
};

const quarantine: StepHandler = {
  record: async (world, batch) => {
    const until = addDays(world.now, world.ctx.policy.quarantine.days);
    const events: StateEvent[] = [];
    for (const t of batch) {
      const number = need(world.numbers, t.msisdn, 'number');
      assertTransition('number', numberTransitions, number.state, 'quarantined');
      events.push(event('number', t.msisdn, number.state, 'quarantined', world.now, t.reference, { until }));
    }
    await quarantineNumbers(world.tx, batch.map((t) => ({ msisdn: t.msisdn, lineId: t.lineId })), until, world.now);
    events.push(
      ...(await setLineStates(
        world.tx,
        batch.map((t) => ({ line: need(world.lines, t.lineId, 'line'), to: 'terminated' as const, actor: systemActor, reason: t.reference })),
        world.now,
      )),
    );
    return { outcomes: batch.map(() => ({ ok: true, outcome: `number quarantined until ${until}`, patch: { quarantineUntil: until } })), events };
  },
};

/** Records the certificate's facts and the "completed" e-mail; issue and delivery read them from there. */
const notifyCompleted: StepHandler = {
  record: async (world, batch) => {
    const messages = [];
    const facts: CertificateFacts[] = [];
    for (const t of batch) {
      const customer = need(world.customers, t.customerId, 'customer');
      const line = need(world.lines, t.lineId, 'line');
      const f: CertificateFacts = {
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
      facts.push(f);
      // By e-mail only: the line was barred two steps ago, so a text to it would never arrive.
      // The request and schedule texts already told the subscriber the reference and the date.
      messages.push(...toAllContacts(customer, line, 'termination.completed', t.reference, { ...f }, t.id).filter((m) => m.medium === 'email'));
    }
    const keys = world.ctx.keys;
    // Signed on the thread pool while the messages are written; the certificates wait for their signatures.
    const signing = keys ? keys.signAll(facts.map(factsBytes)) : Promise.resolve(null);
    await world.ctx.adapters.notifier.enqueue(world.tx, messages, world.now);
    const signatures = await signing;
    const certificates: NewCertificate[] = batch.map((t, i) => ({
      seq: referenceKey(t.reference),
      reference: t.reference,
      terminationId: t.id,
      facts: JSON.stringify(facts[i]),
      issuedAt: world.now,
      signature: signatures?.[i] ?? null,
      keyId: keys?.keyId ?? null,
    }));
    await recordCertificates(world.tx, certificates);
    return { outcomes: batch.map(() => ({ ok: true, outcome: 'certificate issued, subscriber notified' })), events: [] };
  },
};

export const stepHandlers: Readonly<Record<ExecutionStep, StepHandler>> = {
  'network.bar': bar,
  'sim.release': releaseSim,
  'billing.settle': settle,
  'number.quarantine': quarantine,
  'notify.completed': notifyCompleted,
};
