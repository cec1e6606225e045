import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyReport, tallyResults } from './bulk-report.ts';

test('a bulk report counts new orders per blocker, skips per reason and orders per channel', () => {
  const report = tallyResults(emptyReport(6), [
    { msisdn: '+1', outcome: 'scheduled', reference: 'TRM-1', detail: null, channel: 'bulk' },
    { msisdn: '+6', outcome: 'completed', reference: 'TRM-6', detail: null, channel: 'bulk' },
    { msisdn: '+2', outcome: 'blocked', reference: 'TRM-2', detail: 'UNPAID_BALANCE,LEGAL_HOLD', channel: 'bulk' },
    { msisdn: '+3', outcome: 'skipped_open', reference: 'TRM-3', detail: null, channel: 'web' },
    { msisdn: '+4', outcome: 'skipped_terminated', reference: null, detail: null, channel: null },
    { msisdn: '+5', outcome: 'failed', reference: null, detail: 'LINE_NOT_FOUND', channel: null },
  ]);
  assert.deepEqual(report, {
    requested: 6,
    created: 3,
    scheduled: 2,
    blocked: { UNPAID_BALANCE: 1, LEGAL_HOLD: 1 },
    skipped: 2,
    skippedBy: { earlierRun: 0, terminated: 1, open: 1 },
    failed: 1,
    byChannel: { bulk: 3, web: 1 },
  });
});
