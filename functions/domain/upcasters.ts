import { eventCatalog } from './event-catalog.js';
import type { StoredEvent } from './submitted-event.js';

/**
 * Stored events keep the schema version they were written with (their hash covers that
 * shape). Reading upcasts them to the current shape, one version step at a time.
 */
type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

const upcasters: Record<string, Record<number, Upcaster>> = {
  /**
   * statement.issued v1 named the speaker as a string with a separate `affiliation`
   * (and no modality); v2 describes the speaker as a person with role and affiliation.
   */
  'statement.issued': {
    1: ({ speaker, affiliation, speakerRole, ...rest }) => ({
      ...rest,
      speaker: {
        name: speaker,
        affiliation,
        ...(speakerRole === undefined ? {} : { role: speakerRole }),
      },
      modality: rest.modality ?? 'asserted',
    }),
  },
  /**
   * Version 2 of these types only added optional fields (kinds of participants, the
   * agreement or exchange an event is about, group and names of those released, what a
   * deadline concerns). A v1 event reads as it always did: without them. Where v2 added a
   * field with a default (a release's outsideAgreement), the upcast sets the default.
   */
  'talks.opened': { 1: (data) => data },
  'participant.joined': { 1: (data) => data },
  'deadline.set': { 1: (data) => data },
  'agreement.reached': { 1: (data) => data },
  'agreement.took_effect': { 1: (data) => data },
  'exchange.carried_out': {
    1: ({ released, ...rest }) => ({
      ...rest,
      released: (released as Record<string, unknown>[]).map((r) => ({ ...r, outsideAgreement: r.outsideAgreement ?? false })),
    }),
  },
};

export function upcast(event: StoredEvent): StoredEvent {
  const current = eventCatalog[event.type].schemaVersion;
  if (event.schemaVersion >= current) return event;
  let data = event.data as Record<string, unknown>;
  for (let v = event.schemaVersion; v < current; v += 1) {
    const step = upcasters[event.type]?.[v];
    if (step === undefined) throw new Error(`no upcaster for ${event.type} v${v}`);
    data = step(data);
  }
  return { ...event, data, schemaVersion: current } as StoredEvent;
}
