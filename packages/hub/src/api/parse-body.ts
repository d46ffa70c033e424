import { ErrorCode } from '@oxidite/protocol';
import type * as z from 'zod';
import { HttpError } from './http-error';

/** Validates a request body with a zod schema; the first issue, with its path, is the 400's message. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  throw new HttpError(ErrorCode.INVALID, `${path}${issue?.message ?? 'invalid request'}`);
}
