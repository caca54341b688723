import { type ApiClient, talksPath } from './api-client.js';

/** A stored event as the history returns it; the CLI reads only these fields itself. */
export type StoredEventJson = Record<string, unknown> & {
  talksId: string;
  version: number;
  eventId: string;
  type: string;
  occurredAt?: string;
  reportedAt: string;
  recordedAt: string;
  source: { name: string; attribution?: string; url?: string };
  schemaVersion: number;
  prevHash: string;
  hash: string;
};

/** A page as the API returns it: `summaries[i]` is `items[i]` in the domain's words. */
export interface HistoryPage {
  items: StoredEventJson[];
  /** Absent from servers older than this CLI. */
  summaries?: { version: number; summary: string }[];
  nextAfter: number | null;
}

/** Every page of a history after a version, following `nextAfter` until it is null. */
export async function* historyPageBodies(
  client: ApiClient,
  talksId: string,
  options: { after?: number; limit?: number; types?: string } = {},
): AsyncGenerator<HistoryPage> {
  let after: number | null = options.after ?? 0;
  while (after !== null) {
    const query: URLSearchParams = new URLSearchParams({
      after: String(after),
      limit: String(options.limit ?? 1000),
      ...(options.types === undefined ? {} : { types: options.types }),
    });
    const { body }: { body: HistoryPage } = await client.request<HistoryPage>('GET', talksPath(talksId, `/events?${query.toString()}`));
    if (body.items.length > 0) yield body;
    after = body.nextAfter;
  }
}

/** The stored events of every page, for commands that need no words. */
export async function* historyPages(
  client: ApiClient,
  talksId: string,
  options: { after?: number; limit?: number; types?: string } = {},
): AsyncGenerator<StoredEventJson[]> {
  for await (const page of historyPageBodies(client, talksId, options)) yield page.items;
}
