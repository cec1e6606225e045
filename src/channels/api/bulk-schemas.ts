/** The bulk runs' API shapes (routes/bulk-runs.routes.ts); the staff page imports them as types. */
import { Type as T } from '@sinclair/typebox';
import { BULK_ROW_OUTCOMES } from '../../domain/bulk-report.ts';
import { OrNull } from './schemas.ts';

export const BulkReportSchema = T.Object(
  {
    requested: T.Integer({ minimum: 0, description: 'Numbers in the file' }),
    created: T.Integer({ minimum: 0, description: 'New orders, whatever their state' }),
    scheduled: T.Integer({ minimum: 0, description: 'New orders with no blocker, due to be carried out' }),
    blocked: T.Record(T.String(), T.Integer({ minimum: 0 }), { description: 'New orders waiting on a blocker, per blocker code (UNPAID_BALANCE, …)' }),
    skipped: T.Integer({ minimum: 0 }),
    skippedBy: T.Object({
      earlierRun: T.Integer({ minimum: 0, description: 'Ordered by an earlier run of the same file' }),
      terminated: T.Integer({ minimum: 0, description: 'Line already ended' }),
      open: T.Integer({ minimum: 0, description: 'Line already has an open order (its channel counts in byChannel)' }),
    }),
    failed: T.Integer({ minimum: 0 }),
    byChannel: T.Record(T.String(), T.Integer({ minimum: 0 }), { description: "Numbers per channel of the order each has: bulk for this file's, else the channel of the order already open" }),
  },
  { additionalProperties: false },
);

export const BulkRunSchema = T.Object(
  {
    id: T.String(),
    fileName: OrNull(T.String()),
    createdBy: T.String({ description: 'Name of the staff member who started it' }),
    reason: OrNull(T.String()),
    state: T.Union([T.Literal('running'), T.Literal('finished')]),
    total: T.Integer({ minimum: 0 }),
    done: T.Integer({ minimum: 0, description: 'Rows worked through so far' }),
    report: BulkReportSchema,
    createdAt: T.String({ format: 'date-time' }),
    updatedAt: T.String({ format: 'date-time' }),
    finishedAt: OrNull(T.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const BulkDryRunSchema = T.Object({ dryRun: T.Literal(true), report: BulkReportSchema }, { additionalProperties: false });
export const BulkStartedSchema = T.Object({ dryRun: T.Literal(false), existing: T.Boolean({ description: 'A run of this very file was already under way: it is the one answered' }), run: BulkRunSchema }, { additionalProperties: false });
export const BulkRunsSchema = T.Array(BulkRunSchema);
export const BulkRowOutcomeSchema = T.Union(BULK_ROW_OUTCOMES.map((o) => T.Literal(o)));
