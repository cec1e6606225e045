import { serve } from '../serve.ts';
import { fail, openApp } from '../runtime.ts';

export const portOf = (text: unknown): number => {
  const port = Number(text ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (got ${String(text)})`);
  return port;
};

export async function run(values: Record<string, unknown>): Promise<number> {
  const port = portOf(values.port);
  const app = await openApp({ delivers: !values['no-worker'] });
  await serve(app, { port, host: (values.host as string | undefined) ?? '127.0.0.1', worker: !values['no-worker'], onListening: (url) => process.stdout.write(`simexit listening on ${url}\n`) });
  return 0;
}
