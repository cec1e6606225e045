// `npm test`: every unit test (next to the code) and every integration test.
// With SIMEXIT_TEST_PG set, the store-backed suites run on Postgres as well as SQLite.
import { spawnSync } from 'node:child_process';

const files = process.argv.slice(2);
const args = ['--test', '--test-reporter=spec', ...(files.length ? files : ['src/**/*.test.ts', 'test/**/*.test.ts'])];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
