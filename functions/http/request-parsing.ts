import * as z from 'zod/mini';
import type { FieldProblem } from '../domain/domain-errors.js';
import { InputError, PayloadTooLargeError, UnsupportedMediaTypeError } from './http-errors.js';
import type { HttpEvent } from './http-types.js';
import { structureProblem, valueProblem } from './json-guard.js';

export const maxBodyBytes = 256 * 1024;

/** API Gateway lowercases header names in payload v2; the local server does the same. */
export const header = (event: HttpEvent, name: string): string | undefined => event.headers?.[name.toLowerCase()];

/** `application/json` or any `+json` type, in UTF-8 (RFC 8259 allows no other charset). */
function checkMediaType(event: HttpEvent): void {
  const [type, ...parameters] = (header(event, 'content-type') ?? '').split(';');
  const contentType = type?.trim().toLowerCase() ?? '';
  if (!/^application\/([a-z0-9.+-]+\+)?json$/.test(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Send the body as application/json (got ${contentType === '' ? 'no content type' : JSON.stringify(contentType.slice(0, 100))})`,
    );
  }
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  if (charset !== undefined && !/^charset="?utf-?8"?$/.test(charset)) {
    throw new UnsupportedMediaTypeError('Send the body in UTF-8; no other charset is accepted');
  }
  // A compressed body would otherwise be read as (invalid) text: say what is wrong instead.
  const encoding = header(event, 'content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new UnsupportedMediaTypeError('Send the body without a content encoding');
  }
}

/** The JSON body, or a 413/415/400 naming what is wrong with it. */
export function jsonBody(event: HttpEvent): unknown {
  checkMediaType(event);
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBodyBytes) throw new PayloadTooLargeError(`The body is ${bytes.length} bytes; the limit is ${maxBodyBytes}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError([{ field: 'body', message: 'not valid UTF-8' }], 'The body is not valid UTF-8');
  }
  if (text.trim() === '') throw new InputError([{ field: 'body', message: 'required' }], 'The body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError([{ field: 'body', message: (error as Error).message }], 'The body is not valid JSON');
  }
  const problem = structureProblem(text) ?? valueProblem(value);
  if (problem !== undefined) throw new InputError([problem], `The body is not acceptable at ${problem.field}: ${problem.message}`);
  return value;
}

/** zod issues as field problems, with paths like "events/2/data/title". */
export function fieldProblems(error: z.core.$ZodError, prefix: readonly (string | number)[] = []): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? p.toString() : p))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('/'), message: 'unknown field' }));
    }
    return [{ field: path.length === 0 ? 'body' : path.join('/'), message: issue.message }];
  });
}

export function parseWith<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  prefix: readonly (string | number)[] = [],
  what = 'The request',
): z.output<S> {
  const result = z.safeParse(schema, value);
  if (!result.success) throw new InputError(fieldProblems(result.error, prefix), `${what} is not valid`);
  return result.data;
}
