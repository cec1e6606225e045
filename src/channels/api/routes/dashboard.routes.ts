import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { auditChainState, dashboardFigures, recentAuditLines } from '../../../app/dashboard.ts';
import { requireStaff } from '../auth-plugin.ts';
import { AuditChainSchema, AuditRecentQuery, AuditRecentSchema, DashboardQuery, DashboardSchema } from '../dashboard-schemas.ts';
import { errorResponses } from '../schemas.ts';

/** The back office's dashboard (roles back_office and admin): figures, recent audit entries, the chain's check. */
export function dashboardRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/staff/dashboard',
      {
        schema: {
          tags: ['staff'],
          summary: "Back office: the dashboard's figures over the last local days: requests by channel and reason, completion times, blockers now, the quarantine pool and its forecast, hotline and shop figures",
          querystring: DashboardQuery,
          response: { 200: DashboardSchema, ...errorResponses },
        },
      },
      async (request) => {
        const agent = requireStaff(request, 'back_office');
        return dashboardFigures(ctx, agent, Math.min(92, Math.max(1, Number(request.query.days ?? 14))));
      },
    );

    app.get(
      '/staff/audit/recent',
      { schema: { tags: ['staff'], summary: 'Back office: the latest audit entries, newest first (what happened to what, by whom; not the entries’ data)', querystring: AuditRecentQuery, response: { 200: AuditRecentSchema, ...errorResponses } } },
      async (request) => recentAuditLines(ctx, requireStaff(request, 'back_office'), Math.min(200, Math.max(1, Number(request.query.limit ?? 30)))),
    );

    app.get(
      '/staff/audit/verification',
      { schema: { tags: ['staff'], summary: 'Back office: walks the whole audit hash chain now and says whether it is whole up to its last entry, or the first entry that does not match', response: { 200: AuditChainSchema, ...errorResponses } } },
      async (request) => auditChainState(ctx, requireStaff(request, 'back_office')),
    );
  };
}
