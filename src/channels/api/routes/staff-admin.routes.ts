import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiKeys, issueApiKey, revokeKey } from '../../../app/api-keys.ts';
import type { AppContext } from '../../../app/context.ts';
import { changeStaff, createStaff } from '../../../app/staff-accounts.ts';
import { requireStaff } from '../auth-plugin.ts';
import { errorResponses } from '../schemas.ts';
import { ApiKeyCreateBody, ApiKeyCreatedSchema, ApiKeyParams, ApiKeySchema, StaffChangeBody, StaffCreateBody, StaffOutcomeSchema, StaffParams } from '../staff-admin-schemas.ts';
import { Type as T } from '@sinclair/typebox';

/**
 * Administrators manage staff accounts and integrator API keys (issue 17); the list of staff is GET /admin/staff
 * (shop.routes.ts). Passwords and keys generated here are in the answer once and nowhere else.
 */
export function staffAdminRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/admin/staff',
      { schema: { tags: ['admin'], summary: 'Admin: create a staff account (login, name, role, a shop for a shop agent); without a password one is generated and answered once; audited', body: StaffCreateBody, response: { 201: StaffOutcomeSchema, ...errorResponses } } },
      async (request, reply) => reply.code(201).send(await createStaff(ctx, requireStaff(request, 'admin'), request.body)),
    );

    app.post(
      '/admin/staff/:staffId',
      {
        schema: {
          tags: ['admin'],
          summary: 'Admin: change a staff account: name, role, shop, disabled, a new password (given, or generated and answered once; every session ends). The last administrator who can sign in is neither disabled nor demoted; audited',
          params: StaffParams,
          body: StaffChangeBody,
          response: { 200: StaffOutcomeSchema, ...errorResponses },
        },
      },
      async (request) => changeStaff(ctx, requireStaff(request, 'admin'), request.params.staffId, request.body),
    );

    app.get('/admin/api-keys', { schema: { tags: ['admin'], summary: 'Admin: the integrator API keys, newest first, revoked ones too (never the keys themselves)', response: { 200: T.Array(ApiKeySchema), ...errorResponses } } }, async (request) =>
      apiKeys(ctx, requireStaff(request, 'admin')),
    );

    app.post(
      '/admin/api-keys',
      { schema: { tags: ['admin'], summary: 'Admin: issue an integrator API key with scopes; the key is in this answer only (only its hash is stored); audited', body: ApiKeyCreateBody, response: { 201: ApiKeyCreatedSchema, ...errorResponses } } },
      async (request, reply) => reply.code(201).send(await issueApiKey(ctx, requireStaff(request, 'admin'), request.body)),
    );

    app.post(
      '/admin/api-keys/:id/revoke',
      { schema: { tags: ['admin'], summary: 'Admin: revoke an API key: refused from the next request on, still listed; audited', params: ApiKeyParams, response: { 200: ApiKeySchema, ...errorResponses } } },
      async (request) => revokeKey(ctx, requireStaff(request, 'admin'), request.params.id),
    );
  };
}
