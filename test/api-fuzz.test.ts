/**
 * Fuzz of the whole public HTTP surface: every route that /openapi.json lists
 * gets thousands of generated bad requests (malformed JSON, wrong types,
 * unknown fields, bodies over the 64 KiB limit, very long strings, bad phone
 * numbers, bad references, bad dates, wrong content types, Unicode junk, a
 * missing Idempotency-Key, wrong methods, broken URL encoding) as anonymous,
 * as a signed-in subscriber and as back office, by bearer token and by cookie,
 * as a call agent holding a call from the agent queue, as a shop agent with a ticket called to a counter, and as an
 * administrator on the staff-account and API-key routes.
 *
 * Every answer must be a 4xx with a JSON `{code, message}` body, never a 5xx;
 * and when the run is over nothing may have changed: terminations, the ledger,
 * the audit log, notifications, lines, numbers, accounts, sessions and jobs are
 * as they were, and so are the agent queue and the staff cases. Failed sign-ins
 * legitimately write `auth_failures` and OTP issue writes `otp_codes`: those two
 * tables are not compared.
 *
 * Each generated write is invalid by construction: it carries at least one
 * defect that is certain to be refused (a body the route's own JSON schema
 * rejects — checked with Ajv before sending —, a transport defect, an id that
 * does not exist, a number that cannot be parsed...). A GET whose defects turn
 * out harmless may answer 2xx: those are counted and skipped.
 *
 * FUZZ_SEED=n replays a run; FUZZ_RUNS=n changes its size.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { enqueueForAgent } from '../src/app/agent-queue.ts';
import { createApiKey } from '../src/app/auth.ts';
import { finishCall, takeCall } from '../src/app/call-console.ts';
import { callNext } from '../src/app/shop-console.ts';
import { takeTicket } from '../src/app/shop-kiosk.ts';
import type { Principal } from '../src/app/principal.ts';
import { documentHash } from '../src/app/secrets.ts';
import { BODY_LIMIT, buildServer } from '../src/channels/api/server.ts';
import { buildEs2plusListener } from '../src/channels/api/es2plus-listener.ts';
import { testPki } from './esim/support/pki.ts';
import { errorCatalogue } from '../src/domain/errors.ts';
import { normalizeMsisdn } from '../src/domain/msisdn.ts';
import { normalizeReference } from '../src/domain/reference.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { seed } from '../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

// About 90 a route on average for the 107 routes there are, so every route gets its 50 (four standard deviations below).
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const CHUNK = 50;
const TMF = '/tmf-api/productOrderingManagement/v4';
/** The routes that take a CSV body (bulk files): a valid one would act, so one is sent only with a refused query. */
const csvRoute = (path: string) => path.endsWith('/bulk-terminations') || path === '/api/v1/staff/bulk-runs';

// ---------------------------------------------------------------- schemas

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  anyOf?: Schema[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
}
interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
}

type Validator = (data: unknown) => boolean;

/**
 * Ajv 8 with formats, as Fastify itself validates with: `import 'ajv'` from the
 * project root finds ESLint's Ajv 6, so it is loaded through Fastify's own
 * dependency chain (fastify → @fastify/ajv-compiler → ajv 8, ajv-formats).
 */
function fastifyAjv(): { compile(schema: object): Validator } {
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
  const fromCompiler = createRequire(fromFastify.resolve('@fastify/ajv-compiler'));
  const ajvModule = fromCompiler('ajv') as { default: new (options: object) => { compile(schema: object): Validator } };
  const formats = fromCompiler('ajv-formats') as { default: (ajv: object) => void };
  assert.match(String((fromCompiler('ajv/package.json') as { version: string }).version), /^8\./);
  const ajv = new ajvModule.default({ strict: false, allErrors: false, coerceTypes: false });
  formats.default(ajv);
  return ajv;
}

interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly pathParams: readonly Parameter[];
  readonly query: readonly Parameter[];
  readonly validQuery?: Validator;
  readonly body?: Schema;
  readonly validBody?: Validator;
  readonly needsIdempotencyKey: boolean;
}

function routesOf(doc: OpenApiDoc, ajv: ReturnType<typeof fastifyAjv>): Route[] {
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const query = params.filter((p) => p.in === 'query');
      const body = op.requestBody?.content['application/json']?.schema;
      const upper = method.toUpperCase();
      assert.ok(upper === 'GET' || upper === 'POST', `the fuzz knows GET and POST, not ${upper} ${path}`);
      routes.push({
        method: upper,
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        query,
        // Every query schema in the API is closed (additionalProperties: false).
        validQuery: query.length ? ajv.compile({ type: 'object', properties: Object.fromEntries(query.map((q) => [q.name, q.schema])), additionalProperties: false }) : undefined,
        body,
        validBody: body ? ajv.compile(body) : undefined,
        needsIdempotencyKey: params.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
      });
    }
  }
  return routes;
}

// ---------------------------------------------------------------- the world the fuzz runs against

interface Fixture {
  readonly msisdn: string;
  readonly lineIds: readonly string[];
  readonly accountIds: readonly string[];
  readonly references: readonly string[];
  readonly staffLogins: readonly string[];
  /** Agent-queue entries: one the call agent holds, one finished (never a waiting one, which a take would change). */
  readonly callIds: readonly string[];
  /** Shop tickets of shop-1: one waiting, one called to a counter by the shop agent (no customer found yet). */
  readonly ticketIds: readonly string[];
  readonly shopIds: readonly string[];
  /** Staff members: shop agents (whom an administrator binds to a shop) and one who is not. */
  readonly staffIds: readonly string[];
  /** Hashes of every customer's identity document number. */
  readonly documentHashes: readonly string[];
  readonly documentKey: string;
  /** The first and last local dates an effective date may name; days well outside are sure to be refused. */
  readonly today: string;
  readonly soon: string;
}

type Who = 'anonymous' | 'junk-token' | 'subscriber' | 'subscriber-cookie' | 'back-office' | 'back-office-cookie' | 'call-agent' | 'shop-agent' | 'admin' | 'integrator';
const WHO: readonly Who[] = ['anonymous', 'junk-token', 'subscriber', 'subscriber-cookie', 'back-office', 'back-office-cookie', 'call-agent', 'shop-agent', 'admin', 'integrator'];
/** Routes the administrator is sent to (staff accounts and API keys): every bad request there reaches the handler. */
const ADMIN_ROUTES = /^\/api\/v1\/admin\/(staff|api-keys)(\/\{(staffId|id)\}(\/revoke)?)?$/;

interface Tokens {
  readonly subscriber: string;
  /** An integrator's API key with the TMF622 and reassigned-numbers scopes (the query's route gets past its scope check). */
  readonly integrator: string;
  readonly backOffice: string;
  /** A call agent holding a call from the agent queue (the console routes get past their role check). */
  readonly callAgent: string;
  /** The shop agent of shop-1 (the counter console's routes get past their role and shop checks). */
  readonly shopAgent: string;
  /** An administrator, sent only to ADMIN_ROUTES. */
  readonly admin: string;
}

interface FuzzRequest {
  /** `POST /api/v1/terminations/{reference}/confirm`: the route in /openapi.json it was made for. */
  readonly route: string;
  readonly who: Who;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string;
  /** What is wrong with it. */
  readonly defects: readonly string[];
  /** At least one defect is certain to be refused. */
  readonly sure: boolean;
}

// ---------------------------------------------------------------- generators

const junk = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
const junkNonEmpty = (maxLength: number) => fc.string({ unit: 'binary', minLength: 1, maxLength });
const asciiJunk = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength });

const isBadPhone = (s: string) => {
  try {
    normalizeMsisdn(s, 'RU');
    return false;
  } catch {
    return true;
  }
};

function badPhone(fx: Fixture): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom('', ' ', '+', '++79990000002', '+7', '123', '8', '+7999', '8 (999)', '+0 000 000 00 00', '+79990000002000000', 'abc', '8-800-', '+1', 'null', '+7 (999) 000-00-0x', '+7\u0000999', '🙂🙂🙂', '+7 999 000 00 02 ext. 5555555555'),
      junk(64),
      fc.stringMatching(/^\+?[0-9]{1,7}$/),
      fc.stringMatching(/^\+?[0-9]{17,40}$/),
    )
    .filter((s) => isBadPhone(s) && !fx.staffLogins.includes(s.trim().toLowerCase()));
}

function bogusId(real: readonly string[], prefix: string): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(`${prefix}_99999999`, `${prefix}_`, `${prefix.toUpperCase()}_00000002`, ` ${prefix}_00000002`, `${prefix}_00000002 `, `${prefix}_00000002\u0000`, '0', '-1', 'null', 'undefined', "' or '1'='1", '%', '..', '{id}', 'ln_00000002;drop table lines'),
      fc.stringMatching(new RegExp(`^${prefix}_[0-9]{8,9}$`)),
      junkNonEmpty(64),
    )
    .filter((s) => !real.includes(s));
}

function bogusReference(fx: Fixture): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom('TRM-0000-0000', 'TRM-ZZZZ-ZZZZ', 'trm 1111 2222', 'XYZ-ABCD-EFGH', 'TRM-', 'TRM-UUUU-UUUU', 'CAN-0000-0000', '\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000'),
      fc.stringMatching(/^[A-Z]{3}-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      junkNonEmpty(40),
    )
    .filter((s) => {
      const n = normalizeReference(s);
      return !fx.references.includes(s) && !(n && fx.references.includes(n));
    });
}

/** YYYY-MM-DD that is not a calendar day, or lies well outside today .. today + 90 days. */
function badEffectiveDate(fx: Fixture): fc.Arbitrary<string> {
  const isCalendarDay = (s: string) => {
    const d = new Date(`${s}T00:00:00.000Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  };
  const margin = (s: string, days: number) => new Date(Date.parse(`${s}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const low = margin(fx.today, -2);
  const high = margin(fx.today, 100);
  return fc
    .oneof(fc.constantFrom('2026-02-30', '2026-13-01', '2026-00-10', '2019-01-01', '0000-00-00', '9999-99-99', '2099-12-31'), fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/))
    .filter((s) => !isCalendarDay(s) || s < low || s > high);
}

/** Strings Ajv's date-time format refuses (the Ajv check decides; these are only candidates). */
const badDateTime = fc.oneof(
  fc.constantFrom('2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', 'tomorrow', '2026-12-01', '01/12/2026', '2026-12-01T25:00:00Z', '2026-12-01T00:00:00', '', '2026-12-01T00:00:00+25:00', 'NaN', '2026-12-01T00:61:00Z', '+202612-01-01T00:00:00Z', '2026-12-01T00:00:00Z ', '２０２６-12-01T00:00:00Z'),
  junk(40),
);

/** A well-formed date-time further ahead than the 90 days an order may wait. */
const farFutureDateTime = fc.date({ min: new Date('2027-06-01T00:00:00.000Z'), max: new Date('9000-01-01T00:00:00.000Z'), noInvalidDate: true }).map((d) => d.toISOString());

function longString(min: number): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: min + 1, max: Math.max(min + 50, 2_000) }), fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)), junk(8)).map(([n, huge, tail]) => {
    const length = huge ? 10_000 + n * 50 : n;
    return `${'x'.repeat(length)}${tail}`;
  });
}

const wrongTypeFor = (schema: Schema): fc.Arbitrary<unknown> => {
  const type = schema.type ?? (schema.anyOf ? 'string' : 'object');
  const options: fc.Arbitrary<unknown>[] = [fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 })];
  if (type !== 'string') options.push(fc.string({ maxLength: 10 }), fc.constant('100'), fc.constant('true'));
  if (type !== 'integer' && type !== 'number') options.push(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  if (type === 'integer') options.push(fc.constant(1.5), fc.constant(1e300));
  if (type !== 'boolean') options.push(fc.boolean());
  return fc.oneof(...options).filter((v) => (type === 'array' ? !Array.isArray(v) : type === 'object' ? v === null || typeof v !== 'object' || Array.isArray(v) : true));
};

type Path = readonly (string | number)[];
interface Slot {
  readonly path: Path;
  /** Dotted names without array indexes: `productOrderItem.product.id`. */
  readonly name: string;
  readonly schema: Schema;
  readonly required: boolean;
}

function slotsOf(schema: Schema, path: Path = [], name = '', required = true): Slot[] {
  const slots: Slot[] = [{ path, name, schema, required }];
  if (schema.properties) {
    for (const [key, child] of Object.entries(schema.properties)) slots.push(...slotsOf(child, [...path, key], name ? `${name}.${key}` : key, schema.required?.includes(key) ?? false));
  }
  if (schema.items) slots.push(...slotsOf(schema.items, [...path, 0], name, true));
  return slots;
}

function getAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

function setAt(root: unknown, path: Path, value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const clone = structuredClone(root) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = clone;
  for (const k of path.slice(0, -1)) {
    const next = parent[k];
    if (next === null || typeof next !== 'object') return clone;
    parent = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  if (remove) delete parent[last];
  else parent[last] = value;
  return clone;
}

/** Plausible valid values: the fuzz starts from a request that would work and breaks it. */
function validValue(g: fc.GeneratorValue, schema: Schema, name: string, fx: Fixture): unknown {
  const pick = <T>(arb: fc.Arbitrary<T>): T => g(() => arb);
  switch (name) {
    case 'msisdn':
      return pick(fc.constantFrom(fx.msisdn, '8 (999) 000-00-02', '+7 999 000 00 01'));
    case 'login':
      return pick(fc.constantFrom(...fx.staffLogins));
    case 'password':
      return 'demo1234';
    case 'newPassword':
      return 'a-new-password-1';
    case 'code':
      return pick(fc.constantFrom('123456', '0000'));
    case 'lineId':
    case 'productOrderItem.product.id':
      return pick(fc.constantFrom(...fx.lineIds));
    case 'productOrder.id':
      return pick(fc.constantFrom(...fx.references));
    case 'productOrderItem.id':
      return '1';
    case 'productOrderItem.action':
      return 'delete';
    case 'documentNumber':
      return 'RU004000000';
    case 'effective':
      return pick(fc.constantFrom('now', 'end_of_period'));
    case 'requestedCompletionDate':
      return `${fx.soon}T12:00:00.000Z`;
    case 'amount':
      return pick(fc.integer({ min: 1, max: 100_000 }));
    // A kiosk check-in: a ticket number and four digits of a phone (the fixture has no remote ticket to match).
    case 'number':
      return pick(fc.constantFrom('C-001', 'S-002', 'C-042'));
    case 'phoneLast4':
      return pick(fc.constantFrom('0001', '0002', '4567'));
    case 'shopId':
      return pick(fc.constantFrom(...fx.shopIds));
    case 'serviceId':
      return pick(fc.constantFrom('shop-1-C', 'shop-1-S', 'shop-2-C'));
  }
  if (schema.anyOf) return pick(fc.constantFrom(...schema.anyOf.flatMap((s) => s.enum ?? [])));
  switch (schema.type) {
    case 'string':
      return 'x'.repeat(Math.max(schema.minLength ?? 0, pick(fc.integer({ min: 3, max: 12 }))));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return pick(fc.boolean());
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () => validValue(g, schema.items ?? {}, name, fx));
    default: {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || pick(fc.boolean())) out[key] = validValue(g, child, name ? `${name}.${key}` : key, fx);
      }
      return out;
    }
  }
}

/** Values that pass the schema yet are certain to be refused by the handler. */
function semanticDefect(name: string, fx: Fixture, path: string): fc.Arbitrary<unknown> | undefined {
  switch (name) {
    case 'documentNumber':
      return fc.oneof(fc.constantFrom('RU004000000', 'RU 0040 00000', 'XX000000000'), fc.string({ minLength: 4, maxLength: 40 })).filter((s) => s.length >= 4 && !fx.documentHashes.includes(documentHash(fx.documentKey, s)));
    case 'code':
      // No password-reset code is ever issued in the run (every password-reset request is refused), so any code is wrong.
      return path.endsWith('/auth/password-reset/confirm') ? fc.stringMatching(/^[0-9]{4,10}$/) : undefined;
    case 'msisdn':
      return badPhone(fx);
    case 'password':
      return fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s !== 'demo1234');
    case 'lineId':
    case 'productOrderItem.product.id':
      return bogusId(fx.lineIds, 'ln').filter((s) => s.length <= 64);
    case 'productOrder.id':
      return bogusReference(fx).filter((s) => s.length <= 32);
    case 'shopId':
      return bogusId(fx.shopIds, 'shop').filter((s) => s.length <= 64);
    case 'serviceId':
      return bogusId(['shop-1-C', 'shop-1-S', 'shop-2-C'], 'shop-1').filter((s) => s.length <= 64);
    case 'effective':
      return badEffectiveDate(fx);
    case 'requestedCompletionDate':
      return farFutureDateTime;
    case 'productOrderItem.action':
      return fc.constantFrom('add', 'modify', 'noChange', 'DELETE', 'Delete', ' delete', 'delete ', 'remove', '');
    case 'phoneLast4':
      // The fixture's shop tickets are all taken at the kiosk (not remote): no digits check any of them in.
      return path.endsWith('/check-in') ? fc.stringMatching(/^[0-9]{4}$/) : undefined;
    default:
      return undefined;
  }
}

/** One change to a body that its JSON schema forbids (the caller checks with Ajv). */
function schemaDefects(slot: Slot, fx: Fixture): { label: string; arb: fc.Arbitrary<{ value?: unknown; remove?: boolean; key?: string }> }[] {
  const s = slot.schema;
  const out: { label: string; arb: fc.Arbitrary<{ value?: unknown; remove?: boolean; key?: string }> }[] = [];
  out.push({ label: 'wrong type', arb: wrongTypeFor(s).map((value) => ({ value })) });
  if (slot.path.length && slot.required) out.push({ label: 'missing field', arb: fc.constant({ remove: true }) });
  if (s.type === 'object' && s.additionalProperties === false) {
    const unknown = fc.oneof(fc.constantFrom('isAdmin', 'role', 'amount', 'lineID', 'LineId', 'id', 'constructor', 'toString', 'password '), asciiJunk(20), junkNonEmpty(20)).filter((k) => !(k in (s.properties ?? {})) && k !== '__proto__');
    out.push({ label: 'unknown field', arb: fc.tuple(unknown, fc.oneof(fc.string(), fc.integer(), fc.constant(true), fc.constant(null))).map(([key, value]) => ({ key, value })) });
  }
  if (s.type === 'string' && s.maxLength !== undefined) out.push({ label: 'very long string', arb: longString(s.maxLength).map((value) => ({ value })) });
  if (s.type === 'string' && (s.minLength ?? 0) > 0) out.push({ label: 'too short', arb: fc.string({ maxLength: (s.minLength ?? 1) - 1 }).map((value) => ({ value })) });
  if (s.type === 'string' && s.pattern) {
    const re = new RegExp(s.pattern, 'u');
    out.push({ label: 'pattern', arb: fc.oneof(junk(30), fc.constantFrom('NOW', 'now ', 'end-of-period', '12345678901', '١٢٣٤', '2026/12/01', '-1', '1e3', ' 12'), badEffectiveDate(fx).map((d) => `${d}T00:00:00Z`)).filter((v) => !re.test(v)).map((value) => ({ value })) });
  }
  if (s.anyOf) {
    const allowed = s.anyOf.flatMap((x) => x.enum ?? []);
    out.push({ label: 'not one of', arb: fc.oneof(fc.constantFrom('WEB', 'sms', 'SIM', 'eSIM', 'true ', '', 'completed\u0000'), junk(20)).filter((v) => !allowed.includes(v)).map((value) => ({ value })) });
  }
  if (s.type === 'integer') out.push({ label: 'out of range', arb: fc.constantFrom(0, -1, -100_000, 100_000_001, 2 ** 53, -(2 ** 53), 0.5, 99.99).map((value) => ({ value })) });
  if (s.type === 'array') {
    const items = [{}, { id: '2', action: 'delete' }];
    if (s.minItems) out.push({ label: 'too few items', arb: fc.constant({ value: [] }) });
    if (s.maxItems !== undefined) out.push({ label: 'too many items', arb: fc.constant({ value: Array.from({ length: s.maxItems + 1 }, (_, i) => items[i % 2]) }) });
  }
  if (s.format === 'date-time') out.push({ label: 'bad date-time', arb: badDateTime.map((value) => ({ value })) });
  if (slot.path.length === 0) out.push({ label: 'body not an object', arb: fc.oneof(fc.constant([]), fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.array(fc.object(), { maxLength: 2 })).map((value) => ({ value })) });
  return out;
}

// Transport defects: each is refused before any handler runs.
const malformedJson = (valid: string) =>
  fc
    .oneof(
      fc.constantFrom('{', '}', '[', '{"a":1,}', "{'lineId':'ln_00000002'}", '{lineId:1}', 'NaN', '{"a":NaN}', '{"a":Infinity}', '{"a":1}{"b":2}', '{"a":"\\x"}', '/* */{}', '{"a":1} //', 'undefined', '\u0000', '{"a":"\u0001"}', 'tru', '{"a":01}', '{"a":.5}', '{"a":+1}', "{'a':1}", '{"a":1,"a":}'),
      fc.nat({ max: Math.max(0, valid.length - 1) }).map((n) => valid.slice(0, n)),
      fc.tuple(fc.constantFrom(',', '}', ']', 'x', '"', ':', '\\'), fc.nat()).map(([c, n]) => valid.slice(0, n % (valid.length + 1)) + c + valid.slice(n % (valid.length + 1))),
      junkNonEmpty(200),
    )
    .filter((text) => {
      try {
        JSON.parse(text.replace(/^\uFEFF/, ''));
        return false;
      } catch {
        return true;
      }
    });

const poisoned = fc.constantFrom('{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}', '{"a":{"__proto__":{"x":1}}}', '[{"__proto__":null}]');

const unsupportedType = fc.constantFrom(
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----fuzz',
  'image/png',
  'application/octet-stream',
  'text/html',
  'application/jsonx',
  'application/vnd.api+json',
  'json',
  ';;;',
  'application',
  'video/mp4; codecs="avc1"',
);

function hugeJson(): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT * 3 }), fc.constantFrom('x', 'é', '漢', '🙂')).map(([n, ch]) => JSON.stringify({ lineId: ch.repeat(Math.ceil(n / Buffer.byteLength(ch))) }));
}

function encodeSegment(value: string): string {
  return encodeURIComponent(value);
}

function buildRequest(g: fc.GeneratorValue, route: Route, fx: Fixture, tokens: Tokens): FuzzRequest {
  const pick = <T>(arb: fc.Arbitrary<T>): T => g(() => arb);
  const chance = (p: number) => pick(fc.noBias(fc.integer({ min: 0, max: 9_999 }))) < p * 10_000;
  const defects: string[] = [];
  let sure = false;
  // Mostly callers a route lets in, so that defects reach validation and handlers, not only the auth check.
  // The console's routes let in a call agent only: mostly them there.
  const consoleRoute = route.path.startsWith('/api/v1/staff/calls/') && !route.path.endsWith('/figures');
  const counterRoute = route.path.startsWith('/api/v1/staff/shop/');
  const adminRoute = ADMIN_ROUTES.test(route.path);
  const keyRoute = route.path.startsWith('/api/v1/reassigned-numbers/');
  const who = pick(
    fc.oneof(...WHO.filter((w) => w !== 'admin' || adminRoute).map((w) => ({ arbitrary: fc.constant(w), weight: w === 'admin' ? 6 : w === 'call-agent' ? (consoleRoute ? 6 : 1) : w === 'shop-agent' ? (counterRoute ? 6 : 1) : w === 'integrator' ? (keyRoute ? 8 : 1) : w === 'subscriber' || w === 'back-office' ? 4 : w === 'anonymous' ? 2 : 1 }))),
  );
  const headers: Record<string, string> = {};

  // Who is asking.
  if (who === 'junk-token') headers.authorization = pick(fc.constantFrom('Bearer ', 'Bearer x', 'Basic YWRtaW46YWRtaW4=', 'bearer abc', `Bearer ${tokens.backOffice}x`, `Bearer  ${'A'.repeat(5000)}`, 'Bearer sx_not_a_key'));
  if (who === 'subscriber') headers.authorization = `Bearer ${tokens.subscriber}`;
  if (who === 'back-office') headers.authorization = `Bearer ${tokens.backOffice}`;
  if (who === 'call-agent') headers.authorization = `Bearer ${tokens.callAgent}`;
  if (who === 'shop-agent') headers.authorization = `Bearer ${tokens.shopAgent}`;
  if (who === 'admin') headers.authorization = `Bearer ${tokens.admin}`;
  if (who === 'integrator') headers.authorization = `Bearer ${tokens.integrator}`;
  // Cookie sessions must echo the CSRF token on writes: these never do.
  if (who === 'subscriber-cookie' || who === 'back-office-cookie') {
    headers.cookie = `simexit_session=${who === 'subscriber-cookie' ? tokens.subscriber : tokens.backOffice}`;
    if (chance(0.5)) headers['x-csrf-token'] = pick(fc.constantFrom('', 'wrong', 'null', 'A'.repeat(300)));
    if (route.method === 'POST') {
      defects.push('cookie session without its CSRF token');
      sure = true;
    }
  }

  // Harmless noise on every request.
  if (chance(0.3)) headers['accept-language'] = pick(fc.oneof(fc.constantFrom('ru', 'zh-CN,zh;q=0.9', 'en;q=abc,ru;q=NaN', '*', ';;;', 'xx-YY', 'ru;q=-1,zh;q=2'), asciiJunk(40)));
  if (chance(0.15)) headers['x-forwarded-for'] = pick(fc.constantFrom('10.0.0.1', 'not-an-ip', '::1, 127.0.0.1', '999.999.999.999'));

  // The method: a verb no route has.
  let method: string = route.method;
  if (chance(0.03)) {
    method = pick(fc.constantFrom('PUT', 'PATCH', 'DELETE'));
    defects.push(`wrong method ${method}`);
    sure = true;
  }

  // Path parameters: real ids and bogus ones.
  let url = route.path;
  for (const p of route.pathParams) {
    const calls = route.path.startsWith('/api/v1/staff/calls/');
    const tickets = p.name === 'id' && (route.path.startsWith('/api/v1/staff/shop/tickets/') || route.path.startsWith('/api/v1/shops/'));
    const shops = p.name === 'shopId';
    const staff = p.name === 'staffId';
    const real =
      p.name === 'reference' || route.path.startsWith(TMF) ? fx.references : route.path.includes('/accounts/') ? fx.accountIds : calls ? fx.callIds : shops ? fx.shopIds : staff ? fx.staffIds : tickets ? fx.ticketIds : fx.lineIds;
    let value: string;
    if (chance(0.35)) {
      value = pick(p.name === 'reference' || route.path.startsWith(TMF) ? bogusReference(fx) : bogusId(real, route.path.includes('/accounts/') ? 'acc' : calls ? 'agq' : shops ? 'shop' : staff ? 'stf' : tickets ? 'tkt' : 'ln'));
      defects.push(`bogus ${p.name}`);
      sure = true;
    } else {
      value = pick(fc.constantFrom(...real));
      if (p.name === 'reference' && chance(0.2)) value = value.toLowerCase().replace(/-/g, ' ');
    }
    url = url.replace(`{${p.name}}`, encodeSegment(value));
  }
  if (chance(0.02)) {
    url += pick(fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%C0%AF'));
    defects.push('bad URL encoding');
    sure = true;
  }

  // Query string.
  const query: [string, string][] = [];
  let queryInvalid = false;
  if (route.query.length) {
    for (const q of route.query) {
      if (!chance(0.4)) continue;
      const value =
        q.name === 'msisdn' ? fx.msisdn : q.name === 'effective' ? 'now' : q.name === 'limit' ? '5' : q.name === 'offset' ? '0' : q.name === 'fields' ? 'state,orderDate' : q.name === 'dryRun' ? 'true' : q.schema.anyOf ? String(q.schema.anyOf[0]?.enum?.[0]) : 'x';
      query.push([q.name, value]);
    }
    if (chance(route.method === 'GET' ? 0.6 : 0.4)) {
      const kind = pick(fc.constantFrom('unknown', 'duplicate', 'invalid', 'semantic'));
      const q = pick(fc.constantFrom(...route.query));
      if (kind === 'unknown') {
        const name = pick(fc.oneof(fc.constantFrom('foo', '__proto__', 'constructor', 'limit[]', 'fields[0]', 'state.x', 'LIMIT', ''), asciiJunk(12)).filter((n) => !route.query.some((x) => x.name === n)));
        query.push([name, pick(junk(20))]);
      } else if (kind === 'duplicate') {
        query.push([q.name, 'a'], [q.name, 'b']);
      } else if (kind === 'semantic' && q.name === 'msisdn') {
        query.push([q.name, pick(badPhone(fx))]);
        defects.push('bad phone number in query');
        sure = true;
      } else if (kind === 'semantic' && q.name === 'effective') {
        query.push([q.name, pick(badEffectiveDate(fx))]);
        defects.push('bad effective date in query');
        sure = true;
      } else {
        const slot: Slot = { path: [], name: q.name, schema: q.schema, required: false };
        const options = schemaDefects(slot, fx).filter((d) => d.label !== 'wrong type' && d.label !== 'body not an object');
        const chosen = options.length ? pick(fc.constantFrom(...options)) : undefined;
        const v = chosen ? pick(chosen.arb).value : undefined;
        query.push([q.name, typeof v === 'string' ? v : pick(junk(300))]);
      }
      const asObject: Record<string, string | string[]> = {};
      for (const [k, v] of query) {
        const had = asObject[k];
        asObject[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
      }
      if (route.validQuery && !route.validQuery(asObject)) {
        // An odd unknown name may be parsed away by the server: only a known parameter's bad value is certain.
        queryInvalid = kind === 'duplicate' || kind === 'invalid';
        defects.push(`query (${kind})`);
        sure = true;
      }
    }
  } else if (chance(0.2)) {
    query.push([pick(asciiJunk(10)), pick(junk(50))]);
  }
  if (query.length) url += `?${new URLSearchParams(query).toString()}`;

  // Idempotency-Key.
  if (route.needsIdempotencyKey) {
    const k = pick(fc.constantFrom('missing', 'missing', 'random', 'fixed', 'empty', 'long'));
    if (k === 'random') headers['idempotency-key'] = `fuzz-${pick(fc.uuid())}`;
    if (k === 'fixed') headers['idempotency-key'] = 'fuzz-shared-key';
    if (k === 'empty') headers['idempotency-key'] = '';
    if (k === 'long') headers['idempotency-key'] = 'k'.repeat(pick(fc.integer({ min: 129, max: 4000 })));
    if (k === 'missing' || k === 'empty' || k === 'long') {
      defects.push(`Idempotency-Key ${k}`);
      sure = true;
    }
  }

  // Body.
  let payload: string | undefined;
  const transport = (): void => {
    const options = ['malformed JSON', 'empty JSON body', 'prototype poisoning', 'body over the limit', 'unsupported content type', 'body without content type'];
    if (route.body) options.push('text body for a JSON route');
    if (csvRoute(route.path)) options.push('JSON for a CSV route');
    const kind = pick(fc.constantFrom(...options));
    const valid = JSON.stringify(route.body ? validValue(g, route.body, '', fx) : { lineId: fx.lineIds[0] });
    defects.push(kind);
    sure = true;
    delete headers['content-type'];
    if (kind === 'malformed JSON') [headers['content-type'], payload] = [pick(fc.constantFrom('application/json', 'application/json; charset=utf-8')), pick(malformedJson(valid))];
    if (kind === 'empty JSON body') [headers['content-type'], payload] = ['application/json', pick(fc.constantFrom('', ' ', '\n'))];
    if (kind === 'prototype poisoning') [headers['content-type'], payload] = ['application/json', pick(poisoned)];
    if (kind === 'body over the limit') [headers['content-type'], payload] = ['application/json', pick(hugeJson())];
    if (kind === 'unsupported content type') [headers['content-type'], payload] = [pick(unsupportedType), pick(fc.oneof(fc.constant(valid), fc.constant('<a/>'), fc.constant('a=b&c=d'), junkNonEmpty(100)))];
    if (kind === 'body without content type') payload = pick(fc.oneof(fc.constant(valid), junkNonEmpty(100)));
    if (kind === 'text body for a JSON route') [headers['content-type'], payload] = [pick(fc.constantFrom('text/plain', 'text/csv', 'text/plain; charset=utf-8')), pick(fc.oneof(fc.constant(valid), junk(100)))];
    if (kind === 'JSON for a CSV route') [headers['content-type'], payload] = ['application/json', valid];
  };

  if (route.method === 'GET') {
    // A GET's body is ignored; send junk now and then all the same.
    if (chance(0.1)) [headers['content-type'], payload] = ['application/json', pick(malformedJson('{}'))];
  } else if (route.body) {
    const strategy = pick(fc.constantFrom('schema', 'schema', 'semantic', 'semantic', 'transport', ...(sure ? ['valid'] : [])));
    let body = validValue(g, route.body, '', fx);
    const slots = slotsOf(route.body);
    let touched: string | undefined;
    let semantic = false;
    if (strategy === 'semantic') {
      const candidates = slots.filter((s) => semanticDefect(s.name, fx, route.path));
      const slot = candidates.length ? pick(fc.constantFrom(...candidates)) : undefined;
      const arb = slot && semanticDefect(slot.name, fx, route.path);
      if (slot && arb) {
        const value = pick(arb);
        body = setAt(body, slot.path, value);
        // A field whose parent the valid body left out cannot carry the defect.
        if (getAt(body, slot.path) === value) {
          touched = slot.name;
          semantic = true;
          defects.push(`bad ${slot.name}`);
        }
      }
    }
    if (strategy === 'schema' || (strategy === 'semantic' && !semantic)) {
      const slot = pick(fc.constantFrom(...slots));
      const options = schemaDefects(slot, fx);
      const chosen = pick(fc.constantFrom(...options));
      const change = pick(chosen.arb);
      if (change.key !== undefined) body = setAt(body, [...slot.path, change.key], change.value);
      else body = setAt(body, slot.path, change.value, change.remove);
      touched = slot.name;
      defects.push(`${chosen.label} at ${slot.name || 'body'}`);
    }
    // Noise elsewhere: Unicode junk in another string, an extra field where extras are allowed.
    for (const slot of slots) {
      if (slot.name === touched || slot.schema.type !== 'string' || !chance(0.15)) continue;
      if (getAt(body, slot.path) === undefined) continue;
      body = setAt(body, slot.path, pick(junk(Math.min(slot.schema.maxLength ?? 30, 30))));
      defects.push(`junk at ${slot.name}`);
    }
    if (route.body.additionalProperties !== false && body !== null && typeof body === 'object' && !Array.isArray(body) && chance(0.3)) {
      body = { ...(body as object), [`x-${pick(asciiJunk(8))}`]: pick(junk(30)) };
    }
    if (strategy === 'transport') transport();
    else {
      headers['content-type'] = pick(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON'));
      payload = JSON.stringify(body) ?? 'null';
      if (semantic || (route.validBody && !route.validBody(body))) sure = true;
    }
  } else if (csvRoute(route.path)) {
    // The CSV route runs whatever CSV it gets: send one only when the query is already refused.
    if (queryInvalid && chance(0.5)) [headers['content-type'], payload] = ['text/csv', pick(fc.oneof(fc.constant('msisdn\n+79990009999\n'), junk(200)))];
    else transport();
  } else if (!sure || chance(0.5)) {
    transport();
  }

  if (route.method !== 'GET' && !sure) transport();
  return { route: `${route.method} ${route.path}`, who, method, url, headers, payload, defects, sure };
}

// ---------------------------------------------------------------- state

/** Everything a refused request must leave as it was (auth_failures and otp_codes excepted). */
async function snapshot(app: TestApp): Promise<Record<string, unknown>> {
  const db = app.store.db;
  const count = async (table: 'terminations' | 'ledger_entries' | 'audit_log' | 'notifications' | 'lines' | 'sessions' | 'jobs' | 'idempotency_keys' | 'reclaims' | 'certificates' | 'network_barrings' | 'api_keys') =>
    // Staff reads of a customer are audited by design (a record of who looked), not a change of state.
    table === 'audit_log'
      ? Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '!=', 'staff_read').executeTakeFirstOrThrow()).n)
      : Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const byState = async (table: 'terminations' | 'lines' | 'numbers' | 'sims' | 'esim_profiles' | 'jobs') =>
    Object.fromEntries((await db.selectFrom(table).select(['state', (eb) => eb.fn.countAll().as('n')]).groupBy('state').orderBy('state').execute()).map((r) => [r.state, Number(r.n)]));
  const digest = (rows: unknown[]) => createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  return {
    counts: Object.fromEntries(
      await Promise.all((['terminations', 'ledger_entries', 'audit_log', 'notifications', 'lines', 'sessions', 'jobs', 'idempotency_keys', 'reclaims', 'certificates', 'network_barrings', 'api_keys'] as const).map(async (t) => [t, await count(t)])),
    ),
    terminationStates: await byState('terminations'),
    lineStates: await byState('lines'),
    numberStates: await byState('numbers'),
    simStates: await byState('sims'),
    esimStates: await byState('esim_profiles'),
    jobStates: await byState('jobs'),
    terminations: digest(await db.selectFrom('terminations').selectAll().orderBy('id').execute()),
    lines: digest(await db.selectFrom('lines').selectAll().orderBy('id').execute()),
    accounts: digest(await db.selectFrom('accounts').selectAll().orderBy('id').execute()),
    customers: digest(await db.selectFrom('customers').selectAll().orderBy('id').execute()),
    staff: digest(await db.selectFrom('staff').selectAll().orderBy('id').execute()),
    agentQueue: digest(await db.selectFrom('agent_queue').selectAll().orderBy('id').execute()),
    staffCases: digest(await db.selectFrom('staff_cases').selectAll().orderBy('id').execute()),
    shops: digest([await db.selectFrom('shops').selectAll().orderBy('id').execute(), await db.selectFrom('shop_counters').selectAll().orderBy('id').execute(), await db.selectFrom('shop_services').selectAll().orderBy('id').execute()]),
    apiKeys: digest(await db.selectFrom('api_keys').select(['id', 'name', 'scopes', 'revoked_at']).orderBy('id').execute()),
    shopTickets: digest(await db.selectFrom('shop_tickets').selectAll().orderBy('id').execute()),
    shopServiceTimes: digest(await db.selectFrom('shop_service_times').selectAll().orderBy('ticket_id').execute()),
  };
}

// ---------------------------------------------------------------- the run

async function signIn(server: FastifyInstance, payload: Record<string, string>): Promise<string> {
  const r = await server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.77.0.1', payload });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().token as string;
}

const describeRequest = (r: FuzzRequest) =>
  JSON.stringify({ who: r.who, method: r.method, url: r.url.length > 300 ? `${r.url.slice(0, 300)}…` : r.url, headers: { ...r.headers, authorization: r.headers.authorization?.slice(0, 40), cookie: r.headers.cookie?.slice(0, 40) }, payload: r.payload && r.payload.length > 300 ? `${r.payload.slice(0, 300)}… (${r.payload.length} chars)` : r.payload, defects: r.defects });

for (const kind of storeKinds()) {
  describe(`API fuzz on ${kind.name}`, () => {
    let app: TestApp;
    let server: FastifyInstance;
    let fx: Fixture;
    let tokens: Tokens;
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 12, seed: 11 });
      server = await buildServer(app);
      tokens = {
        subscriber: await signIn(server, { msisdn: '+79990000002', password: 'demo1234' }),
        backOffice: await signIn(server, { login: 'backoffice', password: 'demo1234' }),
        callAgent: await signIn(server, { login: 'callcentre', password: 'demo1234' }),
        shopAgent: await signIn(server, { login: 'shop1', password: 'demo1234' }),
        admin: await signIn(server, { login: 'admin', password: 'demo1234' }),
        integrator: (await createApiKey(app, 'fuzz partner', ['tmf622', 'reassigned-numbers'])).key,
      };
      // Two tickets of shop-1: one called to counter 1 by the shop agent (nobody found for it yet), one waiting.
      const shopAgent: Extract<Principal, { kind: 'staff' }> = { kind: 'staff', id: 'stf_shop1', name: 'Shop Agent 1', role: 'shop_agent', shopId: 'shop-1' };
      const calledTicket = await takeTicket(app, 'shop-1', { serviceId: 'shop-1-C', language: 'ru' }, '192.0.2.1');
      const waitingTicket = await takeTicket(app, 'shop-1', { serviceId: 'shop-1-S', language: 'en' }, '192.0.2.1');
      assert.equal((await callNext(app, shopAgent, 'shop-1-w2'))?.id, calledTicket.id);
      // The call agent holds one call from the queue and finished another: the console's routes reach their handlers.
      const callAgent: Extract<Principal, { kind: 'staff' }> = { kind: 'staff', id: 'stf_callcentre', name: 'Call Agent', role: 'call_agent', shopId: null };
      const queued = (sid: string) => enqueueForAgent(app, { kind: 'call', callSid: sid, language: 'ru', callerNumber: '+79990000003', customerId: 'cus_00000003', lineId: 'ln_00000003', verified: { caller: true, secret: 'pin', smsCode: true }, reason: 'caller asked for an agent' });
      const finished = await queued('CA-fuzz-finished');
      await takeCall(app, callAgent, finished.id);
      await finishCall(app, callAgent, finished.id, 'resolved');
      const held = await queued('CA-fuzz-held');
      await takeCall(app, callAgent, held.id);
      const partner = await createApiKey(app, 'partner', ['tmf622']);
      // Real orders in three states: the subscriber's own (awaiting its SMS code), one scheduled ahead, one completed.
      const asSubscriber = { authorization: `Bearer ${tokens.subscriber}` };
      const own = await server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...asSubscriber, 'idempotency-key': 'fixture-1' }, payload: { lineId: 'ln_00000002' } });
      assert.equal(own.statusCode, 201, own.body);
      const soon = new Date(Date.parse(app.clock()) + 10 * 86_400_000).toISOString();
      const ahead = await server.inject({ method: 'POST', url: `${TMF}/productOrder`, headers: { authorization: `Bearer ${partner.key}` }, payload: { productOrderItem: [{ id: '1', action: 'delete', product: { id: 'ln_00000004' } }], requestedCompletionDate: soon } });
      assert.equal(ahead.statusCode, 201, ahead.body);
      const done = await server.inject({ method: 'POST', url: '/api/v1/staff/terminations', headers: { authorization: `Bearer ${tokens.backOffice}` }, payload: { lineId: 'ln_00000005', documentChecked: true } });
      assert.equal(done.statusCode, 201, done.body);
      await runWorker(app, { untilIdle: true });
      const references = [own.json().reference as string, ahead.json().id as string, done.json().reference as string];
      const states = await app.store.db.selectFrom('terminations').select(['reference', 'state']).orderBy('reference').execute();
      assert.deepEqual(states.map((s) => s.state).sort(), ['awaiting_confirmation', 'completed', 'scheduled']);
      const today = app.clock().slice(0, 10);
      fx = {
        msisdn: '+79990000002',
        lineIds: (await app.store.db.selectFrom('lines').select('id').orderBy('id').execute()).map((r) => r.id),
        accountIds: (await app.store.db.selectFrom('accounts').select('id').orderBy('id').execute()).map((r) => r.id),
        references,
        staffLogins: (await app.store.db.selectFrom('staff').select('login').execute()).map((r) => r.login),
        callIds: [held.id, finished.id],
        ticketIds: [calledTicket.id, waitingTicket.id],
        shopIds: ['shop-1', 'shop-2'],
        staffIds: ['stf_shop1', 'stf_shop2', 'stf_callcentre'],
        documentKey: app.secrets.documentKey,
        documentHashes: (await app.store.db.selectFrom('customers').select('doc_hash').execute()).flatMap((r) => (r.doc_hash ? [r.doc_hash] : [])),
        today,
        soon: soon.slice(0, 10),
      };
    });
    after(async () => {
      await server?.close();
      await app?.close();
    });

    test(`${RUNS} generated bad requests across every route: 4xx JSON errors, never 5xx, nothing changes`, async () => {
      const started = performance.now();
      const doc = (await server.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDoc;
      const routes = routesOf(doc, fastifyAjv());
      assert.ok(routes.length >= 25, `routes in /openapi.json: ${routes.length}`);
      const requests = fc.sample(
        fc.gen().map((g) => buildRequest(g, g(() => fc.constantFrom(...routes)), fx, tokens)),
        { numRuns: RUNS, seed: SEED },
      );
      const before = await snapshot(app);

      const failures: string[] = [];
      const statuses = new Map<number, number>();
      const codes = new Map<string, number>();
      const perRoute = new Map<string, number>();
      let skipped = 0;
      let sent = 0;
      for (let i = 0; i < requests.length; i += CHUNK) {
        const chunk = requests.slice(i, i + CHUNK);
        const responses = await Promise.all(chunk.map((r) => server.inject({ method: r.method as 'GET', url: r.url, headers: r.headers, payload: r.payload })));
        sent += chunk.length;
        chunk.forEach((r, j) => {
          const res = responses[j];
          if (!res) return;
          perRoute.set(r.route, (perRoute.get(r.route) ?? 0) + 1);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          const fail = (why: string) => failures.length < 20 && failures.push(`${why}\n    status ${res.statusCode} ${res.body.slice(0, 300)}\n    request ${describeRequest(r)}`);
          if (res.statusCode >= 500) return void fail('5xx');
          if (res.statusCode < 400) {
            if (r.method === 'GET' && res.statusCode < 300) skipped++;
            else fail(`a ${r.sure ? 'request certain to be refused' : 'write'} was accepted`);
            return;
          }
          let body: { code?: unknown; message?: unknown; details?: unknown };
          try {
            body = JSON.parse(res.body);
          } catch {
            return void fail('body is not JSON');
          }
          if (!String(res.headers['content-type']).startsWith('application/json')) fail('content-type is not JSON');
          if (typeof body.code !== 'string' || typeof body.message !== 'string') return void fail('no string code and message');
          codes.set(body.code, (codes.get(body.code) ?? 0) + 1);
          if (!(body.code in errorCatalogue)) fail(`code ${body.code} is not in the error catalogue`);
          if (body.details === null || typeof body.details !== 'object') fail('details is not an object');
        });
      }
      const elapsed = (performance.now() - started) / 1000;
      const after = await snapshot(app);
      const bad = sent - skipped;
      console.log(
        `[${kind.name}] sent ${sent} requests (${bad} bad ones answered 4xx, ${skipped} GETs answered 2xx and skipped) to ${perRoute.size} routes in ${elapsed.toFixed(1)} s (seed ${SEED})\n` +
          `  statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n  codes ${JSON.stringify(Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])))}`,
      );
      assert.deepEqual(failures, [], `${failures.length} bad answers (seed ${SEED}):\n${failures.join('\n')}`);
      assert.deepEqual(after, before, 'a refused request changed state');
      if (!process.env.FUZZ_RUNS) assert.ok(bad >= 7000, `only ${bad} bad requests`);
      // Every route was exercised, each principal still signed in.
      for (const r of routes) assert.ok((perRoute.get(`${r.method} ${r.path}`) ?? 0) >= 50, `${r.method} ${r.path} was fuzzed ${perRoute.get(`${r.method} ${r.path}`) ?? 0} times`);
      assert.equal((await server.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${tokens.subscriber}` } })).statusCode, 200);
      assert.equal((await server.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${tokens.backOffice}` } })).statusCode, 200);
    });

    test("the SM-DP+'s ES2+ notification route, on its own mutual-TLS listener: generated bodies get 400, well-formed ones without a verified certificate 403, never 5xx, nothing changes", async () => {
      // Not in /openapi.json: the route is served only by the listener (es2plus-listener.ts), never the public host.
      const pki = testPki();
      const ca = pki.ca('fuzz CA');
      const cert = ca.issue('listener', 'server');
      const es2 = await buildEs2plusListener(app, { port: 0, host: '127.0.0.1', serverCert: cert.cert, serverKey: cert.key, clientCa: ca.cert, deletePoints: ['delete'], disablePoints: ['disable'] }, { logger: false });
      try {
        const profile = await app.store.db.selectFrom('esim_profiles').select(['iccid']).where('state', '=', 'enabled').limit(1).executeTakeFirstOrThrow();
        const valid = { header: { functionRequesterIdentifier: 'smdp', functionCallIdentifier: 'c1' }, iccid: profile.iccid, notificationPointId: 'Delete', notificationPointStatus: { status: 'Executed-Success' } };
        const before = await snapshot(app);
        const bodies = fc.sample(
          fc.oneof(
            fc.jsonValue(),
            fc.record({ field: fc.constantFrom('header', 'iccid', 'notificationPointId', 'notificationPointStatus', 'eid'), value: fc.jsonValue() }).map(({ field, value }) => ({ ...valid, [field]: value })),
            fc.constant(valid),
          ),
          { numRuns: 400, seed: SEED },
        );
        const statuses = new Set<number>();
        for (const body of bodies) {
          const r = await es2.inject({ method: 'POST', url: '/gsma/rsp2/es2plus/handleDownloadProgressInfo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
          statuses.add(r.statusCode);
          assert.ok([400, 403].includes(r.statusCode), `${r.statusCode} ${r.body.slice(0, 200)} for ${JSON.stringify(body).slice(0, 200)}`);
        }
        assert.ok(statuses.has(403), 'well-formed notifications were refused for want of a certificate');
        assert.deepEqual(await snapshot(app), before, 'a refused notification changed state');
      } finally {
        await es2.close();
        pki.remove();
      }
    });

    test(
      'a staff termination refused for a bad effective date leaves the customer as it was',
      async () => {
        const customer = () => app.store.db.selectFrom('customers').select(['identity_verified_at']).where('id', '=', 'cus_00000001').executeTakeFirstOrThrow();
        const audit = async () => Number((await app.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '!=', 'staff_read').executeTakeFirstOrThrow()).n);
        const [verified, rows] = [await customer(), await audit()];
        app.clock.advanceHours(1);
        const r = await server.inject({ method: 'POST', url: '/api/v1/staff/terminations', headers: { authorization: `Bearer ${tokens.backOffice}` }, payload: { lineId: 'ln_00000001', effective: '2099-12-31', documentChecked: true } });
        assert.equal(r.statusCode, 400, r.body);
        assert.equal(r.json().code, 'INVALID_EFFECTIVE_DATE');
        assert.deepEqual(await customer(), verified);
        assert.equal(await audit(), rows);
      },
    );

    test(
      'a NUL character in an id, a login or a reference is refused with a 4xx',
      async () => {
        const bo = { authorization: `Bearer ${tokens.backOffice}` };
        const sub = { authorization: `Bearer ${tokens.subscriber}` };
        const nul = '%00%00%00%00%00%00%00%00%00';
        const probes: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: object }[] = [
          { method: 'POST', url: '/api/v1/auth/login', payload: { msisdn: '+7\u0000999', password: 'x' } },
          { method: 'POST', url: '/api/v1/auth/login', payload: { login: 'admin\u0000', password: 'x' } },
          { method: 'GET', url: '/api/v1/lines/ln_%00/termination-preview', headers: sub },
          { method: 'POST', url: '/api/v1/terminations', headers: { ...sub, 'idempotency-key': 'nul-1' }, payload: { lineId: 'ln_\u0000' } },
          { method: 'POST', url: '/api/v1/accounts/acc_%00/payments', headers: sub, payload: { amount: 5 } },
          { method: 'POST', url: '/api/v1/staff/terminations', headers: bo, payload: { lineId: 'ln_\u0000', documentChecked: false } },
          { method: 'POST', url: `/api/v1/staff/terminations/${nul}/retry`, headers: bo },
          { method: 'POST', url: `/api/v1/staff/terminations/${nul}/reject`, headers: bo, payload: { reason: 'fraud' } },
          { method: 'POST', url: `${TMF}/productOrder`, headers: bo, payload: { productOrderItem: [{ id: '1', action: 'delete', product: { id: 'ln_\u0000' } }] } },
        ];
        const answers: string[] = [];
        for (const p of probes) {
          const r = await server.inject({ ...p, remoteAddress: '10.78.0.1' });
          answers.push(`${p.method} ${p.url} → ${r.statusCode} ${r.json().code}`);
        }
        assert.deepEqual(answers.filter((a) => / → 5\d\d /.test(a)), [], answers.join('\n'));
      },
    );

    test('the reassigned-numbers query refuses a day that does not exist, a future day and 1,001 pairs with a 400 and a stable code, and records nothing', async () => {
      const before = await snapshot(app);
      const counted = async () => (await app.store.db.selectFrom('auth_failures').select('key').where('key', 'like', 'rnd-key:%').execute()).length;
      const counts = await counted();
      const ok = { number: '+79990000002', date: fx.today };
      const answers: string[] = [];
      for (const pairs of [[ok, { number: '+79990000002', date: '2026-02-29' }], [{ number: '+79990000002', date: fx.soon }], Array.from({ length: 1001 }, () => ok), [ok, { number: '79990000002', date: fx.today }]]) {
        const r = await server.inject({ method: 'POST', url: '/api/v1/reassigned-numbers/query', headers: { authorization: `Bearer ${tokens.integrator}` }, payload: { pairs } });
        answers.push(`${r.statusCode} ${r.json().code}`);
      }
      assert.deepEqual(answers, ['400 RND_INVALID_DATE', '400 RND_FUTURE_DATE', '400 VALIDATION_FAILED', '400 VALIDATION_FAILED']);
      assert.deepEqual(await snapshot(app), before, 'nothing audited');
      assert.equal(await counted(), counts, 'nothing counted against the key');
    });

    test('a URL Fastify cannot decode is answered in the catalogue shape like every other error', async () => {
      const r = await server.inject({ method: 'GET', url: '/api/v1/terminations/%E0%A4%A', headers: { 'accept-language': 'ru' } });
      assert.equal(r.statusCode, 400);
      const body = r.json();
      assert.ok(body.code in errorCatalogue, `code ${body.code}`);
      assert.equal(typeof body.details, 'object');
    });
  });
}
