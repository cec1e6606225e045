/**
 * The bulk page's calls (routes/bulk-runs.routes.ts): the upload sends the file as text/csv, which the JSON
 * client does not do, with the same CSRF token and a retry when the tab's token is stale.
 */
import type { Static } from '@sinclair/typebox';
import type { BulkDryRunSchema, BulkReportSchema, BulkRunSchema, BulkStartedSchema } from '../../../src/channels/api/bulk-schemas.ts';
import { ApiError, restoreSession, session } from '../api.ts';

export type BulkRun = Static<typeof BulkRunSchema>;
export type BulkReport = Static<typeof BulkReportSchema>;
export type BulkDryRun = Static<typeof BulkDryRunSchema>;
export type BulkStarted = Static<typeof BulkStartedSchema>;

const run = (id: string) => `/staff/bulk-runs/${encodeURIComponent(id)}`;
export const BULK_PATHS = {
  runs: '/staff/bulk-runs',
  run,
  events: (id: string) => `${run(id)}/events`,
  result: (id: string, language: string) => `${run(id)}/result.csv?language=${encodeURIComponent(language)}`,
};

async function post(query: URLSearchParams, csv: string, language: string): Promise<Response> {
  return fetch(`/api/v1/staff/bulk-runs?${query.toString()}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'text/csv; charset=utf-8', 'accept-language': language, ...(session.csrf ? { 'x-csrf-token': session.csrf } : {}) },
    body: csv,
  });
}

/** A dry run (`dryRun`) or the start of a run of the file. */
export async function uploadBulk<T extends BulkDryRun | BulkStarted>(csv: string, options: { dryRun: boolean; fileName: string; reason: string; language: string }): Promise<T> {
  const query = new URLSearchParams({ dryRun: String(options.dryRun), fileName: options.fileName.slice(0, 200) });
  if (options.reason.trim()) query.set('reason', options.reason.trim().slice(0, 200));
  let response = await post(query, csv, options.language);
  if (response.status === 403) {
    const failed = await response.clone().json().catch(() => null);
    if (failed?.code === 'CSRF_FAILED' && (await restoreSession().catch(() => null))) response = await post(query, csv, options.language);
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data ?? {});
  return data as T;
}
