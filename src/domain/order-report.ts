/**
 * The orders report (issue 17): which orders a period and filters take, and how one order is written as a CSV row.
 * The file is for machines: column names in stable English, instants in UTC ISO 8601, codes as the API spells them.
 * Pure: no clock, no store; the period is days in the operator's zone.
 */
import { AppError } from './errors.ts';
import { instantAtLocalTime, parseDate } from './time.ts';

export const ORDER_REPORT_COLUMNS = ['reference', 'requested_at', 'channel', 'authority', 'reason', 'outcome', 'sim_type', 'effective_at', 'confirmed_at', 'completed_at'] as const;

export interface OrderReportLine {
  readonly reference: string;
  readonly requestedAt: string;
  readonly channel: string;
  readonly authority: string;
  readonly reason: string | null;
  readonly state: string;
  readonly simType: string;
  readonly effectiveAt: string;
  readonly confirmedAt: string | null;
  readonly completedAt: string | null;
}

/** The instants a period of local days covers: from the start of `from` to the start of the day after `to`. */
export function reportPeriod(from: string, to: string, timeZone: string): { from: string; to: string } {
  const first = parseDate(from);
  const last = parseDate(to);
  if (!first || !last) throw new AppError('REPORT_PERIOD_INVALID', { from, to });
  if (from > to) throw new AppError('REPORT_PERIOD_INVALID', { from, to });
  return { from: instantAtLocalTime(first, 0, timeZone), to: instantAtLocalTime(last, 1440, timeZone) };
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. Free text that a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe (OWASP's CSV injection advice).
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvHeader = (): string => `${ORDER_REPORT_COLUMNS.join(',')}\r\n`;

export function csvLine(o: OrderReportLine): string {
  return `${[o.reference, o.requestedAt, o.channel, o.authority, o.reason, o.state, o.simType, o.effectiveAt, o.confirmedAt, o.completedAt].map(csvField).join(',')}\r\n`;
}
