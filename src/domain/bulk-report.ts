/**
 * What a bulk file did (or would do) to each of its numbers, and the report the back office reads: counts of
 * orders created, scheduled and blocked per blocker, numbers skipped and why, and the channel each number's
 * order came through (a number skipped because the holder is already ending it on the site counts under `web`).
 */

export const BULK_ROW_OUTCOMES = ['completed', 'scheduled', 'created', 'blocked', 'skipped_earlier_run', 'skipped_terminated', 'skipped_open', 'failed'] as const;
export type BulkRowOutcome = (typeof BULK_ROW_OUTCOMES)[number];

export interface BulkRowResult {
  readonly msisdn: string;
  readonly outcome: BulkRowOutcome;
  /** The order's reference: the new one, the earlier run's, or the open order the number already has. */
  readonly reference: string | null;
  /** Blocker codes (blocked, comma-separated), the error code (failed), else null. */
  readonly detail: string | null;
  /** The channel of the number's order, when it has one. */
  readonly channel: string | null;
}

export interface BulkRunReport {
  requested: number;
  /** New orders, whatever their state. */
  created: number;
  /** New orders with no blocker, carried out at once (`completed` rows) or due to be. */
  scheduled: number;
  /** New orders waiting on a blocker, per blocker code (an order with two blockers counts under both). */
  blocked: Record<string, number>;
  skipped: number;
  skippedBy: { earlierRun: number; terminated: number; open: number };
  failed: number;
  byChannel: Record<string, number>;
}

export const emptyReport = (requested: number): BulkRunReport => ({ requested, created: 0, scheduled: 0, blocked: {}, skipped: 0, skippedBy: { earlierRun: 0, terminated: 0, open: 0 }, failed: 0, byChannel: {} });

/** Adds rows' results to a report (in place, and returned). */
export function tallyResults(report: BulkRunReport, results: readonly BulkRowResult[]): BulkRunReport {
  for (const r of results) {
    if (r.channel) report.byChannel[r.channel] = (report.byChannel[r.channel] ?? 0) + 1;
    switch (r.outcome) {
      case 'completed':
      case 'scheduled':
      case 'created':
      case 'blocked':
        report.created++;
        if (r.outcome === 'scheduled' || r.outcome === 'completed') report.scheduled++;
        if (r.outcome === 'blocked') for (const code of (r.detail ?? '').split(',').filter(Boolean)) report.blocked[code] = (report.blocked[code] ?? 0) + 1;
        break;
      case 'skipped_earlier_run':
        report.skipped++;
        report.skippedBy.earlierRun++;
        break;
      case 'skipped_terminated':
        report.skipped++;
        report.skippedBy.terminated++;
        break;
      case 'skipped_open':
        report.skipped++;
        report.skippedBy.open++;
        break;
      case 'failed':
        report.failed++;
        break;
    }
  }
  return report;
}

export type BulkRunState = 'running' | 'finished';

/** A stored bulk run: its file's rows are worked through in chunks by the queue; `done` rows have their outcome. */
export interface BulkRun {
  readonly id: string;
  readonly fileHash: string;
  readonly fileName: string | null;
  readonly createdBy: string;
  readonly reason: string | null;
  readonly state: BulkRunState;
  readonly total: number;
  readonly done: number;
  readonly report: BulkRunReport;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}
