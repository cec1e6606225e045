import type { AppContext } from '../../app/context.ts';
import type { Channel } from '../http/channel.ts';
import { registerAuth } from './auth-plugin.ts';
import { sendError } from './errors.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { callRoutes } from './routes/calls.routes.ts';
import { certificateRoutes } from './routes/certificate.routes.ts';
import { dashboardRoutes } from './routes/dashboard.routes.ts';
import { demoClockRoutes } from './routes/demo-clock.routes.ts';
import { oidcRoutes } from './routes/oidc.routes.ts';
import { mailboxRoutes } from './routes/mailbox.routes.ts';
import { publicRoutes } from './routes/public.routes.ts';
import { reassignedNumbersRoutes } from './routes/reassigned-numbers.routes.ts';
import { remoteTicketRoutes } from './routes/remote-tickets.routes.ts';
import { reportRoutes } from './routes/reports.routes.ts';
import { smsRoutes } from './routes/sms.routes.ts';
import { shopRoutes } from './routes/shop.routes.ts';
import { eventRoutes } from './routes/events.routes.ts';
import { staffAdminRoutes } from './routes/staff-admin.routes.ts';
import { staffRoutes } from './routes/staff.routes.ts';
import { bulkRunRoutes } from './routes/bulk-runs.routes.ts';
import { subscriberRoutes } from './routes/subscriber.routes.ts';

/**
 * The public API under /api/v1 (the site, the app, staff), the certificate pages (/verify) and, in demo mode,
 * the demo mailbox. Callers sign in with a bearer token or the session cookie; errors are `{code, message,
 * details}` in the caller's language.
 */
export function apiChannel(ctx: AppContext): Channel {
  return {
    name: 'api',
    dataPrefixes: ['api'],
    pagePrefixes: ['demo', 'verify'],
    errors: (error, request, reply) => sendError(reply, request, error, ctx.policy.operator.timezone),
    async register(app) {
      registerAuth(app, ctx);
      await app.register(authRoutes(ctx), { prefix: '/api/v1' });
      await app.register(oidcRoutes(ctx), { prefix: '/api/v1' });
      await app.register(publicRoutes(ctx), { prefix: '/api/v1' });
      await app.register(subscriberRoutes(ctx), { prefix: '/api/v1' });
      await app.register(staffRoutes(ctx), { prefix: '/api/v1' });
      await app.register(bulkRunRoutes(ctx), { prefix: '/api/v1' });
      await app.register(callRoutes(ctx), { prefix: '/api/v1' });
      await app.register(dashboardRoutes(ctx), { prefix: '/api/v1' });
      await app.register(smsRoutes(ctx), { prefix: '/api/v1' });
      await app.register(shopRoutes(ctx), { prefix: '/api/v1' });
      await app.register(eventRoutes(ctx), { prefix: '/api/v1' });
      await app.register(staffAdminRoutes(ctx), { prefix: '/api/v1' });
      await app.register(remoteTicketRoutes(ctx), { prefix: '/api/v1' });
      await app.register(reassignedNumbersRoutes(ctx), { prefix: '/api/v1' });
      await app.register(reportRoutes(ctx), { prefix: '/api/v1' });
      await app.register(certificateRoutes(ctx));
      // Every message sent, codes included, for anyone who asks: demo mode only, never because no provider is set.
      if (ctx.demo) await app.register(mailboxRoutes(ctx));
      // Moving the clock is a demo's tool: the routes exist only in demo mode.
      if (ctx.demo) await app.register(demoClockRoutes(ctx), { prefix: '/api/v1' });
    },
  };
}
