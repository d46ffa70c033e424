import type { StandardSchemaV1 } from '@oxidite/protocol';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { linearRegExp } from './linear-regexp';

/** One validator instance for the whole config: schemas may `$ref` each other by `$id`. */
export type JsonSchemaCompiler = (schema: object | boolean) => StandardSchemaV1<unknown, unknown>;

function issueOf(error: ErrorObject): StandardSchemaV1.Issue {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return { message: error.message ?? 'is invalid', path };
}

/**
 * Compiles JSON Schemas (draft 2020-12, with ajv) into Standard Schemas, the interface the SDK
 * validates every topic with, so config-declared topics go through the same edge as typed ones.
 * @throws Error when a schema does not compile (the caller reports it as a config problem).
 */
export function createJsonSchemaCompiler(): JsonSchemaCompiler {
  // strict: a typo in a keyword (`minLenght`) is a config error instead of a silently open schema.
  // code.regExp: patterns run in linear time (see linear-regexp.ts), so no payload can stall the hub.
  const ajv = new Ajv2020({ strict: true, allErrors: false, code: { regExp: linearRegExp } });
  // Without them, strict mode refuses any schema using `format` (email, date-time, uri, uuid…).
  addFormats(ajv);
  return (schema) => {
    const validate: ValidateFunction = ajv.compile(schema);
    return {
      '~standard': {
        version: 1,
        vendor: 'ajv',
        validate(value) {
          if (validate(value)) return { value };
          return { issues: (validate.errors ?? []).map(issueOf) };
        },
      },
    };
  };
}
