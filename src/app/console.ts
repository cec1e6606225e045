/**
 * What the operator's command line reads and runs besides the orders
 * themselves: listings of lines and numbers, the audit log check, the schema.
 * The console holds the store already, so these check no principal.
 */
import type { LineState, NumberState } from '../domain/inventory.ts';
import { type AuditVerdict, verifyAudit } from '../store/audit.repository.ts';
import { migrate } from '../store/database.ts';
import { listLines, listNumbers } from '../store/lines.repository.ts';
import { accountsById, hasAnyCustomer } from '../store/parties.repository.ts';
import type { AppContext } from './context.ts';

export interface LineListing {
  readonly id: string;
  readonly msisdn: string;
  readonly state: LineState;
  readonly simType: string;
  readonly plan: string;
  /** Minor units; negative is owed. */
  readonly balance: number;
  readonly currency: string;
  readonly dataLeftMb: number;
  readonly customerId: string;
}

/** Lines (in one state, or all), each with its account's balance. */
export async function linesWithBalances(ctx: AppContext, query: { state?: LineState | undefined; limit: number }): Promise<LineListing[]> {
  const lines = await listLines(ctx.store.db, { state: query.state, limit: query.limit });
  const accounts = await accountsById(ctx.store.db, lines.map((l) => l.accountId));
  return lines.map((l) => ({
    id: l.id,
    msisdn: l.msisdn,
    state: l.state,
    simType: l.simType,
    plan: l.planName,
    balance: accounts.get(l.accountId)?.balance ?? 0,
    currency: accounts.get(l.accountId)?.currency ?? ctx.policy.currency,
    dataLeftMb: l.dataLeftMb,
    customerId: l.customerId,
  }));
}

/** Numbers by state; quarantined ones soonest-released first. */
export const numbersByState = (ctx: AppContext, query: { state?: NumberState | undefined; limit: number }): Promise<{ msisdn: string; state: string; quarantineUntil: string | null }[]> =>
  listNumbers(ctx.store.db, { state: query.state, limit: query.limit });

/** Walks the audit chain from the start; `onProgress` hears how far. */
export const verifyAuditLog = (ctx: AppContext, onProgress?: (checked: number, total: number) => void): Promise<AuditVerdict> => verifyAudit(ctx.store.db, onProgress);

/** Applies the migrations the store lacks; the names applied. */
export const migrateSchema = (ctx: AppContext): Promise<string[]> => migrate(ctx.store);

/** Whether the store holds no customer yet. */
export const isEmptyStore = async (ctx: AppContext): Promise<boolean> => !(await hasAnyCustomer(ctx.store.db));
