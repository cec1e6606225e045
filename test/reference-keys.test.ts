import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, test } from 'node:test';
import { certificateOf } from '../src/app/certificates.ts';
import { requestTerminations } from '../src/app/request-terminations.ts';
import { formatReference, keyedPermutation, referenceIssuer, referenceSequence } from '../src/domain/reference.ts';
import { randomInstallationSecrets } from '../src/config/installation-secrets.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { seed } from '../src/seed/seed.ts';
import { insertRows } from '../src/store/bulk.ts';
import { migrate, migratorOf } from '../src/store/database.ts';
import { terminationByReference } from '../src/store/terminations.repository.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

// Orders and certificates are keyed by the sequence number their reference decodes to (docs/performance.md).
for (const kind of storeKinds()) {
  describe(`orders and certificates keyed by their reference's sequence number, on ${kind.name}`, () => {
    let app: TestApp;
    let references: string[];
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 30, seed: 3 });
      const outcomes = await requestTerminations(
        app,
        ['+79990000010', '+79990000011', '+79990000012', '+79990000013'].map((msisdn) => ({
          msisdn,
          channel: 'bulk' as const,
          authority: 'operator' as const,
          actor: { kind: 'staff' as const, id: 'backoffice', channel: 'bulk' as const },
          effective: { mode: 'now' as const },
          confirmNow: true,
        })),
      );
      references = outcomes.flatMap((o) => (o.kind === 'created' && o.termination.state === 'scheduled' ? [o.termination.reference] : []));
      assert.ok(references.length >= 3, `scheduled: ${references.length}`);
      await runWorker(app, { untilIdle: true, deliver: false });
    });
    after(() => app.close());

    const rows = () => app.store.db.selectFrom('terminations').select(['id', 'reference', 'seq']).orderBy('id').execute();
    const seqOf = (references: { reference: string; seq: number | string }[]) => references.map((r) => [r.reference, Number(r.seq)]);

    test('a stored order and its certificate carry the sequence number, and are found by reference', async () => {
      for (const r of await rows()) assert.equal(Number(r.seq), referenceSequence(r.reference));
      const computable = new Set(Array.from({ length: 1000 }, (_, i) => formatReference('TRM', i)));
      for (const reference of references) assert.ok(!computable.has(reference), `${reference} is computable from the source`);
      for (const reference of references) {
        assert.equal((await terminationByReference(app.store.db, reference))?.state, 'completed');
        assert.equal((await certificateOf(app, reference)).facts.reference, reference);
      }
      const [first, second] = await rows();
      await assert.rejects(app.store.db.updateTable('terminations').set({ seq: Number(second?.seq) }).where('id', '=', first?.id as string).execute(), 'two orders cannot share a sequence number');
    });

    test('a reference that is not canonical, or whose letters decode to no order, finds nothing', async () => {
      const reference = references[0] as string;
      assert.equal(await terminationByReference(app.store.db, reference.toLowerCase()), undefined);
      assert.equal(await terminationByReference(app.store.db, `RCL${reference.slice(3)}`), undefined, 'same digits, another kind of reference');
      await assert.rejects(certificateOf(app, 'TRM-0000-0000'), { code: 'TERMINATION_NOT_FOUND' });
    });

    test('the migration steps down to reference keys and back up, filling the sequence numbers of existing rows', async () => {
      // More rows than the SQLite rebuild copies per page, so every page is exercised both ways.
      const order = await app.store.db.selectFrom('terminations').selectAll().where('reference', '=', references[0] as string).executeTakeFirstOrThrow();
      const certificate = await app.store.db.selectFrom('certificates').selectAll().where('reference', '=', references[0] as string).executeTakeFirstOrThrow();
      const extra = Array.from({ length: 1_100 }, (_, i) => formatReference('TRM', 500_000 + i));
      await insertRows(app.store.db as never, 'terminations', extra.map((reference, i) => ({ ...order, id: `trm_copy_${i}`, reference, seq: referenceSequence(reference) as number, bulk_key: null })));
      await insertRows(app.store.db as never, 'certificates', extra.map((reference) => ({ ...certificate, reference, seq: referenceSequence(reference) as number })));
      const certificates = async () => (await app.store.db.selectFrom('certificates').select('reference').orderBy('reference').execute()).map((r) => r.reference);
      const allCertificates = await certificates();
      assert.equal(allCertificates.length, references.length + extra.length);
      const before = seqOf(await rows());
      // Down to just before this migration (later ones, if any, step down first).
      const down = await migratorOf(app.store).migrateTo('2026-11-22T03-00-00_drop-lines-state-index');
      assert.equal(down.error, undefined, String(down.error));
      assert.deepEqual(down.results?.at(-1) && [down.results.at(-1)?.migrationName, down.results.at(-1)?.status], ['2026-11-22T08-00-00_reference-sequence-keys', 'Success']);
      await assert.rejects(app.store.db.selectFrom('terminations').select('seq').execute(), 'the column is gone');
      assert.deepEqual(await certificates(), allCertificates);
      assert.equal((await app.store.db.selectFrom('terminations').select('reference').execute()).length, before.length);

      assert.equal((await migrate(app.store))[0], '2026-11-22T08-00-00_reference-sequence-keys');
      assert.deepEqual(seqOf(await rows()), before);
      assert.deepEqual(await certificates(), allCertificates);
      assert.equal(await terminationByReference(app.store.db, extra.at(-1) as string).then((t) => t?.reference), extra.at(-1));
      // The rebuilt table keeps every index it had (SQLite rebuilds it; the names are the schema's own).
      const indexes =
        kind.name === 'sqlite'
          ? (await sql<{ name: string }>`select name from sqlite_schema where type = 'index' and tbl_name = 'terminations' and sql is not null`.execute(app.store.db)).rows
          : (await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'terminations' and indexname not like '%pkey' and indexname not like '%key'`.execute(app.store.db)).rows;
      assert.deepEqual(indexes.map((i) => i.name).sort(), ['terminations_completed', 'terminations_customer', 'terminations_line', 'terminations_one_open_per_line', 'terminations_requested', 'terminations_requested_id', 'terminations_seq', 'terminations_state']);
      for (const reference of references) {
        assert.equal((await terminationByReference(app.store.db, reference))?.reference, reference);
        assert.equal((await certificateOf(app, reference)).facts.reference, reference);
      }
    });
  });
}

test('references are keyed per installation: two keys give different references for the same sequence, none computable from the source', () => {
  const [one, two] = [referenceIssuer(randomInstallationSecrets().referenceKey), referenceIssuer(randomInstallationSecrets().referenceKey)];
  let same = 0;
  let publicGuess = 0;
  for (let n = 0; n < 2000; n++) {
    const a = one.issue('TRM', n);
    if (a === two.issue('TRM', n)) same++;
    // What anyone with the source (and the unkeyed scramble) computes for order n.
    if (a === formatReference('TRM', n)) publicGuess++;
    assert.match(a, /^TRM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  }
  assert.ok(same <= 1 && publicGuess <= 1, `same ${same}, guessed ${publicGuess}`);
  const key = randomInstallationSecrets().referenceKey;
  const p = keyedPermutation(key);
  const seen = new Set<string>();
  for (const n of [0, 1, 2, 3, 2 ** 20, 2 ** 40 - 1, 123_456_789]) {
    assert.equal(p.inverse(p.forward(n)), n);
    seen.add(referenceIssuer(key).issue('TRM', n));
  }
  assert.equal(seen.size, 7);
  assert.equal(referenceIssuer(key).issue('TRM', 5), referenceIssuer(key).issue('TRM', 5), 'the same key issues the same reference');
});
