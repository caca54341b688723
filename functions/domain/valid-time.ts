import type { StoredEvent } from './submitted-event.js';

/**
 * Valid time when given; otherwise the report's time is the best we know. Apart from
 * submitted-event.ts so the fold does not build the submission schemas (esbuild keeps
 * zod schema construction in every bundle that imports them).
 */
export const validTimeOf = (event: Pick<StoredEvent, 'occurredAt' | 'reportedAt'>): string => event.occurredAt ?? event.reportedAt;
