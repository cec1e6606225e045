/**
 * Model-based property tests of the termination lifecycle.
 *
 * A small in-memory "world" (customers, accounts with ledgers, lines, numbers,
 * SIMs and eSIM profiles, termination orders) is driven by random sequences of
 * actions: request, pay, charge, verify identity, accept charges, confirm,
 * withdraw, reject, time passes, execute a step, fail a step, retry, reclaim a
 * number, sell a recycled number, sweep quarantine. Requests, confirmations,
 * withdrawals, rejections and re-assessments are the application's own
 * decisions (`decideRequest`, `decideConfirm`, `decideWithdraw`,
 * `decideReject`, `decideReassess`): the world only loads their facts and
 * saves what they return — orders, line moves, jobs, messages, codes, alerts —
 * as the application does. Time passing runs the jobs that are due, so an
 * order moves on only if a decision queued the job for it. Execution steps,
 * reclaims and sales go through `transition()` and `assertTransition()` with
 * the domain's tables. An illegal move or a refusal throws and the action is
 * refused (the world is left as it was). After every action the invariants
 * below are checked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadPolicy } from '../../src/config/load-config.ts';
import { TEST_SITE_URL } from '../support/stores.ts';
import { type Actor, type Authority, CHANNELS, type Channel, systemActor } from '../../src/domain/channels.ts';
import { AppError } from '../../src/domain/errors.ts';
import {
  type EsimState,
  esimTransitions,
  isEsimOnDevice,
  type LineState,
  lineTransitions,
  type NumberState,
  numberTransitions,
  type SimState,
  type SimType,
  simTransitions,
} from '../../src/domain/inventory.ts';
import type { Account, Customer, LedgerEntry, LedgerKind, Line, PhoneNumber } from '../../src/domain/model.ts';
import { NOW, sampleAccount, sampleCustomer, sampleLine, sampleRequestFacts } from '../../src/domain/decision-fixtures.ts';
import type { JobIntent, LineChange, Notice } from '../../src/domain/effects.ts';
import { assess, decideAcceptCharges, decideConfirm, decideReassess, decideReject, decideWithdraw, notMeReported, type OrderChange, type OrderFacts } from '../../src/domain/order-decisions.ts';
import type { Policy } from '../../src/domain/policy.ts';
import { type EffectiveChoice, type PreviewInput, preview, quote } from '../../src/domain/preview.ts';
import { decideRequest } from '../../src/domain/request-decision.ts';
import { formatReference, normalizeReference, referenceSequence } from '../../src/domain/reference.ts';
import { assertTransition, canTransition, type TransitionTable } from '../../src/domain/state-machine.ts';
import {
  confirmationCodeFor,
  EXECUTION_STEPS,
  isOpenTermination,
  nextStep,
  type StateEvent,
  TERMINATION_STATES,
  type Termination,
  type TerminationState,
  terminationTransitions,
  transition,
} from '../../src/domain/termination.ts';
import { addDays, addHours, addMinutes, type Instant, localDate, toInstant } from '../../src/domain/time.ts';

const policy: Policy = loadPolicy(undefined, { fallback: TEST_SITE_URL });
const TZ = policy.operator.timezone;
const BASE_MS = Date.parse('2026-01-05T09:00:00.000Z');
const RUNS = 300;

// ---------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------

interface World {
  now: Instant;
  /** Next reference sequence number. */
  seq: number;
  /** Monotonic counter for ids and line ages. */
  serial: number;
  customers: Map<string, Customer>;
  accounts: Map<string, Account>;
  ledger: LedgerEntry[];
  /** Insertion order is creation order. */
  lines: Map<string, Line>;
  /** When each line was created, as a serial: a larger value is a newer line. */
  born: Map<string, number>;
  numbers: Map<string, PhoneNumber>;
  sims: Map<string, SimState>;
  esims: Map<string, EsimState>;
  /** Termination orders by reference, in creation order. */
  orders: Map<string, Termination>;
  /** Every recorded change of state, in order. */
  events: StateEvent[];
  /** The job queue, by key: what the decisions enqueued and cancelled. */
  jobs: Map<string, QueuedJob>;
  /** Every message sent, by key (one per key, as the outbox keeps them). */
  messages: Map<string, Notice>;
  /** Confirmation codes sent: order reference -> when. */
  codes: Map<string, Instant>;
  /** Back-office alerts raised by a "not me": order references. */
  alerts: string[];
}

interface QueuedJob extends JobIntent {
  state: 'queued' | 'done' | 'cancelled';
}

/** Deliberate model bugs, used to show that the invariants have teeth. */
type Fault = 'refund-off-ledger' | 'sell-quarantined' | 'repeat-step' | 'lost-job';
type Faults = ReadonlySet<Fault>;
const NO_FAULTS: Faults = new Set<Fault>();

const staffActor: Actor = { kind: 'staff', id: 'agent-1', channel: 'phone_agent' };
const customerActor = (id: string, channel: Channel): Actor => ({ kind: 'customer', id, channel });

function need<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`model: ${what} ${String(key)} is missing`);
  return value;
}

function pickOne<T>(list: readonly T[], index: number): T | undefined {
  return list.length === 0 ? undefined : list[index % list.length];
}

function recordMove<S extends string>(
  w: World,
  entityType: StateEvent['entityType'],
  table: TransitionTable<S>,
  entityId: string,
  from: S,
  to: S,
  actor: Actor,
  reason: string | null,
): void {
  assertTransition(entityType, table, from, to);
  w.events.push({ entityType, entityId, action: 'transition', from, to, actor, at: w.now, reason, data: null });
}

function setLine(w: World, line: Line, to: LineState, actor: Actor, reason: string | null): Line {
  recordMove(w, 'line', lineTransitions, line.id, line.state, to, actor, reason);
  const next: Line = { ...line, state: to, terminatedAt: to === 'terminated' ? w.now : line.terminatedAt };
  w.lines.set(line.id, next);
  return next;
}

function setNumber(w: World, n: PhoneNumber, to: NumberState, until: Instant | null, actor: Actor, reason: string): void {
  recordMove(w, 'number', numberTransitions, n.msisdn, n.state, to, actor, reason);
  w.numbers.set(n.msisdn, { ...n, state: to, quarantineUntil: until });
}

function moveOrder(
  w: World,
  t: Termination,
  to: TerminationState,
  actor: Actor,
  reason: string | null,
  patch: Partial<Termination> = {},
): Termination {
  const moved = transition(t, to, actor, w.now, reason);
  const next: Termination = { ...moved.termination, ...patch };
  w.orders.set(next.reference, next);
  w.events.push(moved.event);
  return next;
}

function post(w: World, accountId: string, kind: LedgerKind, amount: number, description: string, reference: string | null): void {
  const account = need(w.accounts, accountId, 'account');
  w.ledger.push({ id: `le-${w.serial++}`, accountId, kind, amount, description, reference, at: w.now });
  w.accounts.set(accountId, { ...account, balance: account.balance + amount });
}

function addLine(w: World, line: Line, actor: Actor, reason: string): void {
  w.lines.set(line.id, line);
  w.born.set(line.id, w.serial++);
  w.events.push({ entityType: 'line', entityId: line.id, action: 'transition', from: null, to: line.state, actor, at: w.now, reason, data: null });
}

const esimStateOf = (w: World, line: Line): EsimState | null => (line.simType === 'esim' ? (w.esims.get(line.iccid) ?? null) : null);
const openOrderFor = (w: World, lineId: string): Termination | undefined =>
  [...w.orders.values()].find((o) => o.lineId === lineId && isOpenTermination(o.state));
const liveLines = (w: World): Line[] => [...w.lines.values()].filter((l) => l.state !== 'terminated');
const latestLineOf = (w: World, msisdn: string): Line | undefined => {
  let latest: Line | undefined;
  for (const line of w.lines.values()) {
    if (line.msisdn === msisdn && (!latest || need(w.born, line.id, 'born') > need(w.born, latest.id, 'born'))) latest = line;
  }
  return latest;
};

// ---------------------------------------------------------------------------
// Building a world from a seed
// ---------------------------------------------------------------------------

interface CustomerSeed {
  readonly balance: number;
  readonly foreigner: boolean;
  readonly verified: boolean;
}

interface LineSeed {
  readonly customer: number;
  readonly simType: SimType;
  readonly esimState: EsimState;
  readonly monthlyFee: number;
  readonly minTermDays: number;
  readonly instalments: number;
  readonly dataLeftMb: number;
  readonly suspended: boolean;
  readonly legalHold: boolean;
  readonly portOut: boolean;
}

interface WorldSeed {
  readonly startMinutes: number;
  readonly customers: readonly CustomerSeed[];
  readonly lines: readonly LineSeed[];
  readonly spareNumbers: number;
  readonly stock: number;
}

function buildWorld(seed: WorldSeed): World {
  const now = toInstant(BASE_MS + seed.startMinutes * 60_000);
  const w: World = {
    now,
    seq: 0,
    serial: 0,
    customers: new Map(),
    accounts: new Map(),
    ledger: [],
    lines: new Map(),
    born: new Map(),
    numbers: new Map(),
    sims: new Map(),
    esims: new Map(),
    orders: new Map(),
    events: [],
    jobs: new Map(),
    messages: new Map(),
    codes: new Map(),
    alerts: [],
  };
  seed.customers.forEach((c, i) => {
    const id = `cus-${i}`;
    w.customers.set(id, {
      id,
      name: `Customer ${i}`,
      language: 'en',
      email: null,
      birthDate: null,
      document: null,
      foreigner: c.foreigner,
      identityVerifiedAt: c.verified ? addDays(now, -100) : null,
      createdAt: addDays(now, -400),
    });
    const accountId = `acc-${i}`;
    w.accounts.set(accountId, { id: accountId, customerId: id, currency: policy.currency, balance: 0 });
    post(w, accountId, 'adjustment', c.balance, 'Opening balance', null);
  });
  seed.lines.forEach((l, i) => {
    const owner = l.customer % seed.customers.length;
    const msisdn = `7900${String(1_000_000 + i)}`;
    const iccid = `89701${String(10_000_000 + i)}`;
    w.numbers.set(msisdn, { msisdn, state: 'assigned', quarantineUntil: null });
    if (l.simType === 'sim') w.sims.set(iccid, 'active');
    else w.esims.set(iccid, l.esimState);
    addLine(
      w,
      {
        id: `ln-${i}`,
        accountId: `acc-${owner}`,
        customerId: `cus-${owner}`,
        msisdn,
        simType: l.simType,
        iccid,
        planName: 'Plan',
        monthlyFee: l.monthlyFee,
        state: l.suspended ? 'suspended' : 'active',
        contract: {
          startedAt: addDays(now, -200),
          minimumTermEndsAt: l.minTermDays > 0 ? addDays(now, l.minTermDays) : null,
          instalmentsLeft: l.instalments,
        },
        dataLeftMb: l.dataLeftMb,
        periodStart: addDays(now, -10),
        periodEnd: addDays(now, 20),
        portOutRequestedAt: l.portOut ? addDays(now, -1) : null,
        legalHoldAt: l.legalHold ? addDays(now, -3) : null,
        lastPaidActivityAt: addDays(now, -2),
        activatedAt: addDays(now, -200),
        terminatedAt: null,
      },
      systemActor,
      'seed',
    );
  });
  for (let i = 0; i < seed.spareNumbers; i++) {
    const msisdn = `7901${String(1_000_000 + i)}`;
    w.numbers.set(msisdn, { msisdn, state: 'available', quarantineUntil: null });
  }
  for (let i = 0; i < seed.stock; i++) {
    w.sims.set(`89702${String(10_000_000 + i)}`, 'in_stock');
    w.esims.set(`89703${String(10_000_000 + i)}`, 'available');
  }
  return w;
}

// ---------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------

interface OrderPick {
  readonly index: number;
  /**
   * Where to pick from: orders the action suits (an executing order for a step),
   * open orders, or any order at all, so refusals are exercised too.
   */
  readonly among: 'ready' | 'open' | 'any';
}

type EffectiveSpec = { readonly mode: 'now' } | { readonly mode: 'end_of_period' } | { readonly mode: 'date'; readonly daysAhead: number };

type Action =
  | {
      readonly kind: 'request';
      readonly line: number;
      readonly channel: Channel;
      readonly authority: Authority;
      readonly effective: EffectiveSpec;
      readonly chargesAccepted: boolean;
      readonly simCollected: boolean;
      /** The requester's identity was checked already: confirmed at once when nothing blocks. */
      readonly confirmNow?: boolean;
    }
  | { readonly kind: 'pay'; readonly account: number; readonly amount: number }
  | { readonly kind: 'charge'; readonly account: number; readonly amount: number }
  | { readonly kind: 'verify'; readonly customer: number }
  | { readonly kind: 'accept'; readonly order: OrderPick }
  | { readonly kind: 'confirm'; readonly order: OrderPick }
  | { readonly kind: 'withdraw'; readonly order: OrderPick; readonly notMe?: boolean }
  | { readonly kind: 'reject'; readonly order: OrderPick }
  | { readonly kind: 'tick'; readonly minutes: number }
  | { readonly kind: 'step'; readonly order: OrderPick }
  | { readonly kind: 'fail'; readonly order: OrderPick }
  | { readonly kind: 'retry'; readonly order: OrderPick }
  | { readonly kind: 'reclaim'; readonly number: number; readonly claimant: 'former' | 'stranger'; readonly simType: SimType }
  | { readonly kind: 'sell'; readonly number: number; readonly customer: number; readonly simType: SimType }
  | { readonly kind: 'sweep' };

type Outcome = 'ok' | 'skip';
type OrderAction = 'accept' | 'confirm' | 'withdraw' | 'reject' | 'step' | 'fail' | 'retry';

const READY: Readonly<Record<OrderAction, readonly TerminationState[]>> = {
  accept: ['requested', 'blocked', 'awaiting_confirmation'],
  confirm: ['awaiting_confirmation'],
  // The holder withdraws (or says "not me" to) anything that has not taken effect.
  withdraw: ['blocked', 'awaiting_confirmation', 'scheduled'],
  reject: ['requested', 'blocked', 'awaiting_confirmation'],
  step: ['executing'],
  fail: ['executing'],
  retry: ['needs_attention'],
};

function pickOrder(w: World, kind: OrderAction, pick: OrderPick): Termination | undefined {
  const all = [...w.orders.values()];
  const ready = READY[kind];
  const among =
    pick.among === 'ready'
      ? all.filter((o) => ready.includes(o.state))
      : pick.among === 'open'
        ? all.filter((o) => isOpenTermination(o.state))
        : all;
  return pickOne(among.length > 0 ? among : all, pick.index);
}

/** Other active or suspended lines on the line's account: their credit is not refunded with this one. */
function othersOnAccount(w: World, line: Line): number {
  return [...w.lines.values()].filter((l) => l.accountId === line.accountId && l.id !== line.id && (l.state === 'active' || l.state === 'suspended')).length;
}

/** An order's line, account and customer as the world has them now: the facts the application loads. */
function orderFacts(w: World, t: Termination): OrderFacts {
  const line = need(w.lines, t.lineId, 'line');
  return {
    line,
    account: need(w.accounts, t.accountId, 'account'),
    customer: need(w.customers, t.customerId, 'customer'),
    esimState: esimStateOf(w, line),
    otherLiveLines: othersOnAccount(w, line),
  };
}

/**
 * Saves what a decision returned, as the application does: lines through
 * their table, the order, its events, jobs (a second job with a key is not
 * added), cancellations, messages and codes.
 */
function save(
  w: World,
  change: { termination: Termination; events: readonly StateEvent[]; lineChanges: readonly LineChange[]; jobs: readonly JobIntent[]; cancelJobs: readonly string[]; messages: readonly Notice[] },
  faults: Faults,
): void {
  w.orders.set(change.termination.reference, change.termination);
  w.events.push(...change.events);
  for (const c of change.lineChanges) {
    // The decision saw the line as it was loaded; the world must still have it so.
    assert.deepEqual(c.line, need(w.lines, c.line.id, 'line'), 'a decision moved a line from a state it does not have');
    setLine(w, c.line, c.to, c.actor, c.reason);
  }
  const jobs = faults.has('lost-job') ? change.jobs.slice(1) : change.jobs;
  for (const j of jobs) if (!w.jobs.has(j.key)) w.jobs.set(j.key, { ...j, state: 'queued' });
  for (const key of change.cancelJobs) {
    const job = w.jobs.get(key);
    if (job?.state === 'queued') job.state = 'cancelled';
  }
  for (const m of change.messages) if (!w.messages.has(m.key)) w.messages.set(m.key, m);
}

const saveOrder = (w: World, change: OrderChange, faults: Faults) => save(w, change, faults);

/** A payment, a verification or accepted charges: the account's or customer's blocked orders are looked at again. */
function reassess(w: World, t: Termination, actor: Actor, faults: Faults): void {
  const d = decideReassess(t, assess(t, orderFacts(w, t), policy), actor, policy, w.now);
  saveOrder(w, d, faults);
  if (d.code) w.codes.set(d.code.subject, w.now);
}

function reassessBlocked(w: World, actor: Actor, faults: Faults, which: (t: Termination) => boolean): void {
  for (const t of [...w.orders.values()]) if (t.state === 'blocked' && which(t)) reassess(w, t, actor, faults);
}

function request(w: World, a: Extract<Action, { kind: 'request' }>, faults: Faults): Outcome {
  const line = pickOne([...w.lines.values()], a.line);
  if (!line) return 'skip';
  const customer = need(w.customers, line.customerId, 'customer');
  const effective: EffectiveChoice =
    a.effective.mode === 'date'
      ? { mode: 'date', date: localDate(addDays(w.now, a.effective.daysAhead), TZ) }
      : { mode: a.effective.mode };
  const actor = a.authority === 'subscriber' ? customerActor(customer.id, a.channel) : staffActor;
  const decision = decideRequest(
    {
      request: { channel: a.channel, authority: a.authority, actor, effective, chargesAccepted: a.chargesAccepted, simCollected: a.simCollected, confirmNow: a.confirmNow },
      line,
      account: need(w.accounts, line.accountId, 'account'),
      customer,
      esimState: esimStateOf(w, line),
      otherLiveLines: othersOnAccount(w, line),
      openReference: openOrderFor(w, line.id)?.reference ?? null,
      id: `trm-${w.serial++}`,
      reference: formatReference('TRM', w.seq++),
    },
    policy,
    w.now,
  );
  if (decision.kind === 'refused') throw decision.error;
  const t = decision.termination;
  const coolingOff = a.authority === 'subscriber' ? policy.coolingOffHours[a.channel] : 0;
  assert.ok(t.effectiveAt >= addHours(w.now, coolingOff), 'the effective instant respects the cooling-off');
  assert.equal(t.lineStateBefore, line.state, 'the order remembers the state its line had');
  save(w, { ...decision, lineChanges: decision.lineChange ? [decision.lineChange] : [], cancelJobs: [] }, faults);
  if (decision.code) w.codes.set(decision.code.subject, w.now);
  return 'ok';
}

function confirm(w: World, t: Termination, faults: Faults): Outcome {
  const actor = t.authority === 'subscriber' ? customerActor(t.customerId, t.channel) : staffActor;
  const current = t.state === 'awaiting_confirmation' ? assess(t, orderFacts(w, t), policy) : null;
  const decision = decideConfirm({ order: t, actor, line: w.lines.get(t.lineId) ?? null, customer: w.customers.get(t.customerId) ?? null, current }, policy, w.now);
  if (decision.kind === 'refused') throw decision.error;
  saveOrder(w, decision, faults);
  return 'ok';
}

function withdraw(w: World, t: Termination, notMe: boolean, faults: Faults): Outcome {
  const actor = customerActor(t.customerId, t.channel);
  const decision = decideWithdraw({ order: t, actor, reason: null, notMe, line: w.lines.get(t.lineId) ?? null, customer: w.customers.get(t.customerId) ?? null }, w.now);
  if (decision.kind === 'refused') throw decision.error;
  saveOrder(w, decision, faults);
  if (decision.alert) {
    w.alerts.push(decision.alert.subjectRef);
    w.events.push(notMeReported(t, actor, w.now, `alr-${w.serial++}`));
  }
  const back = need(w.lines, t.lineId, 'line');
  assert.ok(back.state === 'active' || back.state === 'suspended', `a withdrawn termination left its line ${back.state}`);
  return 'ok';
}

function reject(w: World, t: Termination, faults: Faults): Outcome {
  const decision = decideReject({ order: t, actor: staffActor, reason: 'refused by an agent', line: w.lines.get(t.lineId) ?? null, customer: w.customers.get(t.customerId) ?? null }, w.now);
  if (decision.kind === 'refused') throw decision.error;
  saveOrder(w, decision, faults);
  return 'ok';
}

/**
 * Time passes and the jobs that are due run, in order, as the worker's
 * handlers do: an expiry lapses an order still waiting (or still blocked) at
 * its confirmBy, an execution starts a scheduled order; one that moved on
 * meanwhile makes the job a no-op.
 */
function tick(w: World, minutes: number): Outcome {
  w.now = addMinutes(w.now, minutes);
  const due = [...w.jobs.values()].filter((j) => j.state === 'queued' && j.runAt <= w.now).sort((a, b) => a.runAt.localeCompare(b.runAt));
  for (const job of due) {
    job.state = 'done';
    const t = [...w.orders.values()].find((o) => o.id === job.subject);
    if (!t) throw new Error(`model: job ${job.key} names no order`);
    if (job.kind === 'termination.expire') {
      if (t.state === 'awaiting_confirmation' && t.confirmBy !== null && t.confirmBy <= w.now) moveOrder(w, t, 'expired', systemActor, 'not confirmed in time');
      else if (t.state === 'blocked' && t.confirmBy !== null && t.confirmBy <= w.now) moveOrder(w, t, 'expired', systemActor, "still blocked after the policy's days");
    } else if (t.state === 'scheduled') {
      moveOrder(w, t, 'executing', systemActor, 'effective date reached');
    }
  }
  return 'ok';
}

function executeStep(w: World, t: Termination, faults: Faults): Outcome {
  if (t.state !== 'executing') return 'skip';
  const step = nextStep(t);
  if (step === undefined) throw new Error(`model: ${t.reference} is executing with every step done`);
  const line = need(w.lines, t.lineId, 'line');
  let patch: Partial<Termination> = {};
  let outcome: string = step;
  switch (step) {
    case 'network.bar':
      outcome = 'barred';
      break;
    case 'sim.release': {
      if (line.simType === 'sim') {
        const sim = need(w.sims, line.iccid, 'sim');
        if (sim === 'active') {
          const to: SimState = t.simCollected ? 'returned' : 'destroyed';
          recordMove(w, 'sim', simTransitions, line.iccid, sim, to, systemActor, t.reference);
          w.sims.set(line.iccid, to);
        }
      } else {
        const profile = need(w.esims, line.iccid, 'esim');
        if (!isEsimOnDevice(profile) && profile !== 'unavailable' && profile !== 'deleted') {
          recordMove(w, 'esim', esimTransitions, line.iccid, profile, 'unavailable', systemActor, t.reference);
          w.esims.set(line.iccid, 'unavailable');
        }
      }
      break;
    }
    case 'billing.settle': {
      const account = need(w.accounts, t.accountId, 'account');
      const q = quote(line, account, policy, t.effectiveAt, othersOnAccount(w, line) > 0);
      const before = account.balance;
      if (q.finalInvoice > 0) post(w, account.id, 'invoice', -q.finalInvoice, 'Final invoice', t.reference);
      if (q.refund > 0) {
        if (faults.has('refund-off-ledger')) {
          const a = need(w.accounts, account.id, 'account');
          w.accounts.set(a.id, { ...a, balance: a.balance - q.refund });
        } else post(w, account.id, 'refund', -q.refund, 'Refund of the remaining balance', t.reference);
        assert.equal(othersOnAccount(w, line), 0, 'no refund while other lines on the account keep its credit');
      }
      const after = need(w.accounts, account.id, 'account').balance;
      assert.equal(after, q.refund > 0 ? 0 : before - q.finalInvoice, 'a settled account keeps exactly what was not refunded');
      assert.equal(q.owedAfter, Math.max(0, q.finalInvoice - before), 'owedAfter is the debt the final invoice leaves');
      patch = { amountSettled: q.finalInvoice, amountRefunded: q.refund };
      outcome = `invoiced ${q.finalInvoice}, refunded ${q.refund}`;
      break;
    }
    case 'number.quarantine': {
      const until = addDays(w.now, policy.quarantine.days);
      setNumber(w, need(w.numbers, t.msisdn, 'number'), 'quarantined', until, systemActor, t.reference);
      setLine(w, line, 'terminated', systemActor, t.reference);
      patch = { quarantineUntil: until };
      outcome = `number quarantined until ${until}`;
      break;
    }
    case 'notify.completed':
      outcome = 'subscriber notified';
      break;
  }
  const done: Termination = {
    ...t,
    ...patch,
    steps: [...t.steps, { step, at: w.now, outcome }],
    lastError: null,
    updatedAt: w.now,
  };
  w.orders.set(done.reference, done);
  if (nextStep(done) === undefined) moveOrder(w, done, 'completed', systemActor, null, { completedAt: w.now });
  return 'ok';
}

function takeFromStock(w: World, simType: SimType, actor: Actor): string {
  if (simType === 'sim') {
    const iccid = [...w.sims].find(([, s]) => s === 'in_stock')?.[0];
    if (iccid === undefined) throw new AppError('NO_STOCK', { kind: 'SIM' });
    recordMove(w, 'sim', simTransitions, iccid, 'in_stock', 'active', actor, 'new line');
    w.sims.set(iccid, 'active');
    return iccid;
  }
  const iccid = [...w.esims].find(([, s]) => s === 'available')?.[0];
  if (iccid === undefined) throw new AppError('NO_STOCK', { kind: 'eSIM' });
  recordMove(w, 'esim', esimTransitions, iccid, 'available', 'allocated', actor, 'new line');
  w.esims.set(iccid, 'allocated');
  return iccid;
}

function freshLine(w: World, base: Line, id: string, simType: SimType, iccid: string): Line {
  return {
    ...base,
    id,
    simType,
    iccid,
    state: 'active',
    contract: { startedAt: w.now, minimumTermEndsAt: null, instalmentsLeft: 0 },
    dataLeftMb: 0,
    periodStart: w.now,
    periodEnd: addDays(w.now, 30),
    portOutRequestedAt: null,
    legalHoldAt: null,
    lastPaidActivityAt: w.now,
    activatedAt: w.now,
    terminatedAt: null,
  };
}

function reclaim(w: World, a: Extract<Action, { kind: 'reclaim' }>): Outcome {
  const numbers = [...w.numbers.values()];
  const quarantined = numbers.filter((n) => n.state === 'quarantined');
  const n = pickOne(quarantined.length > 0 && a.number % 5 !== 0 ? quarantined : numbers, a.number);
  if (!n) return 'skip';
  const former = latestLineOf(w, n.msisdn);
  const strangers = [...w.customers.keys()].filter((id) => id !== former?.customerId);
  const claimant = a.claimant === 'stranger' ? (pickOne(strangers, a.number) ?? former?.customerId) : former?.customerId;
  // A stranger learns nothing of the number's state: one answer whatever it is.
  if (!former || former.customerId !== claimant) throw new AppError('RECLAIM_NOT_FORMER_HOLDER', {});
  if (n.state !== 'quarantined' || !policy.quarantine.reclaimAllowed) {
    throw new AppError('NUMBER_NOT_RECLAIMABLE', { msisdn: n.msisdn, state: n.state });
  }
  const actor = customerActor(former.customerId, 'store');
  const iccid = takeFromStock(w, a.simType, actor);
  setNumber(w, n, 'assigned', null, actor, 'reclaimed by the former holder');
  addLine(w, freshLine(w, former, `ln-r${w.serial}`, a.simType, iccid), actor, 'reclaim');
  return 'ok';
}

/** A recycled number goes to a new line of any customer. */
function sell(w: World, a: Extract<Action, { kind: 'sell' }>, faults: Faults, seen: Stats): Outcome {
  const sellable = (s: NumberState) => s === 'available' || (faults.has('sell-quarantined') && s === 'quarantined');
  const candidates = [...w.numbers.values()].filter((x) => sellable(x.state));
  const recycled = candidates.filter((x) => w.events.some((e) => e.entityType === 'number' && e.entityId === x.msisdn && e.to === 'quarantined'));
  const n = pickOne(recycled.length > 0 && a.number % 3 !== 0 ? recycled : candidates, a.number);
  if (!n) return 'skip';
  const customer = pickOne([...w.customers.values()], a.customer);
  const account = [...w.accounts.values()].find((x) => x.customerId === customer?.id);
  const template = [...w.lines.values()][0];
  if (!customer || !account || !template) return 'skip';
  const actor = customerActor(customer.id, 'store');
  const iccid = takeFromStock(w, a.simType, actor);
  setNumber(w, n, 'assigned', null, actor, 'sold');
  if (recycled.includes(n)) bump(seen, 'recycled number sold again');
  const base: Line = { ...template, accountId: account.id, customerId: customer.id, msisdn: n.msisdn, monthlyFee: 30_000 };
  addLine(w, freshLine(w, base, `ln-s${w.serial}`, a.simType, iccid), actor, 'sale');
  return 'ok';
}

function sweep(w: World): Outcome {
  for (const n of [...w.numbers.values()]) {
    if (n.state === 'quarantined' && n.quarantineUntil !== null && n.quarantineUntil <= w.now) {
      setNumber(w, n, 'available', null, systemActor, 'quarantine over');
    }
  }
  return 'ok';
}

function act(w: World, a: Action, faults: Faults, seen: Stats): Outcome {
  switch (a.kind) {
    case 'request':
      return request(w, a, faults);
    case 'pay': {
      const account = pickOne([...w.accounts.values()], a.account);
      if (!account) return 'skip';
      post(w, account.id, 'payment', a.amount, 'Payment', `pay-${w.serial}`);
      reassessBlocked(w, customerActor(account.customerId, 'app'), faults, (t) => t.accountId === account.id);
      return 'ok';
    }
    case 'charge': {
      const account = pickOne([...w.accounts.values()], a.account);
      if (!account) return 'skip';
      post(w, account.id, 'charge', -a.amount, 'Usage', null);
      return 'ok';
    }
    case 'verify': {
      const customer = pickOne([...w.customers.values()], a.customer);
      if (!customer) return 'skip';
      w.customers.set(customer.id, { ...customer, identityVerifiedAt: customer.identityVerifiedAt ?? w.now });
      reassessBlocked(w, staffActor, faults, (t) => t.customerId === customer.id);
      return 'ok';
    }
    case 'accept': {
      const t = pickOrder(w, a.kind, a.order);
      if (!t) return 'skip';
      const actor = customerActor(t.customerId, t.channel);
      const accepted = decideAcceptCharges(t, actor, w.now);
      if (accepted.kind === 'refused') throw accepted.error;
      w.events.push(accepted.event);
      reassess(w, accepted.termination, actor, faults);
      return 'ok';
    }
    case 'confirm': {
      const t = pickOrder(w, a.kind, a.order);
      return t ? confirm(w, t, faults) : 'skip';
    }
    case 'withdraw': {
      const t = pickOrder(w, a.kind, a.order);
      return t ? withdraw(w, t, Boolean(a.notMe), faults) : 'skip';
    }
    case 'reject': {
      const t = pickOrder(w, a.kind, a.order);
      return t ? reject(w, t, faults) : 'skip';
    }
    case 'tick':
      return tick(w, a.minutes);
    case 'step': {
      const t = pickOrder(w, a.kind, a.order);
      return t ? executeStep(w, t, faults) : 'skip';
    }
    case 'fail': {
      const t = pickOrder(w, a.kind, a.order);
      if (!t) return 'skip';
      moveOrder(w, t, 'needs_attention', systemActor, 'step keeps failing', { lastError: `${nextStep(t) ?? '?'}: timeout` });
      return 'ok';
    }
    case 'retry': {
      const t = pickOrder(w, a.kind, a.order);
      if (!t) return 'skip';
      const retried = moveOrder(w, t, 'executing', staffActor, 'retry requested', { lastError: null });
      const last = retried.steps.at(-1);
      if (faults.has('repeat-step') && last) {
        w.orders.set(retried.reference, { ...retried, steps: [...retried.steps, { ...last, at: w.now }] });
      }
      return 'ok';
    }
    case 'reclaim':
      return reclaim(w, a);
    case 'sell':
      return sell(w, a, faults, seen);
    case 'sweep':
      return sweep(w);
  }
}

const TABLES: Readonly<Record<string, TransitionTable<string>>> = {
  termination: terminationTransitions,
  line: lineTransitions,
  number: numberTransitions,
  sim: simTransitions,
  esim: esimTransitions,
};

/**
 * Applies one action to a copy of the world. A refusal (an AppError) leaves the
 * world as it was; a refusal for an illegal move must name a move its table
 * really does not list. Anything else thrown is a failure of the property.
 */
function apply(w: World, a: Action, faults: Faults, seen: Stats): World {
  const draft = structuredClone(w);
  try {
    const outcome = act(draft, a, faults, seen);
    bump(seen, `${a.kind}: ${outcome}`);
    return draft;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    bump(seen, `${a.kind}: refused ${e.code}`);
    if (e.code === 'INVALID_TRANSITION') {
      const { entity, from, to } = e.details;
      const table = TABLES[String(entity)];
      assert.ok(table, `an illegal move names a known entity (${String(entity)})`);
      const allowed = table[String(from)];
      if (to !== 'charges accepted') {
        assert.ok(allowed && !allowed.includes(String(to)), `${String(entity)} ${String(from)} -> ${String(to)} was refused but is in the table`);
      }
    }
    return w;
  }
}

// ---------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------

const isTerminationState = (s: string | null): s is TerminationState =>
  s !== null && (TERMINATION_STATES as readonly string[]).includes(s);

function checkInvariants(w: World): void {
  const lines = [...w.lines.values()];
  const born = (line: Line) => need(w.born, line.id, 'born');

  // 1. A number is held by at most one live line, and a live line's number is assigned.
  const holders = new Map<string, Line[]>();
  for (const line of lines) {
    if (line.state === 'terminated') continue;
    holders.set(line.msisdn, [...(holders.get(line.msisdn) ?? []), line]);
    assert.equal(need(w.numbers, line.msisdn, 'number').state, 'assigned', `invariant 1: live line ${line.id} holds a number that is not assigned`);
  }
  for (const [msisdn, held] of holders) {
    assert.ok(held.length <= 1, `invariant 1: number ${msisdn} is held by ${held.map((l) => l.id).join(', ')}`);
  }
  for (const n of w.numbers.values()) {
    if (n.state === 'assigned') assert.equal(holders.get(n.msisdn)?.length, 1, `invariant 1: assigned number ${n.msisdn} has no live line`);
    assert.equal(n.state === 'quarantined', n.quarantineUntil !== null, `number ${n.msisdn}: a quarantine end exactly while quarantined`);
  }

  // 2. A terminated line's number is quarantined, reclaimed by the same customer on a newer
  //    live line, or recycled (available, or sold again only after it became available).
  for (const line of lines) {
    if (line.state !== 'terminated') continue;
    const n = need(w.numbers, line.msisdn, 'number');
    const endedAt = w.events.findIndex((e) => e.entityType === 'line' && e.entityId === line.id && e.to === 'terminated');
    assert.ok(endedAt >= 0, `invariant 2: line ${line.id} is terminated without a recorded transition`);
    if (n.state === 'quarantined' || n.state === 'available') continue;
    assert.equal(n.state, 'assigned', `invariant 2: the number of terminated line ${line.id} is ${n.state}`);
    const holder = holders.get(n.msisdn)?.[0];
    assert.ok(holder && born(holder) > born(line), `invariant 2: number ${n.msisdn} went back to an older line`);
    const recycled = w.events
      .slice(endedAt + 1)
      .some((e) => e.entityType === 'number' && e.entityId === n.msisdn && e.from === 'quarantined' && e.to === 'available');
    assert.ok(
      holder.customerId === line.customerId || recycled,
      `invariant 2: quarantined number ${n.msisdn} of ${line.customerId} went to ${holder.customerId} without being recycled`,
    );
  }

  // 3. Every account's ledger adds up to its balance.
  for (const account of w.accounts.values()) {
    const sum = w.ledger.filter((e) => e.accountId === account.id).reduce((s, e) => s + e.amount, 0);
    assert.equal(sum, account.balance, `invariant 3: ledger of ${account.id} sums to ${sum}, balance is ${account.balance}`);
  }

  // 4. Every recorded termination transition is in the table and they chain up to the order's state.
  const trail = new Map<string, StateEvent[]>();
  for (const e of w.events) if (e.entityType === 'termination' && e.action === 'transition') trail.set(e.entityId, [...(trail.get(e.entityId) ?? []), e]);
  let previousAt = '';
  for (const e of w.events) {
    assert.ok(e.at >= previousAt, 'events are recorded in time order');
    previousAt = e.at;
  }
  for (const t of w.orders.values()) {
    const events = trail.get(t.id) ?? [];
    const [first, ...rest] = events;
    assert.ok(first && first.from === null && first.to === 'requested', `invariant 4: ${t.reference} does not start at requested`);
    let state: TerminationState = 'requested';
    for (const e of rest) {
      assert.ok(isTerminationState(e.from) && isTerminationState(e.to), `invariant 4: ${t.reference} recorded ${e.from} -> ${e.to}`);
      assert.ok(canTransition(terminationTransitions, e.from, e.to), `invariant 4: ${t.reference} moved ${e.from} -> ${e.to}, not in the table`);
      assert.equal(e.from, state, `invariant 4: ${t.reference} left ${e.from} while it was ${state}`);
      state = e.to;
    }
    assert.equal(state, t.state, `invariant 4: ${t.reference} is ${t.state} but its events end at ${state}`);

    // 5. Completed at most once; each execution step once, in order.
    const completions = events.filter((e) => e.to === 'completed').length;
    assert.ok(completions <= 1, `invariant 5: ${t.reference} completed ${completions} times`);
    const names = t.steps.map((s) => s.step);
    assert.equal(new Set(names).size, names.length, `invariant 5: ${t.reference} ran a step twice: ${names.join(', ')}`);
    assert.deepEqual(names, EXECUTION_STEPS.slice(0, names.length), `invariant 5: ${t.reference} ran steps out of order`);
    if (names.length > 0) assert.ok(['executing', 'needs_attention', 'completed'].includes(t.state), `${t.reference} ran steps while ${t.state}`);
    if (t.state === 'completed') {
      assert.equal(names.length, EXECUTION_STEPS.length, `${t.reference} completed with steps missing`);
      assert.notEqual(t.amountSettled, null, `${t.reference} completed unsettled`);
      assert.equal(need(w.lines, t.lineId, 'line').state, 'terminated', `${t.reference} completed with its line alive`);
    }
    if (t.state === 'blocked') assert.ok(t.blockers.length > 0, `${t.reference} is blocked by nothing`);
    if (t.state === 'awaiting_confirmation' || t.state === 'blocked') assert.ok(t.confirmBy !== null && t.confirmBy > w.now, `${t.reference} should have expired`);
    if (t.state === 'scheduled') assert.ok(t.effectiveAt >= w.now, `${t.reference} should be executing`);
  }

  // One open order per line; a line is termination_scheduled exactly while its order is under way.
  for (const line of lines) {
    const open = [...w.orders.values()].filter((o) => o.lineId === line.id && isOpenTermination(o.state));
    assert.ok(open.length <= 1, `line ${line.id} has ${open.length} open orders`);
    const underWay = open.some((o) => ['scheduled', 'executing', 'needs_attention'].includes(o.state) && !o.steps.some((s) => s.step === 'number.quarantine'));
    assert.equal(line.state === 'termination_scheduled', underWay, `line ${line.id} is ${line.state} while its order is ${open[0]?.state ?? 'none'}`);
    const quarantinedBy = [...w.orders.values()].some((o) => o.lineId === line.id && o.steps.some((s) => s.step === 'number.quarantine'));
    assert.equal(line.state === 'terminated', quarantinedBy, `line ${line.id} is ${line.state}; terminated only by the quarantine step`);
  }

  // 6. Nothing waits for ever: an order that waits has the job that moves it on, due when the order says;
  //    a finished order has none left queued.
  const queued = [...w.jobs.values()].filter((j) => j.state === 'queued');
  for (const t of w.orders.values()) {
    // Once under way, the execution job may be queued still (a retry sends it back): it runs the steps, a no-op when done.
    const underWay = t.state === 'executing' || t.state === 'needs_attention' || t.state === 'completed';
    const mine = queued.filter((j) => j.subject === t.id && !(underWay && j.kind === 'termination.execute')).map((j) => `${j.key}@${j.runAt}`);
    const expected =
      t.state === 'awaiting_confirmation'
        ? [`expire:${t.id}@${t.confirmBy}`]
        : t.state === 'blocked'
          ? [`expire-blocked:${t.id}@${t.confirmBy}`]
          : t.state === 'scheduled'
            ? [`execute:${t.id}@${t.effectiveAt}`]
            : [];
    assert.deepEqual(mine, expected, `invariant 6: ${t.reference} is ${t.state} with jobs ${mine.join(', ') || 'none'}`);

    // 7. The holder hears of every request at the line's number; of a withdrawal too; an order waiting for
    //    its code was sent one; a "not me" raised exactly one alert.
    const receipt = w.messages.get(`${t.id}:termination.requested:sms`);
    assert.equal(receipt?.address, t.msisdn, `invariant 7: ${t.reference} sent no receipt to its line`);
    if (t.state === 'withdrawn') assert.ok(w.messages.has(`${t.id}:termination.withdrawn:sms`), `invariant 7: ${t.reference} withdrawn without telling the holder`);
    if (t.state === 'awaiting_confirmation' && confirmationCodeFor(t)) assert.ok(w.codes.has(t.reference), `invariant 7: ${t.reference} waits for a code never sent`);
    const alerts = w.alerts.filter((r) => r === t.reference).length;
    assert.equal(alerts, t.disownedAt === null ? 0 : 1, `invariant 7: ${t.reference} disowned ${t.disownedAt ?? 'never'} with ${alerts} alerts`);
  }

  // A SIM or eSIM belongs to one line ever (ICCIDs are not reused).
  const iccids = lines.map((l) => l.iccid);
  assert.equal(new Set(iccids).size, iccids.length, 'an ICCID was given to two lines');
}

// ---------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------

const rare = fc.integer({ min: 0, max: 9 }).map((n) => n === 0);

const customerSeedArb: fc.Arbitrary<CustomerSeed> = fc.record({
  balance: fc.oneof(fc.integer({ min: -80_000, max: 80_000 }), fc.constant(0)),
  foreigner: fc.boolean(),
  verified: fc.boolean(),
});

const lineSeedArb: fc.Arbitrary<LineSeed> = fc.record({
  customer: fc.nat({ max: 2 }),
  simType: fc.constantFrom<SimType>('sim', 'esim'),
  esimState: fc.constantFrom<EsimState>('released', 'downloaded', 'installed', 'enabled', 'disabled'),
  monthlyFee: fc.integer({ min: 0, max: 150_000 }),
  minTermDays: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 720 })),
  instalments: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 90_000 })),
  dataLeftMb: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000 })),
  suspended: rare,
  legalHold: rare,
  portOut: rare,
});

const worldSeedArb: fc.Arbitrary<WorldSeed> = fc.record({
  startMinutes: fc.integer({ min: 0, max: 2 * 365 * 1440 }),
  customers: fc.array(customerSeedArb, { minLength: 1, maxLength: 3 }),
  lines: fc.array(lineSeedArb, { minLength: 2, maxLength: 5 }),
  spareNumbers: fc.nat({ max: 2 }),
  stock: fc.integer({ min: 2, max: 6 }),
});

const orderPickArb: fc.Arbitrary<OrderPick> = fc.record({
  index: fc.nat({ max: 40 }),
  among: fc.constantFrom('ready', 'ready', 'ready', 'ready', 'open', 'any'),
});

const effectiveArb: fc.Arbitrary<EffectiveSpec> = fc.oneof(
  fc.constant({ mode: 'now' as const }),
  fc.constant({ mode: 'end_of_period' as const }),
  fc.record({ mode: fc.constant('date' as const), daysAhead: fc.integer({ min: -3, max: 100 }) }),
);

const minutesArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 48 }).map((h) => h * 60) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 200 }).map((d) => d * 1440) },
  { weight: 2, arbitrary: fc.constant((policy.quarantine.days + 1) * 1440) },
);

const onOrder = <K extends OrderAction>(kind: K) =>
  fc.record({ kind: fc.constant(kind), order: orderPickArb });

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      line: fc.nat({ max: 40 }),
      channel: fc.constantFrom(...CHANNELS),
      authority: fc.constantFrom<Authority>('subscriber', 'subscriber', 'operator'),
      effective: effectiveArb,
      chargesAccepted: fc.boolean(),
      simCollected: fc.boolean(),
      confirmNow: rare,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pay' as const), account: fc.nat({ max: 5 }), amount: fc.integer({ min: 1, max: 200_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('charge' as const), account: fc.nat({ max: 5 }), amount: fc.integer({ min: 1, max: 50_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('verify' as const), customer: fc.nat({ max: 5 }) }) },
  { weight: 3, arbitrary: onOrder('accept') },
  { weight: 8, arbitrary: onOrder('confirm') },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), order: orderPickArb, notMe: rare }) },
  { weight: 1, arbitrary: onOrder('reject') },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('tick' as const), minutes: minutesArb }) },
  { weight: 12, arbitrary: onOrder('step') },
  { weight: 2, arbitrary: onOrder('fail') },
  { weight: 2, arbitrary: onOrder('retry') },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reclaim' as const),
      number: fc.nat({ max: 20 }),
      claimant: fc.constantFrom('former', 'former', 'stranger'),
      simType: fc.constantFrom<SimType>('sim', 'esim'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('sell' as const),
      number: fc.nat({ max: 20 }),
      customer: fc.nat({ max: 5 }),
      simType: fc.constantFrom<SimType>('sim', 'esim'),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'sweep' as const }) },
);

const scenarioArb = fc.tuple(worldSeedArb, fc.array(actionArb, { minLength: 1, maxLength: 150, size: 'max' }));

// ---------------------------------------------------------------------------
// Coverage bookkeeping
// ---------------------------------------------------------------------------

type Stats = Map<string, number>;
const bump = (stats: Stats, key: string, by = 1) => stats.set(key, (stats.get(key) ?? 0) + by);

function tally(w: World, stats: Stats): void {
  for (const e of w.events) {
    if (e.entityType === 'termination' && e.from !== null) bump(stats, `reached ${e.to}`);
    if (e.entityType === 'termination' && e.from === 'blocked') bump(stats, 'unblocked');
    if (e.entityType === 'number') bump(stats, `number ${e.from} -> ${e.to}`);
    if (e.action === 'not_me_reported') bump(stats, 'not me reported');
    if (e.entityType === 'termination' && e.from === 'awaiting_confirmation' && e.to === 'scheduled' && e.reason === 'confirmed by the requester') bump(stats, 'confirmed at once');
  }
}

function runScenario(seed: WorldSeed, actions: readonly Action[], faults: Faults, stats: Stats): World {
  let w = buildWorld(seed);
  checkInvariants(w);
  for (const action of actions) {
    w = apply(w, action, faults, stats);
    checkInvariants(w);
  }
  tally(w, stats);
  return w;
}

// ---------------------------------------------------------------------------
// Lifecycle properties
// ---------------------------------------------------------------------------

test('random lifecycles keep numbers single-held, ledgers balanced and orders on the lifecycle table', () => {
  const stats: Stats = new Map();
  let runs = 0;
  let actions = 0;
  fc.assert(
    fc.property(scenarioArb, ([seed, list]) => {
      runs++;
      actions += list.length;
      runScenario(seed, list, NO_FAULTS, stats);
    }),
    { numRuns: RUNS },
  );
  if (process.env.LIFECYCLE_STATS) {
    console.log(`${runs} runs, ${actions} actions`);
    console.log([...stats].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `  ${k}: ${v}`).join('\n'));
  }
  // The generators must actually drive orders through the whole lifecycle.
  for (const reached of ['reached completed', 'reached withdrawn', 'reached expired', 'reached rejected', 'reached needs_attention', 'unblocked']) {
    assert.ok((stats.get(reached) ?? 0) > 0, `no run ${reached}`);
  }
  for (const move of ['number assigned -> quarantined', 'number quarantined -> assigned', 'number quarantined -> available', 'number available -> assigned']) {
    assert.ok((stats.get(move) ?? 0) > 0, `no run saw ${move}`);
  }
  assert.ok((stats.get('reclaim: refused RECLAIM_NOT_FORMER_HOLDER') ?? 0) > 0, 'no stranger tried to reclaim a number');
  assert.ok((stats.get('recycled number sold again') ?? 0) > 0, 'no recycled number was sold again');
  assert.ok((stats.get('confirm: refused INVALID_TRANSITION') ?? 0) > 0, 'no illegal confirm was tried');
  assert.ok((stats.get('not me reported') ?? 0) > 0, 'no holder said "not me"');
  assert.ok((stats.get('confirmed at once') ?? 0) > 0, 'no request was confirmed at once');
});

test('transition() refuses every move the lifecycle table does not list', () => {
  const at = toInstant(BASE_MS);
  for (const from of TERMINATION_STATES) {
    for (const to of TERMINATION_STATES) {
      const t: Termination = { ...sampleTermination(), state: from };
      if (terminationTransitions[from].includes(to)) {
        const { termination, event } = transition(t, to, systemActor, at);
        assert.equal(termination.state, to);
        assert.deepEqual([event.from, event.to, event.entityId], [from, to, t.id]);
        assert.equal(t.state, from, 'transition() does not mutate its input');
      } else {
        assert.throws(
          () => transition(t, to, systemActor, at),
          (e: unknown) => e instanceof AppError && e.code === 'INVALID_TRANSITION' && e.details.from === from && e.details.to === to,
          `${from} -> ${to} must be refused`,
        );
      }
    }
  }
});

/** Runs the lifecycle property against a deliberately broken model and expects a counterexample naming `marker`. */
function expectCaught(fault: Fault, marker: RegExp): void {
  const stats: Stats = new Map();
  const details = fc.check(
    fc.property(scenarioArb, ([seed, list]) => {
      runScenario(seed, list, new Set([fault]), stats);
    }),
    { numRuns: 1000, endOnFailure: true },
  );
  assert.ok(details.failed, `the invariants did not notice the ${fault} fault`);
  assert.match(String(details.errorInstance), marker);
}

test('the invariants catch a refund paid without a ledger entry', () => {
  expectCaught('refund-off-ledger', /invariant 3/);
});

test('the invariants catch a quarantined number handed to another customer', () => {
  expectCaught('sell-quarantined', /invariant 2/);
});

test('the invariants catch a retried order that runs a step twice', () => {
  expectCaught('repeat-step', /invariant 5/);
});

test('the invariants catch a job a decision asked for that never reached the queue', () => {
  expectCaught('lost-job', /invariant 6/);
});

// ---------------------------------------------------------------------------
// Directed scenarios on the same model
// ---------------------------------------------------------------------------

const pick0: OrderPick = { index: 0, among: 'open' };
const lineSeedFixed: LineSeed = {
  customer: 0,
  simType: 'sim',
  esimState: 'enabled',
  monthlyFee: 30_000,
  minTermDays: 0,
  instalments: 0,
  dataLeftMb: 0,
  suspended: false,
  legalHold: false,
  portOut: false,
};

function play(w0: World, actions: readonly Action[]): World {
  const stats: Stats = new Map();
  let w = w0;
  for (const a of actions) {
    w = apply(w, a, NO_FAULTS, stats);
    checkInvariants(w);
  }
  return w;
}

const onlyOrder = (w: World): Termination => {
  const [t] = [...w.orders.values()];
  assert.ok(t, 'an order exists');
  return t;
};

test('a withdrawn termination frees the line again', () => {
  fc.assert(
    fc.property(lineSeedArb, customerSeedArb, fc.constantFrom(...CHANNELS), (line, customer, channel) => {
      const w0 = buildWorld({ startMinutes: 0, customers: [customer], lines: [{ ...line, customer: 0 }], spareNumbers: 0, stock: 1 });
      const before = need(w0.lines, 'ln-0', 'line').state;
      const w = play(w0, [
        { kind: 'request', line: 0, channel, authority: 'operator', effective: { mode: 'date', daysAhead: 30 }, chargesAccepted: true, simCollected: false },
        { kind: 'confirm', order: pick0 },
      ]);
      const t = onlyOrder(w);
      if (t.state !== 'scheduled') return; // a legal hold or port-out stops even the operator
      assert.equal(need(w.lines, 'ln-0', 'line').state, 'termination_scheduled');
      const after = play(w, [{ kind: 'withdraw', order: pick0 }]);
      assert.equal(onlyOrder(after).state, 'withdrawn');
      assert.equal(need(after.lines, 'ln-0', 'line').state, before);
      // The line is free: a new request is accepted.
      const again = play(after, [
        { kind: 'request', line: 0, channel, authority: 'operator', effective: { mode: 'now' }, chargesAccepted: true, simCollected: false },
      ]);
      assert.equal([...again.orders.values()].length, 2);
    }),
    { numRuns: 200 },
  );
});

test('a termination cannot be withdrawn once its effective instant has passed', () => {
  const w0 = buildWorld({ startMinutes: 0, customers: [{ balance: 0, foreigner: false, verified: true }], lines: [lineSeedFixed], spareNumbers: 0, stock: 1 });
  const w = play(w0, [
    { kind: 'request', line: 0, channel: 'web', authority: 'subscriber', effective: { mode: 'now' }, chargesAccepted: false, simCollected: false },
    { kind: 'confirm', order: pick0 },
    { kind: 'tick', minutes: 25 * 60 },
    { kind: 'withdraw', order: pick0 },
  ]);
  assert.equal(onlyOrder(w).state, 'executing');
});

test('a paid debt unblocks the order, and a completed termination quarantines the number for its former holder to reclaim', () => {
  const w0 = buildWorld({
    startMinutes: 0,
    customers: [{ balance: -12_345, foreigner: false, verified: true }],
    lines: [{ ...lineSeedFixed, simType: 'esim', esimState: 'enabled', dataLeftMb: 500 }],
    spareNumbers: 0,
    stock: 1,
  });
  let w = play(w0, [
    { kind: 'request', line: 0, channel: 'app', authority: 'subscriber', effective: { mode: 'now' }, chargesAccepted: false, simCollected: false },
  ]);
  assert.equal(onlyOrder(w).state, 'blocked');
  assert.deepEqual(onlyOrder(w).blockers, [{ code: 'UNPAID_BALANCE', amount: 12_345 }]);
  w = play(w, [
    { kind: 'pay', account: 0, amount: 112_345 },
    { kind: 'confirm', order: pick0 },
    { kind: 'tick', minutes: 24 * 60 },
    ...EXECUTION_STEPS.map((): Action => ({ kind: 'step', order: { index: 0, among: 'any' } })),
  ]);
  const t = onlyOrder(w);
  assert.equal(t.state, 'completed');
  assert.equal(w.numbers.get(t.msisdn)?.state, 'quarantined');
  assert.equal(need(w.accounts, 'acc-0', 'account').balance, 0, 'the remaining credit was refunded');
  assert.equal((t.amountSettled ?? 0) + (t.amountRefunded ?? 0), 100_000, 'invoice and refund use up the balance');
  w = play(w, [{ kind: 'reclaim', number: 0, claimant: 'former', simType: 'sim' }]);
  assert.equal(w.numbers.get(t.msisdn)?.state, 'assigned');
  assert.equal(liveLines(w).length, 1);
  assert.notEqual(liveLines(w)[0]?.id, t.lineId);
});

test('a quarantined number nobody reclaims is recycled after the quarantine', () => {
  const w0 = buildWorld({ startMinutes: 0, customers: [{ balance: 0, foreigner: false, verified: true }], lines: [lineSeedFixed], spareNumbers: 0, stock: 1 });
  const w = play(w0, [
    { kind: 'request', line: 0, channel: 'store', authority: 'subscriber', effective: { mode: 'now' }, chargesAccepted: false, simCollected: true },
    { kind: 'confirm', order: pick0 },
    { kind: 'tick', minutes: 0 },
    ...EXECUTION_STEPS.map((): Action => ({ kind: 'step', order: pick0 })),
    { kind: 'tick', minutes: (policy.quarantine.days - 1) * 1440 },
    { kind: 'sweep' },
  ]);
  const msisdn = onlyOrder(w).msisdn;
  assert.equal(w.numbers.get(msisdn)?.state, 'quarantined', 'still quarantined a day before the end');
  assert.equal(w.sims.get(need(w.lines, 'ln-0', 'line').iccid), 'returned', 'a SIM handed in at the store is returned');
  const later = play(w, [{ kind: 'tick', minutes: 1440 }, { kind: 'sweep' }]);
  assert.equal(later.numbers.get(msisdn)?.state, 'available');
});

// ---------------------------------------------------------------------------
// preview(), quote() and references
// ---------------------------------------------------------------------------

function sampleInput(overrides: Partial<PreviewInput> = {}): PreviewInput {
  return {
    line: sampleLine(),
    account: sampleAccount(0),
    customer: sampleCustomer(),
    esimState: null,
    policy,
    channel: 'web',
    authority: 'subscriber',
    effective: { mode: 'now' },
    feeAccepted: false,
    instalmentsAccepted: false,
    otherLiveLines: 0,
    now: NOW,
    ...overrides,
  };
}

/** A fresh order of the sample line, as the real request decision makes it (awaiting its code). */
function sampleTermination(): Termination {
  const d = decideRequest(sampleRequestFacts(), policy, NOW);
  assert.equal(d.kind, 'created');
  return { ...(d as Extract<typeof d, { kind: 'created' }>).termination, state: 'requested' };
}

const codes = (list: readonly { code: string }[]) => list.map((x) => x.code);

test('an eSIM line in debt is blocked for the unpaid balance and warns that its data will be lost', () => {
  const facts = preview(
    sampleInput({
      line: sampleLine({ simType: 'esim', dataLeftMb: 2048 }),
      account: sampleAccount(-4_500),
      esimState: 'enabled',
    }),
  );
  assert.deepEqual(facts.blockers, [{ code: 'UNPAID_BALANCE', amount: 4_500 }]);
  assert.equal(facts.quote.owed, 4_500);
  assert.ok(facts.warnings.some((w) => w.code === 'DATA_WILL_BE_LOST' && w.dataLeftMb === 2048));
  assert.ok(codes(facts.warnings).includes('DELETE_ESIM_ON_DEVICE'));
  assert.ok(!codes(facts.warnings).includes('REMOVE_SIM_PIN'));
});

test('any debt on an eSIM line with data blocks a subscriber and warns of the data loss', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(...CHANNELS), (debt, mb, channel) => {
      const facts = preview(sampleInput({ line: sampleLine({ simType: 'esim', dataLeftMb: mb }), account: sampleAccount(-debt), esimState: 'installed', channel }));
      assert.deepEqual(facts.blockers.find((b) => b.code === 'UNPAID_BALANCE'), { code: 'UNPAID_BALANCE', amount: debt });
      assert.ok(facts.warnings.some((w) => w.code === 'DATA_WILL_BE_LOST' && w.dataLeftMb === mb));
    }),
    { numRuns: 200 },
  );
});

test('an operator order ignores the unpaid balance but still stops at a legal hold', () => {
  const input = sampleInput({
    line: sampleLine({ legalHoldAt: '2026-03-01T00:00:00.000Z', state: 'suspended', contract: { startedAt: NOW, minimumTermEndsAt: '2027-01-01T00:00:00.000Z', instalmentsLeft: 5_000 } }),
    account: sampleAccount(-9_000),
    customer: sampleCustomer({ identityVerifiedAt: null }),
    channel: 'store',
  });
  const subscriber = preview(input);
  assert.deepEqual(codes(subscriber.blockers).sort(), [
    'DEVICE_INSTALMENTS_OUTSTANDING',
    'EARLY_TERMINATION_FEE_NOT_ACCEPTED',
    'IDENTITY_NOT_VERIFIED',
    'LEGAL_HOLD',
    'LINE_NOT_ACTIVE',
    'UNPAID_BALANCE',
  ]);
  const operator = preview({ ...input, authority: 'operator' });
  assert.deepEqual(codes(operator.blockers), ['LEGAL_HOLD']);
  assert.equal(operator.quote.owedAfter, 9_000 + operator.quote.finalInvoice, 'the debt stays for the final invoice');
  const released = preview({ ...input, authority: 'operator', line: { ...input.line, legalHoldAt: null } });
  assert.deepEqual(released.blockers, []);
});

test('an effective date in the past is refused with INVALID_EFFECTIVE_DATE', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 1439 }), (daysBack, minute) => {
      const now = addMinutes(NOW, minute);
      const date = localDate(addDays(now, -daysBack), TZ);
      assert.throws(
        () => preview(sampleInput({ now, effective: { mode: 'date', date } })),
        (e: unknown) => e instanceof AppError && e.code === 'INVALID_EFFECTIVE_DATE' && e.details.reason === 'in the past',
      );
    }),
    { numRuns: 200 },
  );
  const today = localDate(NOW, TZ);
  assert.equal(preview(sampleInput({ authority: 'operator', effective: { mode: 'date', date: today } })).effectiveAt, NOW, 'today means now');
});

test('the refund is what the balance leaves after the final invoice', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -500_000, max: 2_000_000 }),
      fc.integer({ min: 0, max: 150_000 }),
      fc.integer({ min: 0, max: 100_000 }),
      fc.integer({ min: 0, max: 30 * 24 }),
      (balance, monthlyFee, instalments, hours) => {
        const line = sampleLine({ monthlyFee, contract: { startedAt: NOW, minimumTermEndsAt: null, instalmentsLeft: instalments } });
        const q = quote(line, sampleAccount(balance), policy, addHours('2026-03-01T00:00:00.000Z', hours));
        assert.equal(q.finalInvoice, q.finalUsage + q.earlyTerminationFee + q.instalmentsLeft);
        assert.ok(q.finalUsage >= 0 && q.finalUsage <= monthlyFee);
        const left = balance - q.finalInvoice;
        const expected = left >= Math.max(1, policy.refund.minimumAmount) ? left : 0;
        assert.equal(q.refund, expected);
        assert.equal(q.owedAfter, Math.max(0, -left));
        assert.equal(q.owed, Math.max(0, -balance));
      },
    ),
    { numRuns: 500 },
  );
  const q = quote(sampleLine(), sampleAccount(100_000), policy, '2026-03-16T00:00:00.000Z');
  assert.equal(q.finalUsage, 15_000, 'half of the period used');
  assert.equal(q.refund, 100_000 - 15_000);
});

test('references are unique for 100k consecutive sequence numbers and look like TRM-XXXX-XXXX', () => {
  const pattern = /^TRM-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
  for (const start of [0, 2 ** 40 - 100_000]) {
    const seen = new Set<string>();
    for (let n = start; n < start + 100_000; n++) {
      const ref = formatReference('TRM', n);
      assert.match(ref, pattern);
      seen.add(ref);
    }
    assert.equal(seen.size, 100_000, `collisions after ${start}`);
  }
});

test('a reference gives back the sequence number it was made from, over the whole 40-bit range', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 40 - 1 }), (n) => {
      assert.equal(referenceSequence(formatReference('TRM', n)), n);
    }),
    { numRuns: 20_000 },
  );
  for (const n of [0, 1, 2 ** 20, 2 ** 40 - 1]) assert.equal(referenceSequence(formatReference('RCL', n)), n);
  for (const text of ['TRM-UUUU-0000', 'trm-0000-0000', 'TRM-0000-000', '']) assert.equal(referenceSequence(text), undefined, text);
});

test('normalizeReference undoes lower case, spaces, missing dashes and O/I/L typed for 0/1', () => {
  const typedChar = (c: string) =>
    c === '0'
      ? fc.constantFrom('0', 'O', 'o')
      : c === '1'
        ? fc.constantFrom('1', 'I', 'i', 'L', 'l')
        : fc.constantFrom(c, c.toLowerCase());
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 40 - 1 }).chain((n) => {
        const ref = formatReference('TRM', n);
        const body = ref.slice(4).replace('-', '');
        return fc.tuple(
          fc.constant(ref),
          fc.tuple(...[...body].map(typedChar)),
          fc.constantFrom('TRM', 'trm', 'Trm'),
          fc.constantFrom('-', '', ' - ', ' '),
          fc.constantFrom('-', '', ' '),
          fc.constantFrom('', ' ', '\t'),
        );
      }),
      ([ref, chars, prefix, dash1, dash2, pad]) => {
        const typed = `${pad}${prefix}${dash1}${chars.slice(0, 4).join('')}${dash2}${chars.slice(4).join('')}${pad}`;
        assert.equal(normalizeReference(typed), ref, `typed ${JSON.stringify(typed)}`);
        assert.equal(normalizeReference(ref), ref);
      },
    ),
    { numRuns: 1000 },
  );
  assert.equal(normalizeReference('TRM-0000-000'), undefined, 'too short');
  assert.equal(normalizeReference('TRM-UUUU-0000'), undefined, 'U is not in the alphabet');
});
