import { processEnvironment } from '../../config/env.ts';
import { serve } from '../serve.ts';
import { fail, openApp } from '../runtime.ts';

/** `--port`, else PORT (read with the rest of the environment, default 8080). */
export const portOf = (text: unknown, fallback: number): number => {
  const port = Number(text ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (got ${String(text)})`);
  return port;
};

/** `simexit serve`: the schema must be current, unless `--migrate` applies what is pending first. */
export async function run(values: Record<string, unknown>): Promise<number> {
  const env = processEnvironment();
  const port = portOf(values.port, env.port);
  const app = await openApp({ env, schema: values.migrate ? 'migrate' : 'check', delivers: !values['no-worker'] });
  await serve(app, { port, host: (values.host as string | undefined) ?? '127.0.0.1', worker: !values['no-worker'], auditAnchor: app.env.auditAnchor, onListening: (url) => process.stdout.write(`simexit listening on ${url}\n`) });
  return 0;
}
