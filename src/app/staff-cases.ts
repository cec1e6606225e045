/**
 * What a member of staff may do for a customer. The back office and admins act
 * for anyone. A shop agent acts only within a case they opened in their own
 * shop, with the customer at the counter identified by the exact number of a
 * line they hold or by their identity document; a call agent only within a
 * case opened for the call they hold. A case lasts a few hours, ends when the
 * agent closes it, and every case opened and every staff read of a customer
 * is written to the audit log.
 */
import type { Actor, Channel } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import { maskMsisdn, normalizeMsisdn } from '../domain/msisdn.ts';
import { addHours } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { closeCase, customerIdsByDocumentHash, customerIdsByMsisdn, customersInOpenCases, insertCase, openCasesOf, type StaffCase } from '../store/cases.repository.ts';
import { inTransaction } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import type { AppContext } from './context.ts';
import type { Principal, StaffRole } from './principal.ts';
import { documentHash } from './secrets.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;

/** How long a case stays open when the agent does not close it. */
export const CASE_HOURS = 4;

/** The channel an agent's action is recorded under: the counter for shop agents, the phone for call agents. */
const CHANNEL_OF_ROLE: Record<StaffRole, Channel> = { shop_agent: 'store', call_agent: 'phone_agent', back_office: 'api', admin: 'api' };
export const channelOfStaff = (agent: Staff): Channel => CHANNEL_OF_ROLE[agent.role] ?? 'api';
const actorOfStaff = (agent: Staff): Actor => ({ kind: 'staff', id: agent.id, channel: channelOfStaff(agent) });

/** Roles that act for any customer without a case. */
export const actsForAnyone = (agent: Staff): boolean => agent.role === 'back_office' || agent.role === 'admin';

/** The shop a front-line agent's cases must be in (a call agent's have none). */
const shopScope = (agent: Staff): string | null => (agent.role === 'shop_agent' ? agent.shopId : null);

/** The agent's open case for this customer, if any (in the agent's own shop for a shop agent). */
export async function openCaseFor(ctx: AppContext, agent: Staff, customerId: string): Promise<StaffCase | undefined> {
  if (agent.role === 'shop_agent' && !agent.shopId) return undefined;
  const [found] = await openCasesOf(ctx.store.db, agent.id, customerId, ctx.clock(), shopScope(agent));
  return found;
}

/** Whether this caller may act for this customer at all. */
export async function mayActFor(ctx: AppContext, principal: Principal, customerId: string): Promise<boolean> {
  if (principal.kind === 'customer') return principal.id === customerId;
  if (principal.kind !== 'staff') return false;
  if (actsForAnyone(principal)) return true;
  return (await openCaseFor(ctx, principal, customerId)) !== undefined;
}

/**
 * A front-line agent's "document checked": only within a case opened by the
 * customer's document number (which matched the one on file), never on the
 * agent's word alone.
 */
export async function requireDocumentChecked(ctx: AppContext, agent: Staff, customerId: string): Promise<void> {
  if (actsForAnyone(agent)) return;
  const cases = agent.role === 'shop_agent' && !agent.shopId ? [] : await openCasesOf(ctx.store.db, agent.id, customerId, ctx.clock(), shopScope(agent));
  if (cases.length === 0) throw new AppError('NO_OPEN_CASE', {});
  if (!cases.some((c) => c.identifiedBy === 'document')) throw new AppError('DOCUMENT_NOT_CHECKED', {});
}

/** Records that a member of staff read a customer's data (one entry per read). */
export async function auditStaffRead(ctx: AppContext, agent: Principal, customerId: string, what: string, subject: string): Promise<void> {
  if (agent.kind !== 'staff') return;
  await inTransaction(ctx.store, (tx) =>
    appendAudit(tx, [{ entityType: 'customer', entityId: customerId, action: 'staff_read', from: null, to: null, actor: actorOfStaff(agent), at: ctx.clock(), reason: null, data: { what, subject, role: agent.role, shopId: agent.shopId } }]),
  );
}

export interface CaseRequest {
  readonly msisdn?: string;
  readonly document?: string;
  readonly callId?: string;
}

/**
 * Opens a case: the customer is found by an exact identifier only (a live
 * line's number, or a document number), never by name or part of a number.
 */
export async function openCase(ctx: AppContext, agent: Staff, request: CaseRequest): Promise<StaffCase> {
  if (agent.role === 'shop_agent' && !agent.shopId) throw new AppError('FORBIDDEN', {});
  const callId = request.callId?.trim() || null;
  if (agent.role === 'call_agent' && !callId) throw new AppError('CALL_ID_REQUIRED', {});
  let ids: string[];
  let identifiedBy: StaffCase['identifiedBy'];
  let shown: string;
  if (request.msisdn && !request.document) {
    const msisdn = normalizeMsisdn(request.msisdn, ctx.policy.operator.country);
    ids = await customerIdsByMsisdn(ctx.store.db, msisdn);
    identifiedBy = 'msisdn';
    shown = maskMsisdn(msisdn);
  } else if (request.document && !request.msisdn) {
    ids = await customerIdsByDocumentHash(ctx.store.db, documentHash(ctx.secrets.documentKey, request.document));
    identifiedBy = 'document';
    shown = 'document';
  } else throw new AppError('VALIDATION_FAILED', { reason: 'give either msisdn or document' });
  if (ids.length !== 1) throw new AppError('CUSTOMER_NOT_FOUND', { input: shown });
  const customerId = ids[0] as string;
  const now = ctx.clock();
  const c: StaffCase = { id: newId('case'), staffId: agent.id, customerId, shopId: shopScope(agent), callId, identifiedBy, openedAt: now, expiresAt: addHours(now, CASE_HOURS), closedAt: null };
  await inTransaction(ctx.store, async (tx) => {
    await insertCase(tx, c);
    await appendAudit(tx, [{ entityType: 'customer', entityId: customerId, action: 'case_opened', from: null, to: null, actor: actorOfStaff(agent), at: now, reason: null, data: { caseId: c.id, identifiedBy, shopId: c.shopId, callId, role: agent.role } }]);
  });
  return c;
}

export async function closeStaffCase(ctx: AppContext, agent: Staff, caseId: string): Promise<StaffCase> {
  const now = ctx.clock();
  return inTransaction(ctx.store, async (tx) => {
    const closed = await closeCase(tx, caseId, agent.id, now);
    if (!closed) throw new AppError('NOT_FOUND', { input: `case ${caseId}` });
    await appendAudit(tx, [{ entityType: 'customer', entityId: closed.customerId, action: 'case_closed', from: null, to: null, actor: actorOfStaff(agent), at: now, reason: null, data: { caseId } }]);
    return closed;
  });
}

/**
 * Staff search: by an exact number or document only. The back office finds
 * anyone; a front-line agent finds only the customers of their open cases.
 */
export async function findCustomerIds(ctx: AppContext, agent: Staff, query: { msisdn?: string; document?: string }): Promise<string[]> {
  let ids: string[];
  if (query.msisdn) ids = await customerIdsByMsisdn(ctx.store.db, normalizeMsisdn(query.msisdn, ctx.policy.operator.country));
  else if (query.document) ids = await customerIdsByDocumentHash(ctx.store.db, documentHash(ctx.secrets.documentKey, query.document));
  else throw new AppError('VALIDATION_FAILED', { reason: 'msisdn or document is required' });
  if (actsForAnyone(agent)) return ids;
  if (agent.role === 'shop_agent' && !agent.shopId) return [];
  const mine = new Set(await customersInOpenCases(ctx.store.db, agent.id, ctx.clock(), shopScope(agent)));
  return ids.filter((id) => mine.has(id));
}

