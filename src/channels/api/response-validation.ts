import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { ErrorSchema } from './schemas.ts';

/**
 * Every JSON response is checked against its route's response schema before
 * it leaves, and a mismatch is a 500 (logged with the route and the field):
 * an integrator never receives an answer that breaks the published contract,
 * and a handler that drifts fails the tests. Fastify's serializer alone
 * would silently drop or coerce fields. A check costs about 2 µs for the
 * preview's answer; `SIMEXIT_VALIDATE_RESPONSES=0` turns it off.
 */
export function validateResponses(app: FastifyInstance): void {
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
    done(new Error(`response of ${request.method} ${request.routeOptions.url} (${reply.statusCode}) does not match its schema: ${first?.instancePath} ${first?.message}`));
  });
}
