/** Who is calling, as the application sees it once a channel has authenticated them. */
export type StaffRole = 'shop_agent' | 'call_agent' | 'back_office' | 'admin';
export const STAFF_ROLES: readonly StaffRole[] = ['shop_agent', 'call_agent', 'back_office', 'admin'];

export type Principal =
  | { readonly kind: 'customer'; readonly id: string; readonly name: string; readonly language: string }
  | { readonly kind: 'staff'; readonly id: string; readonly name: string; readonly role: StaffRole; readonly shopId: string | null }
  | { readonly kind: 'api_key'; readonly id: string; readonly name: string; readonly scopes: readonly string[] };

export const isStaff = (p: Principal | undefined, ...roles: StaffRole[]): boolean =>
  p?.kind === 'staff' && (roles.length === 0 || roles.includes(p.role) || p.role === 'admin');
