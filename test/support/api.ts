import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/channels/api/server.ts';
import { seed } from '../../src/seed/seed.ts';
import { codeFromOutbox } from './outbox.ts';
import { openTestApp, type StoreKind, type TestApp } from './stores.ts';

export interface ApiHarness {
  readonly app: TestApp;
  readonly server: FastifyInstance;
  login(login: string, password?: string): Promise<string>;
  /** The last SMS code sent for a subject (a reference or a number), read from the outbox as a phone would. */
  lastCode(subject: string): Promise<string>;
  close(): Promise<void>;
}

export async function openApi(kind: StoreKind, customers = 30): Promise<ApiHarness> {
  const app = await openTestApp(kind);
  await seed(app, { customers, seed: 11 });
  // Prometheus scrapes this test installation from loopback (inject's default address).
  const server = await buildServer(app, { metrics: { allow: ['127.0.0.1'] } });
  return {
    app,
    server,
    async login(login, password = 'demo1234') {
      const r = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password }, remoteAddress: `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
      if (r.statusCode !== 200) throw new Error(`login ${login}: ${r.statusCode} ${r.body}`);
      return r.json().token as string;
    },
    lastCode: (subject) => codeFromOutbox(app, subject),
    async close() {
      await server.close();
      await app.close();
    },
  };
}
