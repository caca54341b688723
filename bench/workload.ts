import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type SubmittedEvent, submittedEventSchema } from '../functions/domain/submitted-event.js';
import { appendEvents } from '../functions/store/append-events.js';
import type { StoreContext } from '../functions/store/store-context.js';

/**
 * What the benchmarks write: the scenario's reported developments (18 of them, the first
 * opening the talks), cycled for longer histories, each with a fresh event id. A long
 * history therefore has the scenario's mix of types and sizes.
 */
export const scenarioPath = fileURLToPath(new URL('../scenarios/ceasefire-talks-2025-01-13.json', import.meta.url));

export interface Scenario {
  talksId: string;
  events: Record<string, unknown>[];
}

export const loadScenario = (): Scenario => JSON.parse(readFileSync(scenarioPath, 'utf8')) as Scenario;

const scenario = loadScenario();
const [openingRaw, ...developmentsRaw] = scenario.events as [Record<string, unknown>, ...Record<string, unknown>[]];

/** The raw (client-submitted) event at position i of a cycled history, with a new id. */
export function rawEventAt(i: number): Record<string, unknown> {
  const template = i === 0 ? openingRaw : (developmentsRaw[(i - 1) % developmentsRaw.length] as Record<string, unknown>);
  return { ...structuredClone(template), eventId: randomUUID() };
}

const parsedOpening = submittedEventSchema.parse(openingRaw) as SubmittedEvent;
const parsedDevelopments = developmentsRaw.map((e) => submittedEventSchema.parse(e) as SubmittedEvent);

/** The parsed event at position i (validated once per template, ids fresh). */
export function parsedEventAt(i: number): SubmittedEvent {
  const template = i === 0 ? parsedOpening : (parsedDevelopments[(i - 1) % parsedDevelopments.length] as SubmittedEvent);
  return { ...template, eventId: randomUUID() };
}

/** A talks id of fixed length (ids differ only in their random tail). */
export const talksIdFor = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * Appends a cycled history of `length` events through the real append path, in
 * submissions of up to 25 (one transaction each). Returns the number of transactions.
 */
export async function buildHistory(ctx: StoreContext, talksId: string, length: number, from = 0, batch = 25): Promise<number> {
  let transactions = 0;
  for (let start = from; start < length; start += batch) {
    const events = Array.from({ length: Math.min(batch, length - start) }, (_, j) => parsedEventAt(start + j));
    await appendEvents(ctx, { talksId, events, principal: 'bench' });
    transactions += 1;
  }
  return transactions;
}
