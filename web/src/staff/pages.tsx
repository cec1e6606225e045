import type { ReactNode } from 'react';
import type { StaffRole } from '../../../src/app/principal.ts';
import type { formatsFor } from './formats.ts';
import type { StaffKey, StaffLanguage } from './texts.ts';
import { Dashboard } from './dashboard.tsx';
import { Reports } from './reports.tsx';
import { ShopAdmin } from './shop-admin.tsx';
import { StaffAccounts } from './staff-accounts.tsx';
import { ApiKeys } from './api-keys.tsx';
import { Webhooks } from './webhooks.tsx';
import { BulkUpload } from './bulk.tsx';

export type { StaffRole };

export interface PageProps {
  readonly t: (key: StaffKey, values?: Record<string, string>) => string;
  readonly f: ReturnType<typeof formatsFor>;
  readonly language: StaffLanguage;
  readonly dateTime: (iso: string) => string;
}

/**
 * The back office's pages, each at its own address (`/staff/#id`; the first is `/staff/`), shown in the
 * navigation to the roles listed. Call and shop agents have their consoles instead.
 * A page is its own module: a new one adds one entry here and its texts in its own file.
 */
export interface StaffPage {
  readonly id: string;
  readonly roles: readonly StaffRole[];
  readonly label: StaffKey;
  readonly render: (props: PageProps) => ReactNode;
}

/** The desk (alerts and figures) is the staff app's own and comes first; these follow it. */
export const STAFF_PAGES: readonly StaffPage[] = [
  { id: 'dashboard', roles: ['back_office', 'admin'], label: 'dash.nav', render: (p) => <Dashboard t={p.t} f={p.f} language={p.language} /> },
  { id: 'shops', roles: ['admin'], label: 'admin.nav.shops', render: (p) => <ShopAdmin t={p.t} language={p.language} /> },
  { id: 'staff', roles: ['admin'], label: 'access.nav.staff', render: (p) => <StaffAccounts t={p.t} language={p.language} /> },
  { id: 'keys', roles: ['admin'], label: 'access.nav.keys', render: (p) => <ApiKeys t={p.t} f={p.f} /> },
  { id: 'webhooks', roles: ['admin'], label: 'access.nav.webhooks', render: (p) => <Webhooks t={p.t} f={p.f} /> },
  { id: 'reports', roles: ['back_office', 'admin'], label: 'reports.nav', render: (p) => <Reports t={p.t} language={p.language} /> },
  { id: 'bulk', roles: ['back_office', 'admin'], label: 'bulk.nav', render: (p) => <BulkUpload t={p.t} f={p.f} language={p.language} /> },
];
