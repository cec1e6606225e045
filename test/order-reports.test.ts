// The orders report as CSV, on SQLite and Postgres: filters, the file's shape, and a 100,000-order period written
// page by page (each page read only when the one before has been taken), ties on the same instant neither lost nor doubled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { orderReportCsv, PAGE_SIZE } from '../src/app/order-reports.ts';
import { ORDER_REPORT_COLUMNS } from '../src/domain/order-report.ts';
import { insertRows } from '../src/store/bulk.ts';
import { inTransaction } from '../src/store/database.ts';
import type { TerminationsTable } from '../src/store/schema.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { storeKinds } from './support/stores.ts';

const MANY = 100_000;
const FINAL = ['completed', 'withdrawn', 'rejected', 'expired'] as const;
const CHANNELS = ['web', 'app', 'bulk', 'store'] as const;

// Orders in November 2026 (Moscow time), three to a second so pages end inside a tie; a few in October and December.
function order(i: number, requestedAt: string, extra: Partial<TerminationsTable> = {}): TerminationsTable {
  const line = `ln_0000000${i % 4}`;
  return {
    id: `trm_rep_${String(i).padStart(7, '0')}`,
    reference: `REP-${String(i).padStart(7, '0')}`,
    seq: 1_000_000 + i,
    line_id: line,
    customer_id: `cus_0000000${i % 4}`,
    account_id: `acc_0000000${i % 4}`,
    msisdn: `+7999000000${i % 4}`,
    sim_type: i % 2 ? 'esim' : 'sim',
    channel: CHANNELS[i % CHANNELS.length] as string,
    authority: i % 5 === 0 ? 'operator' : 'subscriber',
    requested_by_kind: 'customer',
    requested_by_id: `cus_0000000${i % 4}`,
    reason: i % 7 === 0 ? 'regulator list 2026-11' : null,
    state: FINAL[i % FINAL.length] as string,
    effective_mode: 'now',
    effective_at: requestedAt,
    requested_at: requestedAt,
    confirm_by: null,
    confirmed_at: null,
    completed_at: i % FINAL.length === 0 ? requestedAt : null,
    blockers: '[]',
    warnings: '[]',
    quote: '{}',
    fee_accepted_at: null,
    instalments_accepted_at: null,
    amount_settled: null,
    amount_refunded: null,
    quarantine_until: null,
    sim_collected: 0,
    line_state_before: 'active',
    steps: '{}',
    last_error: null,
    bulk_key: null,
    disowned_at: null,
    updated_at: requestedAt,
    ...extra,
  };
}

const NOVEMBER = Date.parse('2026-10-31T21:00:00.000Z'); // 1 November 00:00 in Moscow
const at = (i: number) => new Date(NOVEMBER + Math.floor(i / 3) * 1000).toISOString();
const lines = (csv: string) => csv.split('\r\n').filter((l) => l !== '');

for (const kind of storeKinds()) {
  describe(`orders report on ${kind.name}`, () => {
    let h: ApiHarness;
    let back = '';
    const report = (query: string, headers: Record<string, string> = {}) => h.server.inject({ method: 'GET', url: `/api/v1/staff/reports/orders.csv?${query}`, headers: { authorization: `Bearer ${back}`, ...headers } });
    before(async () => {
      h = await openApi(kind, 4);
      assert.equal(h.app.policy.operator.timezone, 'Europe/Moscow');
      back = await h.login('backoffice');
      const rows = Array.from({ length: MANY }, (_, i) => order(i, at(i)));
      rows.push(order(MANY, '2026-10-31T20:59:59.999Z', { channel: 'sms' }), order(MANY + 1, '2026-11-30T21:00:00.000Z', { channel: 'sms' }));
      rows.push(order(MANY + 2, at(5), { reason: '=HYPERLINK("http://evil.example","x")', channel: 'api' }));
      for (let i = 0; i < rows.length; i += 10_000) await inTransaction(h.app.store, (tx) => insertRows(tx, 'terminations', rows.slice(i, i + 10_000)));
    });
    after(() => h.close());

    test('the file has English column names and UTC instants whatever the reader\'s language, and the filters narrow it', async () => {
      const r = await report('from=2026-11-01&to=2026-11-01&channel=web&outcome=completed', { 'accept-language': 'ru' });
      assert.equal(r.statusCode, 200, r.body);
      assert.match(String(r.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(r.headers['content-disposition']), /attachment; filename="orders-2026-11-01-2026-11-01.csv"/);
      const [header, ...body] = lines(r.body);
      assert.equal(header, ORDER_REPORT_COLUMNS.join(','));
      // Every order of the many is asked for on 1 November (Moscow); every 4th is web and completed, the same ones.
      assert.equal(body.length, MANY / 4);
      for (const line of body) {
        const cells = line.split(',');
        assert.deepEqual([cells[2], cells[5]], ['web', 'completed'], line);
        assert.match(cells[1] ?? '', /^2026-1[01]-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      const reason = await report(`from=2026-11-01&to=2026-11-30&reason=${encodeURIComponent('regulator list 2026-11')}&outcome=withdrawn`);
      assert.equal(lines(reason.body).length - 1, Array.from({ length: MANY }, (_, i) => i).filter((i) => i % 7 === 0 && i % 4 === 1).length);
      const evil = lines((await report('from=2026-11-01&to=2026-11-30&channel=api')).body);
      assert.equal(evil.length, 2);
      assert.ok(evil[1]?.includes(',"\'=HYPERLINK(""http://evil.example"",""x"")",'), `a formula is never a formula: ${evil[1]}`);
    });

    test('the period is the operator\'s days, both included; a backwards period is refused before the file starts', async () => {
      const around = lines((await report('from=2026-10-31&to=2026-12-01&channel=sms')).body).length - 1;
      const november = lines((await report('from=2026-11-01&to=2026-11-30&channel=sms')).body).length - 1;
      assert.deepEqual([around, november], [2, 0], 'the orders a millisecond either side of November are not November\'s');
      const refused = await report('from=2026-11-02&to=2026-11-01', { 'accept-language': 'en' });
      assert.deepEqual([refused.statusCode, refused.json().code], [400, 'REPORT_PERIOD_INVALID']);
      const bad = await report('from=2026-11-31&to=2026-12-01');
      assert.deepEqual([bad.statusCode, bad.json().code], [400, 'REPORT_PERIOD_INVALID']);
    });

    test(`${MANY.toLocaleString('en')} orders come page by page: no page is read before the one before it is taken, none lost or doubled`, async () => {
      const chunks = orderReportCsv(h.app, { from: '2026-11-01', to: '2026-11-30' });
      const seen = new Set<string>();
      let pages = 0;
      let biggest = 0;
      let last = '';
      for await (const chunk of chunks) {
        const rows = lines(chunk);
        if (pages === 0) assert.deepEqual(rows, [ORDER_REPORT_COLUMNS.join(',')]);
        else {
          biggest = Math.max(biggest, rows.length);
          for (const row of rows) {
            const [reference, requestedAt] = row.split(',');
            assert.ok(!seen.has(reference as string), `${reference} twice`);
            seen.add(reference as string);
            assert.ok((requestedAt as string) >= last, 'in the order they were asked for');
            last = requestedAt as string;
          }
        }
        if (pages === 1) {
          // An order asked for at the end of the period after the first page went out: a later page reads it.
          await inTransaction(h.app.store, (tx) => insertRows(tx, 'terminations', [order(MANY + 3, '2026-11-30T20:59:59.000Z')]));
        }
        pages++;
      }
      assert.equal(biggest, PAGE_SIZE, 'a page at a time, never the whole period');
      assert.equal(seen.size, MANY + 2, 'every order once, the tie at each page end included, and the one added meanwhile');
      assert.ok(seen.has('REP-0100003'));
      assert.equal(pages, 1 + Math.ceil((MANY + 2) / PAGE_SIZE));
      // Through HTTP the same file arrives whole.
      const r = await report('from=2026-11-01&to=2026-11-30');
      assert.equal(lines(r.body).length, MANY + 3);
    });
  });
}
