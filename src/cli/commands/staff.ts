import type { Administrator } from '../../app/administrator.ts';
import { changeStaff, createStaff, type StaffChangeInput, type StaffOutcome, staffAccounts } from '../../app/staff-accounts.ts';
import { AppError } from '../../domain/errors.ts';
import { synopsis } from '../command-table.ts';
import { fail, openApp, output } from '../runtime.ts';
import { passwordSource, readPassword } from '../secret-input.ts';

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `simexit staff add|list|set|disable|enable`: the installation's own staff accounts, with or without any administrator yet. */
export async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const [action, login] = positionals;
  if (!action || !['add', 'list', 'set', 'disable', 'enable'].includes(action)) fail(synopsis('staff'));
  if (['set', 'disable', 'enable'].includes(action as string) && !login) fail(`staff ${action} needs a LOGIN`);
  // Read before the store opens: a prompt waits for a person.
  const source = passwordSource(values.password, action === 'add' ? 'generate' : undefined);
  const password = source ? await readPassword(source) : undefined;
  const app = await openApp();
  try {
    const admin: Administrator = { kind: 'cli', user: app.env.user };
    const out = output(Boolean(values.json));
    if (action === 'list') {
      const staff = await staffAccounts(app, admin);
      out.result(staff, () =>
        staff.length === 0
          ? 'no staff yet: simexit staff add --login admin --name NAME --role admin'
          : [['login', 'name', 'role', 'shop', 'state'], ...staff.map((s) => [s.login, s.name, s.role, s.shopId ?? '-', s.disabled ? 'disabled' : 'active'])].map((r) => r.map((c, i) => (i < 4 ? c.padEnd(i === 1 ? 24 : 14) : c)).join(' ')).join('\n'),
      );
      return 0;
    }
    let outcome: StaffOutcome;
    if (action === 'add') {
      const [name, role] = [text(values.name), text(values.role)];
      if (!login && !text(values.login)) fail('staff add needs --login L --name N --role R');
      if (!name || !role) fail('staff add needs --name N and --role R (shop_agent, call_agent, back_office, admin)');
      const shop = text(values.shop);
      outcome = await createStaff(app, admin, { login: text(values.login) ?? (login as string), name: name as string, role: role as string, shopId: shop ?? null, ...(password !== undefined ? { password } : {}) });
    } else {
      const member = (await staffAccounts(app, admin)).find((s) => s.login === (login as string).trim().toLowerCase());
      if (!member) throw new AppError('STAFF_NOT_FOUND', { input: login as string });
      const shop = text(values.shop);
      const change: StaffChangeInput =
        action === 'set'
          ? {
              ...(text(values.name) !== undefined ? { name: text(values.name) as string } : {}),
              ...(text(values.role) !== undefined ? { role: text(values.role) as string } : {}),
              ...(shop !== undefined ? { shopId: shop === 'none' ? null : shop } : {}),
              ...(source === 'generate' ? { generatePassword: true } : password !== undefined ? { newPassword: password } : {}),
            }
          : { disabled: action === 'disable' };
      if (Object.keys(change).length === 0) fail('staff set needs --name, --role, --shop or --password');
      outcome = await changeStaff(app, admin, member.id, change);
    }
    const m = outcome.member;
    out.result(outcome, () =>
      [
        `${action === 'add' ? 'created' : action === 'set' ? 'changed' : `${action}d`} ${m.login} (${m.name}): ${m.role}${m.shopId ? ` at ${m.shopId}` : ''}${m.disabled ? ', disabled' : ''}`,
        ...(outcome.password ? [`password: ${outcome.password}`, '  shown this once: hand it over now'] : []),
      ].join('\n'),
    );
    return 0;
  } finally {
    await app.close();
  }
}
