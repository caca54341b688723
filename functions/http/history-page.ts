import { type EventSummary, summariseEvents } from '../domain/describe-event.js';
import type { StoredEvent } from '../domain/submitted-event.js';

/**
 * The body of a history page. Items stay exactly as stored, since clients verify hashes
 * over them; what the events say in words rides beside them in `summaries`, so the page
 * and the CLI show the domain's wording without a copy of it.
 */
export interface HistoryPageBody {
  talksId: string;
  items: StoredEvent[];
  summaries: EventSummary[];
  nextAfter: number | null;
}

export const historyPageBody = (talksId: string, page: { items: StoredEvent[]; nextAfter: number | null }): HistoryPageBody => ({
  talksId,
  items: page.items,
  summaries: summariseEvents(page.items),
  nextAfter: page.nextAfter,
});
