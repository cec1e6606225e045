/**
 * Who may manage staff accounts and integrator keys: a signed-in administrator, or the operator's own command line
 * on the installation (`simexit staff`, `simexit apikey`), which sets up a fresh installation before any
 * administrator exists. Both are recorded as actors in the audit log.
 */
import type { Actor } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import type { Principal } from './principal.ts';

export type Administrator = Extract<Principal, { kind: 'staff' }> | { readonly kind: 'cli'; readonly user: string };

/** The audit actor of an administrator; anyone else is refused with FORBIDDEN. */
export function administratorActor(admin: Administrator): Actor {
  if (admin.kind === 'cli') return { kind: 'staff', id: `cli:${admin.user}`, channel: 'system' };
  if (admin.role !== 'admin') throw new AppError('FORBIDDEN', {});
  return { kind: 'staff', id: admin.id, channel: 'api' };
}
