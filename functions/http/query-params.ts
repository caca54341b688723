import * as z from 'zod/mini';
import type { HttpEvent } from './http-types.js';
import { parseWith } from './request-parsing.js';

/** A whole number query parameter within bounds, named in the error when it is not. */
export const intParam = (min: number, max: number) =>
  z.pipe(
    z.string().check(z.regex(/^\d{1,16}$/, 'expected a whole number')),
    z.pipe(z.transform(Number), z.int().check(z.minimum(min), z.maximum(max))),
  );

/** Query parameters checked strictly: an unknown one is an error, not silently ignored. */
export function queryParams<S extends z.core.$ZodShape>(event: HttpEvent, shape: S): z.output<z.ZodMiniObject<S>> {
  return parseWith(z.strictObject(shape), event.queryStringParameters ?? {}, [], 'The query') as z.output<z.ZodMiniObject<S>>;
}
