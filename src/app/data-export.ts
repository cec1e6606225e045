import yazl from 'yazl';
import { AppError } from '../domain/errors.ts';
import { listLines } from '../store/lines.repository.ts';
import { accountsOfCustomer, customersById, ledgerOf } from '../store/parties.repository.ts';
import type { AppContext } from './context.ts';

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

/**
 * "Back up before you cancel": a zip with invoices, payments and usage as CSV
 * (amounts in minor units, times in UTC) and the profile as JSON. Document
 * numbers are not in it: simexit never stored them.
 */
export async function exportCustomerData(ctx: AppContext, customerId: string): Promise<Buffer> {
  const db = ctx.store.db;
  const customer = (await customersById(db, [customerId])).get(customerId);
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', { input: customerId });
  const lines = await listLines(db, { customerId, limit: 1000 });
  const accounts = await accountsOfCustomer(db, customerId);
  const entries = (await Promise.all(accounts.map((a) => ledgerOf(db, a.id)))).flat();
  const header = ['at', 'account', 'kind', 'amount_minor', 'currency', 'description', 'reference'];
  const rowsOf = (kinds: string[]) =>
    entries.filter((e) => kinds.includes(e.kind)).map((e) => [e.at, e.accountId, e.kind, e.amount, accounts.find((a) => a.id === e.accountId)?.currency, e.description, e.reference]);
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(csv(header, rowsOf(['invoice', 'fee']))), 'invoices.csv');
  zip.addBuffer(Buffer.from(csv(header, rowsOf(['payment', 'refund']))), 'payments.csv');
  zip.addBuffer(Buffer.from(csv(header, rowsOf(['charge', 'adjustment']))), 'usage.csv');
  const profile = {
    customer: { id: customer.id, name: customer.name, language: customer.language, email: customer.email, birthDate: customer.birthDate, document: customer.document ? { type: customer.document.type, country: customer.document.country, last4: customer.document.last4 } : null },
    accounts: accounts.map((a) => ({ id: a.id, currency: a.currency, balance: a.balance })),
    lines: lines.map((l) => ({ id: l.id, msisdn: l.msisdn, simType: l.simType, plan: l.planName, state: l.state, activatedAt: l.activatedAt, terminatedAt: l.terminatedAt })),
    exportedAt: ctx.clock(),
  };
  zip.addBuffer(Buffer.from(JSON.stringify(profile, null, 2)), 'profile.json');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
