import { describe, expect, it } from 'vitest';
import { maxTalksIdsPerMessage, parseClientMessage } from '../../functions/live/live-protocol.js';

const refusal = (text: string) => {
  const parsed = parseClientMessage(text);
  if (!('error' in parsed)) throw new Error(`accepted ${text}`);
  return parsed.error.errors;
};

// The protocol parses with zod's mini build (no locales bundled): its refusals must still
// read as they did with classic zod, whose English messages clients have been shown.
describe('live protocol refusals keep their English messages', () => {
  it('names the bound a subscribe passes', () => {
    const talksIds = Array.from({ length: maxTalksIdsPerMessage + 1 }, (_, i) => `talks-${i}`);
    expect(refusal(JSON.stringify({ action: 'subscribe', talksIds }))).toEqual([
      { field: 'talksIds', message: `Too big: expected array to have <=${maxTalksIdsPerMessage} items` },
    ]);
  });

  it('names an empty list, a wrong type, an unknown key and an unknown action', () => {
    expect(refusal('{"action":"subscribe","talksIds":[]}')).toEqual([
      { field: 'talksIds', message: 'Too small: expected array to have >=1 items' },
    ]);
    expect(refusal('{"action":"unsubscribe","talksIds":[7]}')).toEqual([
      { field: 'talksIds/0', message: 'Invalid input: expected string, received number' },
    ]);
    expect(refusal('{"action":"ping","extra":1}')).toEqual([{ field: 'action', message: 'Unrecognized key: "extra"' }]);
    expect(refusal('{"action":"dance"}')).toEqual([
      { field: 'action', message: "Invalid discriminator value. Expected 'subscribe' | 'unsubscribe' | 'ping'" },
    ]);
  });
});
