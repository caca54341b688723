import * as z from 'zod';
import type { HttpEvent } from './http-types.js';
import { parseWith } from './request-parsing.js';

/** A whole number query parameter within bounds, named in the error when it is not. */
export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Query parameters checked strictly: an unknown one is an error, not silently ignored. */
export function queryParams<S extends z.ZodRawShape>(event: HttpEvent, shape: S): z.output<z.ZodObject<S>> {
  return parseWith(z.strictObject(shape), event.queryStringParameters ?? {}, [], 'The query') as z.output<z.ZodObject<S>>;
}
