import type { AppContext } from '../app/context.ts';
import { documentHash, hashPassword } from '../app/secrets.ts';
import { localDate } from '../domain/time.ts';
import type { Language } from '../domain/languages.ts';
import { insertRows } from '../store/bulk.ts';
import { inTransaction } from '../store/database.ts';
import type { AccountsTable, CustomersTable, EsimProfilesTable, LinesTable, NumberAssignmentsTable, NumbersTable, SimsTable } from '../store/schema.ts';
import { seedShops } from './shops.ts';
import { EN_NAMES, PLANS, RU_NAMES, ZH_NAMES } from './names.ts';
import { type Random, seededRandom } from './random.ts';

export interface DemoLogin {
  readonly login: string;
  readonly password: string;
  readonly role: 'subscriber' | 'shop_agent' | 'call_agent' | 'back_office' | 'admin';
  readonly description: string;
}

export interface SeedSummary {
  customers: number;
  lines: number;
  sim: number;
  esim: number;
  inDebt: number;
  withCredit: number;
  withMinimumTerm: number;
  foreignersUnverified: number;
  languages: Record<string, number>;
  stock: { sims: number; esims: number };
  demoLogins: DemoLogin[];
}

export const DEMO_PASSWORD = 'demo1234';
const DAY = 86_400_000;

/** Deterministic MSISDNs in the Russian mobile range +7 9xx: customer i gets +7999 followed by 7 digits. */
export const demoMsisdn = (index: number): string => `+7999${String(index).padStart(7, '0')}`;

interface Batch {
  customers: CustomersTable[];
  accounts: AccountsTable[];
  numbers: NumbersTable[];
  assignments: NumberAssignmentsTable[];
  lines: LinesTable[];
  sims: SimsTable[];
  esims: EsimProfilesTable[];
}

const emptyBatch = (): Batch => ({ customers: [], accounts: [], numbers: [], assignments: [], lines: [], sims: [], esims: [] });

function startOfMonth(ms: number, offset: number): string {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)).toISOString();
}

/** The first customers are shaped for demos and browser tests: each shows one situation. */
const SHOWCASE: readonly { language: Language; simType: 'sim' | 'esim'; balance: number; dataLeftMb: number; minimumTerm: boolean; description: string }[] = [
  { language: 'zh', simType: 'esim', balance: -45000, dataLeftMb: 12_000, minimumTerm: false, description: 'eSIM, owes 450 RUB, 12 GB left (Chinese)' },
  { language: 'ru', simType: 'sim', balance: 25000, dataLeftMb: 3_000, minimumTerm: false, description: 'SIM, 250 RUB credit (Russian)' },
  { language: 'en', simType: 'esim', balance: 10000, dataLeftMb: 500, minimumTerm: false, description: 'eSIM, 100 RUB credit (English)' },
  { language: 'en', simType: 'sim', balance: 0, dataLeftMb: 0, minimumTerm: true, description: 'SIM under a minimum term: early-termination fee (English)' },
  { language: 'ru', simType: 'esim', balance: 0, dataLeftMb: 8_000, minimumTerm: false, description: 'eSIM, nothing owed (Russian)' },
  { language: 'zh', simType: 'sim', balance: 5000, dataLeftMb: 2_000, minimumTerm: false, description: 'SIM, 50 RUB credit (Chinese)' },
];

/** The digits of demo customer i's identity document (after its country code). */
const demoDocumentDigits = (i: number): string => String(4_000_000 + i * 7919).padStart(9, '0');

function makeCustomer(i: number, rnd: Random, nowMs: number, periodStart: string, periodEnd: string, batch: Batch, summary: SeedSummary, documentKey: string) {
  const show = SHOWCASE[i];
  const language = show?.language ?? (rnd.chance(0.6) ? 'ru' : rnd.chance(0.6) ? 'en' : 'zh');
  const names = language === 'ru' ? RU_NAMES : language === 'en' ? EN_NAMES : ZH_NAMES;
  const name = language === 'zh' ? `${rnd.pick(names.last)}${rnd.pick(names.first)}` : `${rnd.pick(names.first)} ${rnd.pick(names.last)}`;
  const docCountry = language === 'ru' ? (rnd.chance(0.95) ? 'RU' : 'KZ') : language === 'zh' ? 'CN' : rnd.pick(['GB', 'US', 'DE', 'IN']);
  const foreigner = docCountry !== 'RU';
  const verified = show ? true : !foreigner || rnd.chance(0.7);
  if (foreigner && !verified) summary.foreignersUnverified++;
  summary.languages[language] = (summary.languages[language] ?? 0) + 1;
  const id = `cus_${String(i).padStart(8, '0')}`;
  const docNumber = `${docCountry}${demoDocumentDigits(i)}`;
  const created = new Date(nowMs - rnd.int(60, 2000) * DAY).toISOString();
  batch.customers.push({
    id,
    name,
    language,
    email: show || rnd.chance(0.8) ? `customer${i}@example.net` : null,
    birth_date: `${rnd.int(1950, 2004)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
    doc_type: foreigner ? 'passport' : rnd.pick(['passport', 'national_id']),
    doc_country: docCountry,
    doc_hash: documentHash(documentKey, docNumber),
    doc_last4: docNumber.slice(-4),
    foreigner: foreigner ? 1 : 0,
    identity_verified_at: verified ? created : null,
    password_hash: null,
    oidc_subject: null,
    created_at: created,
  });
  const balance = show?.balance ?? (rnd.chance(0.15) ? -rnd.int(100, 5000) * 100 : rnd.chance(0.55) ? rnd.int(1, 3000) * 100 : 0);
  if (balance < 0) summary.inDebt++;
  if (balance > 0) summary.withCredit++;
  const accountId = `acc_${String(i).padStart(8, '0')}`;
  batch.accounts.push({ id: accountId, customer_id: id, currency: 'RUB', balance, created_at: created });
  const msisdn = demoMsisdn(i);
  const plan = PLANS[i % PLANS.length] ?? PLANS[0];
  const simType = show?.simType ?? (rnd.chance(0.4) ? 'esim' : 'sim');
  const iccid = `8970199${String(i).padStart(12, '0')}`;
  if (simType === 'sim') {
    summary.sim++;
    batch.sims.push({ iccid, imsi: `25099${String(i).padStart(10, '0')}`, state: 'active', updated_at: created });
  } else {
    summary.esim++;
    const state = rnd.chance(0.9) ? rnd.pick(['installed', 'enabled', 'enabled', 'disabled']) : 'released';
    batch.esims.push({ iccid, eid: state === 'released' ? null : `8904903200${String(i).padStart(22, '0')}`, smdp_address: 'smdp.example.net', matching_id: `MID-${String(i).padStart(8, '0')}`, state: show ? 'enabled' : state, awaiting_device_deletion_since: null, updated_at: created });
  }
  const minimumTerm = show?.minimumTerm ?? rnd.chance(0.2);
  if (minimumTerm) summary.withMinimumTerm++;
  const contractStart = show?.minimumTerm ? new Date(nowMs - 100 * DAY).toISOString() : created;
  const state = show ? 'active' : rnd.chance(0.03) ? 'suspended' : 'active';
  const lineId = `ln_${String(i).padStart(8, '0')}`;
  batch.numbers.push({ msisdn, state: 'assigned', quarantine_until: null, updated_at: created });
  batch.assignments.push({ id: `na_${String(i).padStart(8, '0')}`, msisdn, line_id: lineId, customer_id: id, from_at: created, to_at: null });
  batch.lines.push({
    id: lineId,
    account_id: accountId,
    customer_id: id,
    msisdn,
    sim_type: simType,
    iccid,
    plan_name: plan.name,
    monthly_fee: plan.fee,
    state,
    contract_started_at: contractStart,
    minimum_term_ends_at: minimumTerm ? new Date(Date.parse(contractStart) + 365 * DAY).toISOString() : null,
    instalments_left: !show && minimumTerm && rnd.chance(0.4) ? rnd.int(10, 60) * 100 * 100 : 0,
    data_left_mb: show?.dataLeftMb ?? rnd.int(0, plan.dataMb),
    period_start: periodStart,
    period_end: periodEnd,
    port_out_requested_at: !show && rnd.chance(0.01) ? new Date(nowMs - DAY).toISOString() : null,
    legal_hold_at: !show && rnd.chance(0.005) ? new Date(nowMs - 30 * DAY).toISOString() : null,
    // Most lines were used lately; a few are nearing the dormancy limit (notices) and a few are past it.
    last_paid_activity_at: new Date(nowMs - (show ? 1 : rnd.chance(0.85) ? rnd.int(0, 60) : rnd.chance(0.66) ? rnd.int(150, 179) : rnd.int(181, 400)) * DAY).toISOString(),
    activated_at: created,
    terminated_at: null,
  });
  summary.lines++;
  summary.customers++;
}

async function flush(ctx: AppContext, batch: Batch): Promise<void> {
  await inTransaction(ctx.store, async (tx) => {
    await insertRows(tx, 'customers', batch.customers);
    await insertRows(tx, 'accounts', batch.accounts);
    await insertRows(tx, 'numbers', batch.numbers);
    await insertRows(tx, 'sims', batch.sims);
    await insertRows(tx, 'esim_profiles', batch.esims);
    await insertRows(tx, 'lines', batch.lines);
    await insertRows(tx, 'number_assignments', batch.assignments);
  });
}

/**
 * Adds `customers` customers (one line each), spare SIM and eSIM stock, and the
 * demo staff. Deterministic for a given seed and day. `onProgress` sees the
 * count written so far. Customer indexes start after those already present,
 * so seeding twice adds rather than collides.
 */
export async function seed(ctx: AppContext, options: { customers: number; seed?: number; onProgress?: (done: number) => void }): Promise<SeedSummary> {
  const rnd = seededRandom(options.seed ?? 1);
  const now = ctx.clock();
  const nowMs = Date.parse(`${localDate(now, 'UTC')}T00:00:00.000Z`);
  const periodStart = startOfMonth(nowMs, 0);
  const periodEnd = startOfMonth(nowMs, 1);
  const existing = Number((await ctx.store.db.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const summary: SeedSummary = { customers: 0, lines: 0, sim: 0, esim: 0, inDebt: 0, withCredit: 0, withMinimumTerm: 0, foreignersUnverified: 0, languages: {}, stock: { sims: 0, esims: 0 }, demoLogins: [] };
  let batch = emptyBatch();
  for (let k = 0; k < options.customers; k++) {
    makeCustomer(existing + k, rnd, nowMs, periodStart, periodEnd, batch, summary, ctx.secrets.documentKey);
    if (batch.customers.length >= 5000) {
      await flush(ctx, batch);
      batch = emptyBatch();
      options.onProgress?.(k + 1);
    }
  }
  await flush(ctx, batch);
  options.onProgress?.(options.customers);

  const stock = Math.max(5, Math.ceil(options.customers / 10));
  await inTransaction(ctx.store, async (tx) => {
    const base = 9_000_000_000 + existing * 10;
    await insertRows(tx, 'sims', Array.from({ length: stock }, (_, j) => ({ iccid: `8970199${String(base + j).padStart(12, '0')}`, imsi: `25099${String(base + j).padStart(10, '0')}`, state: 'in_stock', updated_at: now })));
    await insertRows(tx, 'esim_profiles', Array.from({ length: stock }, (_, j) => ({ iccid: `8970198${String(base + j).padStart(12, '0')}`, eid: null, smdp_address: 'smdp.example.net', matching_id: `MID-S${String(base + j)}`, state: 'available', awaiting_device_deletion_since: null, updated_at: now })));
  });
  summary.stock = { sims: stock, esims: stock };
  summary.demoLogins = existing === 0 ? await seedLogins(ctx, Math.min(options.customers, SHOWCASE.length), now) : [];
  return summary;
}

async function seedLogins(ctx: AppContext, showcase: number, now: string): Promise<DemoLogin[]> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const logins: DemoLogin[] = [];
  const staff: { login: string; name: string; role: DemoLogin['role']; shop: string | null; description: string }[] = [
    { login: 'backoffice', name: 'Back Office', role: 'back_office', shop: null, description: 'back office: bulk, retries, reports, TMF622' },
    { login: 'shop1', name: 'Shop Agent 1', role: 'shop_agent', shop: 'shop-1', description: 'shop agent at shop-1' },
    { login: 'shop2', name: 'Shop Agent 2', role: 'shop_agent', shop: 'shop-2', description: 'shop agent at shop-2' },
    { login: 'callcentre', name: 'Call Agent', role: 'call_agent', shop: null, description: 'call-centre agent' },
    { login: 'admin', name: 'Administrator', role: 'admin', shop: null, description: 'administrator' },
  ];
  await inTransaction(ctx.store, async (tx) => {
    for (let i = 0; i < showcase; i++) {
      const id = `cus_${String(i).padStart(8, '0')}`;
      await tx.updateTable('customers').set({ password_hash: hash }).where('id', '=', id).execute();
      // What the phone hotline asks for (the last 4 document digits), so a demo caller can get past its menu.
      const doc = await tx.selectFrom('customers').select(['doc_last4', 'doc_country']).where('id', '=', id).executeTakeFirst();
      // And what the shop counter types from the passport (the number makeCustomer hashed), for the passport check.
      const hotline = doc?.doc_last4 ? `; hotline: document digits ${doc.doc_last4}; shop: document ${doc.doc_country}${demoDocumentDigits(i)}` : '';
      logins.push({ login: demoMsisdn(i), password: DEMO_PASSWORD, role: 'subscriber', description: `${SHOWCASE[i]?.description ?? ''}${hotline}` });
    }
    await seedShops(tx, now);
    await insertRows(tx, 'staff', staff.map((s) => ({ id: `stf_${s.login}`, login: s.login, name: s.name, role: s.role, shop_id: s.shop, password_hash: hash, created_at: now })));
  });
  for (const s of staff) logins.push({ login: s.login, password: DEMO_PASSWORD, role: s.role, description: s.description });
  return logins;
}
