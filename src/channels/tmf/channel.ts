import type { AppContext } from '../../app/context.ts';
import { registerAuth } from '../api/auth-plugin.ts';
import { tmf622Routes } from './tmf622.routes.ts';
import type { Channel } from '../http/channel.ts';
import { sendTmfError } from './tmf-errors.ts';

/** The TMF622 Product Ordering facade for integrators: an integrator key with the `tmf622` scope, or a back-office sign-in. */
export function tmfChannel(ctx: AppContext): Channel {
  return {
    name: 'tmf',
    dataPrefixes: ['tmf-api'],
    errors: (error, request, reply) => sendTmfError(reply, request, error, ctx.policy.operator.timezone),
    async register(app) {
      registerAuth(app, ctx);
      await app.register(tmf622Routes(ctx), { prefix: '/tmf-api/productOrderingManagement/v4' });
    },
  };
}
