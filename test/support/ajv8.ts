import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

export interface AjvError {
  instancePath: string;
  message?: string;
}
export interface Validate {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
export interface Ajv {
  addSchema(schema: object, key: string): Ajv;
  addFormat(name: string, format: boolean): Ajv;
  compile(schema: object): Validate;
  errorsText(errors?: AjvError[] | null): string;
}

/**
 * Ajv 8 with ajv-formats. `import Ajv from 'ajv'` would find ESLint's Ajv 6 at
 * the top of node_modules, so Ajv is loaded through Fastify's own dependency
 * chain (fastify → @fastify/ajv-compiler → ajv 8, ajv-formats).
 */
export function ajv8(): Ajv {
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
  const fromCompiler = createRequire(fromFastify.resolve('@fastify/ajv-compiler'));
  assert.match((fromCompiler('ajv/package.json') as { version: string }).version, /^8\./);
  const AjvClass = (fromCompiler('ajv') as { default: new (options: object) => Ajv }).default;
  const addFormats = (fromCompiler('ajv-formats') as { default: (ajv: Ajv) => void }).default;
  const ajv = new AjvClass({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

