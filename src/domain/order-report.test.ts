import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, csvLine, reportPeriod } from './order-report.ts';

test('a period of local days covers them whole, in the operator\'s zone', () => {
  assert.deepEqual(reportPeriod('2026-12-01', '2026-12-07', 'Europe/Moscow'), { from: '2026-11-30T21:00:00.000Z', to: '2026-12-07T21:00:00.000Z' });
  assert.deepEqual(reportPeriod('2026-12-07', '2026-12-07', 'UTC'), { from: '2026-12-07T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z' });
  assert.throws(() => reportPeriod('2026-12-08', '2026-12-07', 'UTC'), /REPORT_PERIOD_INVALID|period/i);
  assert.throws(() => reportPeriod('2026-02-30', '2026-03-01', 'UTC'));
});

test('CSV fields are quoted when they must be, and free text never runs as a spreadsheet formula', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a, "b"\nc'), '"a, ""b""\nc"');
  assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvField(null), '');
  const line = csvLine({ reference: 'TRM-1', requestedAt: '2026-12-01T10:00:00.000Z', channel: 'web', authority: 'subscriber', reason: null, state: 'completed', simType: 'esim', effectiveAt: '2026-12-01T10:00:00.000Z', confirmedAt: null, completedAt: '2026-12-01T10:05:00.000Z' });
  assert.equal(line, 'TRM-1,2026-12-01T10:00:00.000Z,web,subscriber,,completed,esim,2026-12-01T10:00:00.000Z,,2026-12-01T10:05:00.000Z\r\n');
});
