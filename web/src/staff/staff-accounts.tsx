/**
 * The administrator's staff accounts (role admin): every account with its role, shop and state; a new account
 * (the password given, or generated and shown once); a role or shop changed; an account disabled or enabled; a
 * password set or a one-time one generated. The last administrator's refusal is the API's, in the reader's words.
 */
import type { Static } from '@sinclair/typebox';
import { useCallback, useEffect, useState } from 'react';
import { STAFF_ROLES, type StaffRole } from '../../../src/app/principal.ts';
import type { Language } from '../../../src/domain/languages.ts';
import type { ShopSchema, StaffMemberSchema } from '../../../src/channels/api/shop-schemas.ts';
import type { StaffOutcomeSchema } from '../../../src/channels/api/staff-admin-schemas.ts';
import { api } from '../api.ts';
import { Outcome, refusal, ShownOnce, useOutcome } from './access-common.tsx';
import type { Translate } from './formats.ts';
import type { StaffKey } from './texts.ts';

type Member = Static<typeof StaffMemberSchema>;
type Shop = Static<typeof ShopSchema>;
type StaffOutcome = Static<typeof StaffOutcomeSchema>;

export const STAFF_PATHS = {
  staff: '/admin/staff',
  member: (id: string) => `/admin/staff/${encodeURIComponent(id)}`,
  shops: '/admin/shops',
};

const roleName = (t: Translate, role: string) => ((STAFF_ROLES as readonly string[]).includes(role) ? t(`access.role.${role}` as StaffKey) : role);
const shopName = (shop: Shop, language: Language) => shop.names[language] || shop.name;

interface Secret {
  readonly label: string;
  readonly value: string;
}

function NewMember({ t, language, shops, onCreated }: { t: Translate; language: Language; shops: Shop[]; onCreated(outcome: StaffOutcome): void }) {
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('back_office');
  const [shopId, setShopId] = useState('');
  const [password, setPassword] = useState('');
  const [told, run] = useOutcome(t);
  return (
    <form
      className="card access-form"
      aria-labelledby="access-staff-new"
      onSubmit={(e) => {
        e.preventDefault();
        const body = { login: login.trim(), name: name.trim(), role, ...(role === 'shop_agent' && shopId ? { shopId } : {}), ...(password ? { password } : {}) };
        run(
          () =>
            api<StaffOutcome>('POST', STAFF_PATHS.staff, body).then((outcome) => {
              onCreated(outcome);
              setLogin('');
              setName('');
              setPassword('');
              return outcome;
            }),
          (outcome) => t('access.staff.created', { login: outcome.member.login }),
        );
      }}
    >
      <h2 id="access-staff-new">{t('access.staff.new')}</h2>
      <div className="access-fields">
        <div className="field">
          <label htmlFor="access-new-login">{t('access.staff.newLogin')}</label>
          <input id="access-new-login" value={login} required minLength={2} maxLength={40} pattern="[A-Za-z][A-Za-z0-9._\-]{1,39}" autoComplete="off" spellCheck={false} onChange={(e) => setLogin(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="access-new-name">{t('access.staff.newName')}</label>
          <input id="access-new-name" value={name} required maxLength={80} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="access-new-role">{t('access.staff.newRole')}</label>
          <select id="access-new-role" value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {roleName(t, r)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="access-new-shop">{t('access.staff.newShop')}</label>
          <select id="access-new-shop" value={role === 'shop_agent' ? shopId : ''} disabled={role !== 'shop_agent'} onChange={(e) => setShopId(e.target.value)}>
            <option value="">{t('access.staff.noShop')}</option>
            {shops.map((s) => (
              <option key={s.id} value={s.id}>
                {shopName(s, language)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="access-new-password">{t('access.staff.newPassword.label')}</label>
          <input id="access-new-password" type="password" value={password} minLength={8} maxLength={200} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
        </div>
      </div>
      <Outcome told={told?.ok ? null : told} />
      <button type="submit" className="primary">
        {t('access.staff.create')}
      </button>
    </form>
  );
}

function PasswordForm({ t, member, onDone }: { t: Translate; member: Member; onDone(text: string): void }) {
  const [password, setPassword] = useState('');
  const [told, run] = useOutcome(t);
  const id = `access-pw-${member.id}`;
  return (
    <form
      className="access-password"
      onSubmit={(e) => {
        e.preventDefault();
        run(
          () => api('POST', STAFF_PATHS.member(member.id), { newPassword: password }).then(() => onDone(t('access.staff.passwordDone', { name: member.name }))),
          () => t('access.staff.passwordDone', { name: member.name }),
        );
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {t('access.staff.newPassword', { name: member.name })}
      </label>
      <input id={id} type="password" value={password} required minLength={8} maxLength={200} autoComplete="new-password" placeholder="••••••••" onChange={(e) => setPassword(e.target.value)} />
      <button type="submit">{t('access.staff.savePassword')}</button>
      <Outcome told={told} />
    </form>
  );
}

function MemberRow({ t, language, member, shops, onStart, onChanged, onSecret }: { t: Translate; language: Language; member: Member; shops: Shop[]; onStart(): void; onChanged(text: string): void; onSecret(secret: Secret): void }) {
  const [told, run] = useOutcome(t);
  const [settingPassword, setSettingPassword] = useState(false);
  const change = (body: Record<string, unknown>, done: (outcome: StaffOutcome) => string) => {
    // The page's last message was about something else: it goes, so a refusal here is the only one on screen.
    onStart();
    run(
      () =>
        api<StaffOutcome>('POST', STAFF_PATHS.member(member.id), body).then((outcome) => {
          onChanged(done(outcome));
          if (outcome.password) onSecret({ label: t('access.staff.generated', { name: member.name }), value: outcome.password });
          return outcome;
        }),
      done,
    );
  };
  const shop = shops.find((s) => s.id === member.shopId);
  return (
    <tr aria-disabled={member.disabled ? 'true' : undefined} className={member.disabled ? 'access-off' : undefined}>
      <th scope="row">{member.name}</th>
      <td className="access-login">{member.login}</td>
      <td>
        <select aria-label={t('access.staff.roleOf', { name: member.name })} value={member.role} onChange={(e) => change({ role: e.target.value }, (o) => t('access.staff.roleDone', { name: member.name, role: roleName(t, o.member.role) }))}>
          {STAFF_ROLES.map((r) => (
            <option key={r} value={r}>
              {roleName(t, r)}
            </option>
          ))}
        </select>
      </td>
      <td>
        {member.role === 'shop_agent' ? (
          <select
            aria-label={t('access.staff.shopOf', { name: member.name })}
            value={member.shopId ?? ''}
            onChange={(e) => change({ shopId: e.target.value || null }, () => t('access.staff.shopDone', { name: member.name, shop: shops.find((s) => s.id === e.target.value) ? shopName(shops.find((s) => s.id === e.target.value) as Shop, language) : t('access.staff.noShop') }))}
          >
            <option value="">{t('access.staff.noShop')}</option>
            {shops.map((s) => (
              <option key={s.id} value={s.id}>
                {shopName(s, language)}
              </option>
            ))}
          </select>
        ) : (
          <span aria-label={shop ? shopName(shop, language) : t('access.staff.noShop')}>{t('access.staff.notShop')}</span>
        )}
      </td>
      <td className="access-state">{member.disabled ? t('access.staff.disabled') : t('access.staff.active')}</td>
      <td>
        <div className="access-actions">
          <button
            type="button"
            aria-label={t(member.disabled ? 'access.staff.enable' : 'access.staff.disable', { name: member.name })}
            onClick={() => change({ disabled: !member.disabled }, () => t(member.disabled ? 'access.staff.enabledDone' : 'access.staff.disabledDone', { name: member.name }))}
          >
            {t(member.disabled ? 'access.staff.enableShort' : 'access.staff.disableShort')}
          </button>
          <button type="button" aria-label={t('access.staff.reset', { name: member.name })} onClick={() => change({ generatePassword: true }, () => t('access.staff.passwordDone', { name: member.name }))}>
            {t('access.staff.resetShort')}
          </button>
          <button type="button" className="link" aria-label={t('access.staff.setPassword', { name: member.name })} aria-expanded={settingPassword} onClick={() => setSettingPassword(!settingPassword)}>
            {t('access.staff.setPasswordShort')}
          </button>
        </div>
        {settingPassword && (
          <PasswordForm
            t={t}
            member={member}
            onDone={(text) => {
              setSettingPassword(false);
              onChanged(text);
            }}
          />
        )}
        <Outcome told={told?.ok ? null : told} />
      </td>
    </tr>
  );
}

export function StaffAccounts({ t, language }: { t: Translate; language: Language }) {
  const [staff, setStaff] = useState<Member[] | null>(null);
  const [shops, setShops] = useState<Shop[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const load = useCallback(() => api<Member[]>('GET', STAFF_PATHS.staff).then(setStaff, (e: unknown) => setProblem(refusal(t, e))), [t]);
  useEffect(() => {
    void load();
    void api<Shop[]>('GET', STAFF_PATHS.shops).then(setShops, () => setShops([]));
  }, [load]);
  const changed = (text: string) => {
    setDone(text);
    void load();
  };
  return (
    <section aria-labelledby="access-staff-title" className="access-page">
      <h1 id="access-staff-title" tabIndex={-1}>
        {t('access.staff.title')}
      </h1>
      <p className="hint">{t('access.staff.intro')}</p>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      )}
      {secret && <ShownOnce t={t} id="access-staff-secret" label={secret.label} secret={secret.value} onHide={() => setSecret(null)} />}
      <div className="card staff-table">
        <table aria-label={t('access.staff.list')}>
          <thead>
            <tr>
              <th scope="col">{t('access.staff.name')}</th>
              <th scope="col">{t('access.staff.login')}</th>
              <th scope="col">{t('access.staff.role')}</th>
              <th scope="col">{t('access.staff.shop')}</th>
              <th scope="col">{t('access.staff.state')}</th>
              <th scope="col">{t('access.staff.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {(staff ?? []).map((m) => (
              <MemberRow key={`${m.id}-${m.role}-${m.shopId ?? ''}-${String(m.disabled)}`} t={t} language={language} member={m} shops={shops} onStart={() => setDone(null)} onChanged={changed} onSecret={setSecret} />
            ))}
          </tbody>
        </table>
      </div>
      <NewMember
        t={t}
        language={language}
        shops={shops}
        onCreated={(outcome) => {
          setSecret(outcome.password ? { label: t('access.staff.generated', { name: outcome.member.name }), value: outcome.password } : null);
          changed(t('access.staff.created', { login: outcome.member.login }));
        }}
      />
    </section>
  );
}
