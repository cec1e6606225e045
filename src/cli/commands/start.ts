import { isEmptyStore } from '../../app/console.ts';
import { processEnvironment } from '../../config/env.ts';
import { demoSmsInboundSecretFile } from '../../config/sms-inbound-settings.ts';
import { demoVoiceTokenFile } from '../../config/voice-settings.ts';
import { seed } from '../../seed/seed.ts';
import { openApp, progress } from '../runtime.ts';
import { serve } from '../serve.ts';
import { portOf } from './serve.ts';

export const DEMO_CUSTOMERS = 500;

/** `npm start`: migrate, seed demo data on an empty store, then serve the API with the worker until stopped. */
export async function run(values: Record<string, unknown>): Promise<number> {
  const env = processEnvironment({ demo: true });
  const port = portOf(values.port, env.port);
  const app = await openApp({ env, schema: 'migrate', delivers: true });
  const empty = await isEmptyStore(app);
  let logins = 'Demo logins (password demo1234): +79990000000 … +79990000005, backoffice, shop1, shop2, callcentre, admin\n';
  if (empty) {
    const bar = progress('seeding demo data', DEMO_CUSTOMERS);
    const summary = await seed(app, { customers: DEMO_CUSTOMERS, seed: 1, onProgress: (n) => bar.update(n) });
    bar.stop();
    logins = `Seeded ${summary.customers} demo customers. Demo logins:\n${summary.demoLogins.map((l) => `  ${l.role.padEnd(12)} ${l.login.padEnd(14)} ${l.password}   ${l.description}`).join('\n')}\n`;
  }
  await serve(app, {
    port,
    host: (values.host as string | undefined) ?? '127.0.0.1',
    worker: true,
    // A demo's terminal shows the addresses and logins, not a request log, unless SIMEXIT_LOG asks for one.
    log: app.env.log ?? false,
    auditAnchor: app.env.auditAnchor,
    onListening: (url) =>
      process.stdout.write(`\nsimexit is running at ${url}\n  API docs: ${url}/docs   OpenAPI: ${url}/openapi.json\n  Messages sent (demo mailbox): ${url}/demo/mailbox\n  Phone hotline (TwiML webhooks): ${url}/voice/twiml/incoming, signed with the token in ${app.env.voiceAuthToken ? 'SIMEXIT_VOICE_AUTH_TOKEN' : demoVoiceTokenFile(app.env)}\n  Text to cancel (inbound SMS webhook): ${url}/api/v1/sms/inbound, signed with the secret in ${app.env.smsInboundSecret ? 'SIMEXIT_SMS_INBOUND_SECRET' : demoSmsInboundSecretFile(app.env)}\n  Store: ${app.env.db}\n\n${logins}\nStop with Ctrl+C.\n`),
  });
  return 0;
}
