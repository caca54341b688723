import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSubmission } from '../../functions/controllers/append-events-controller.js';
import { isoTime } from '../../functions/domain/common-schemas.js';
import { buildOpenApiDocument } from '../../functions/http/openapi-document.js';
import { componentValidators } from '../support/openapi-ajv.js';

/**
 * An offset can carry a time out of years 0000-9999 once it is in UTC; the server refuses
 * such times (isoTime) and the document must say the same: a time is valid by the
 * document exactly when the server takes it.
 */
const document = buildOpenApiDocument({ readsPublic: true });
const validatorOf = componentValidators(document);
const eventValid = validatorOf('ProgressAssessedEvent');
const assessedAt = (reportedAt: string) => ({
  type: 'progress.assessed',
  reportedAt,
  source: { name: 'Reuters' },
  data: { assessment: 'some_progress', by: 'A mediator' },
});
const serverTakes = (reportedAt: string) => {
  try {
    parseSubmission(assessedAt(reportedAt));
    return true;
  } catch {
    return false;
  }
};

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
/** Times on the two edge days (and an ordinary one), every offset, with and without a fraction. */
const edgeTime = fc
  .tuple(
    fc.constantFrom('9999-12-31', '0000-01-01', '9999-12-30', '0000-01-02', '2025-06-15'),
    two(23),
    two(59),
    two(59),
    fc.constantFrom('', '.5', '.999999'),
    fc.constantFrom('+', '-'),
    two(23),
    two(59),
  )
  .map(([day, h, m, s, f, sign, oh, om]) => `${day}T${h}:${m}:${s}${f}${sign}${oh}:${om}`);

describe('times at the edge of years 0000-9999', () => {
  it('9999-12-31T23:59:59-23:59 (year 10000 in UTC) is refused by the document as by the server', () => {
    expect(serverTakes('9999-12-31T23:59:59-23:59')).toBe(false);
    expect(eventValid(assessedAt('9999-12-31T23:59:59-23:59'))).toBe(false);
    expect(eventValid(assessedAt('0000-01-01T00:00:00+00:01'))).toBe(false);
  });

  it('the last and first storable instants stay valid by both', () => {
    for (const t of [
      '9999-12-31T23:59:59.999-00:00',
      '9999-12-31T00:00:00-23:59',
      '0000-01-01T00:00:00+00:00',
      '0000-01-01T23:59:00+23:59',
    ]) {
      expect({ t, server: serverTakes(t), document: eventValid(assessedAt(t)) }).toEqual({ t, server: true, document: true });
    }
  });

  it('any time: valid by the document exactly when the server takes it', () => {
    fc.assert(
      fc.property(edgeTime, (t) => {
        expect({ t, document: eventValid(assessedAt(t)) }).toEqual({ t, document: serverTakes(t) });
      }),
      { numRuns: 3000 },
    );
  });

  it('query times (asOf, validAt) carry the same bound', () => {
    const status = (document.paths as Record<string, Record<string, { parameters: { name: string; schema: unknown }[] }>>)[
      '/talks/{talksId}'
    ]?.get;
    const asOf = status?.parameters.find((p) => p.name === 'asOf')?.schema as Record<string, unknown>;
    expect(asOf.not).toEqual({ $ref: '#/components/schemas/TimeOutsideYears0000To9999' });
    expect(isoTime.safeParse('9999-12-31T23:59:59-23:59').success).toBe(false);
  });
});
