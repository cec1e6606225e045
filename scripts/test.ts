// `npm test`: every unit test (next to the code) and every integration test.
// With SIMEXIT_TEST_PG set, the store-backed suites run on Postgres as well as SQLite.
import { spawnSync } from 'node:child_process';

const files = process.argv.slice(2);
// One file at a time: the crash test, the fuzz test and the browser tests each load both cores, and timing out
// one another helps nobody.
const args = ['--test', '--test-concurrency=1', '--test-reporter=spec', ...(files.length ? files : ['src/**/*.test.ts', 'test/**/*.test.ts'])];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
