import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { ErrorSchema } from './schemas.ts';

/**
 * Every JSON response is checked against its route's response schema before
 * it leaves: Fastify's serializer alone would silently drop or coerce fields
 * that drift from the published contract. What a mismatch does depends on
 * `SIMEXIT_VALIDATE_RESPONSES`:
 * - unset (production): it is logged as an error naming the route and the
 *   field, and the answer still goes out. By then the work is committed; a
 *   500 would tell a client that a payment or a request failed when it did
 *   not, and invite it to try again.
 * - `strict` (the test suites): it is a 500, so a handler that drifts fails
 *   the tests.
 * - `0`: no check.
 * A check costs about 2 µs for the preview's answer.
 */
export function validateResponses(app: FastifyInstance, mode: 'log' | 'strict'): void {
  const ajv = new Ajv({ strict: false, allErrors: false });
  // 'fast': formats checked by pattern alone, enough to catch a handler that drifts.
  addFormats.default(ajv, { mode: 'fast' });
  ajv.addSchema({ ...ErrorSchema, $id: 'Error' });
  const compiled = new WeakMap<object, ValidateFunction>();
  app.addHook('preSerialization', (request, reply, payload, done) => {
    const responses = request.routeOptions.schema?.response as Record<string, object> | undefined;
    const schema = responses?.[String(reply.statusCode)] ?? responses?.[`${String(reply.statusCode)[0]}xx`];
    if (!schema || payload === null || typeof payload !== 'object' || Buffer.isBuffer(payload)) return done(null, payload);
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(schema, validate);
    }
    if (validate(payload)) return done(null, payload);
    const first = validate.errors?.[0];
    const problem = `response of ${request.method} ${request.routeOptions.url} (${reply.statusCode}) does not match its schema: ${first?.instancePath} ${first?.message}`;
    if (mode === 'strict') return done(new Error(problem));
    request.log.error(problem);
    done(null, payload);
  });
}
