import { talksIdSchema } from '../domain/common-schemas.js';
import type { HttpEvent } from './http-types.js';
import { parseWith } from './request-parsing.js';

export const talksIdParam = (event: HttpEvent): string =>
  parseWith(talksIdSchema, event.pathParameters?.talksId, ['talksId'], 'The talks id');
