import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { ErrorSchema } from './schemas.ts';

/**
 * With SIMEXIT_VALIDATE_RESPONSES=1 (the test suites set it) every JSON
 * response is checked against its route's response schema before it leaves,
 * and a mismatch is a 500: a handler that drifts from the published contract
 * fails the tests instead of surprising an integrator. Fastify's serializer
 * alone would silently drop or coerce fields.
 */
export function validateResponses(app: FastifyInstance): void {
  const ajv = new Ajv({ strict: false, allErrors: false });
  addFormats.default(ajv);
  ajv.addSchema({ ...ErrorSchema, $id: 'Error' });
  const compiled = new WeakMap<object, ValidateFunction>();
  app.addHook('preSerialization', async (request, reply, payload) => {
    const responses = request.routeOptions.schema?.response as Record<string, object> | undefined;
    const schema = responses?.[String(reply.statusCode)] ?? responses?.[`${String(reply.statusCode)[0]}xx`];
    if (!schema || payload === null || typeof payload !== 'object' || Buffer.isBuffer(payload)) return payload;
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(schema, validate);
    }
    if (!validate(payload)) {
      const first = validate.errors?.[0];
      throw new Error(`response of ${request.method} ${request.routeOptions.url} (${reply.statusCode}) does not match its schema: ${first?.instancePath} ${first?.message}`);
    }
    return payload;
  });
}
