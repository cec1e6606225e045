// The SQLite store's read-only connection and the results it keeps (src/store/committed-reader.ts):
// a read outside a transaction never shows what is not committed, shows this process's commits at once
// and another process's within a millisecond, and nobody can change the rows it hands out.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { committedReader, inTransaction, migrate, openStore, type Store } from '../src/store/database.ts';
import { selectRaw } from '../src/store/raw-query.ts';

const NOW = '2026-11-21T10:00:00.000Z';
const balanceOf = async (store: Store, id: string) => (await selectRaw<{ balance: number }>(store.db, 'select balance from accounts where id = ?', [id]))[0]?.balance;

describe('reads outside a transaction on SQLite', () => {
  let store: Store;
  let path: string;

  before(async () => {
    path = join(mkdtempSync(join(tmpdir(), 'simexit-reader-')), 'test.db');
    store = await openStore(`sqlite:${path}`);
    await migrate(store);
    await store.db.insertInto('customers').values({ id: 'cus_1', name: 'Анна', language: 'ru', email: null, birth_date: null, doc_type: null, doc_country: null, doc_hash: null, doc_last4: null, foreigner: 0, identity_verified_at: null, password_hash: null, oidc_subject: null, created_at: NOW }).execute();
    await store.db.insertInto('accounts').values({ id: 'acc_1', customer_id: 'cus_1', currency: 'RUB', balance: 100, created_at: NOW }).execute();
  });
  after(() => store.close());

  it('go through the read-only connection, not the writer', async () => {
    assert.ok(committedReader(store.db));
    await inTransaction(store, async (tx) => assert.equal(committedReader(tx as never), undefined));
  });

  it('show this process\'s commit at once, and nothing a transaction has not committed yet', async () => {
    assert.equal(await balanceOf(store, 'acc_1'), 100);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    const transaction = inTransaction(store, async (tx) => {
      await tx.updateTable('accounts').set({ balance: 250 }).where('id', '=', 'acc_1').execute();
      written();
      await held;
    });
    await wrote;
    // The writer holds an uncommitted change: a read neither waits for it nor sees it.
    assert.equal(await balanceOf(store, 'acc_1'), 100);
    release();
    await transaction;
    assert.equal(await balanceOf(store, 'acc_1'), 250);
    // A change made outside any transaction is seen at once too; one that matches no row changes nothing.
    await store.db.updateTable('accounts').set({ balance: 260 }).where('id', '=', 'acc_1').execute();
    assert.equal(await balanceOf(store, 'acc_1'), 260);
    await store.db.updateTable('accounts').set({ balance: 0 }).where('id', '=', 'acc_nobody').execute();
    await store.db.updateTable('accounts').set({ balance: 250 }).where('id', '=', 'acc_1').execute();
    assert.equal(await balanceOf(store, 'acc_1'), 250);
  });

  it('show another process\'s commit within a millisecond', async () => {
    assert.equal(await balanceOf(store, 'acc_1'), 250);
    const other = spawnSync(process.execPath, ['-e', `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(path)}, { timeout: 5000 }); db.prepare("update accounts set balance = 7 where id = 'acc_1'").run(); db.close();`]);
    assert.equal(other.status, 0, String(other.stderr));
    await sleep(2);
    assert.equal(await balanceOf(store, 'acc_1'), 7);
  });

  it('hand out rows nobody can change, so one caller cannot alter what the next one reads', async () => {
    const [row] = await selectRaw<{ balance: number }>(store.db, 'select balance from accounts where id = ?', ['acc_1']);
    assert.ok(row);
    assert.throws(() => {
      (row as { balance: number }).balance = 1_000_000;
    }, TypeError);
    assert.equal(await balanceOf(store, 'acc_1'), 7);
  });
});
