import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateTable } from '../../functions/store/table-definitions.js';
import { type FunctionSpec, functionSpecs, type TableAccess } from '../../lib/function-specs.js';
import { TalksStatusStack } from '../../lib/talks-status-stack.js';
import { projectApp } from '../support/cdk-app.js';

// Written out independently of lib/talks-function.ts so a change there must be deliberate.
const read = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];
const expectedActions: Record<TableAccess, string[]> = {
  none: [],
  read,
  scan: [...read, 'dynamodb:Scan'],
  scanAppend: ['dynamodb:PutItem', ...read, 'dynamodb:Scan'],
  append: ['dynamodb:PutItem', ...read],
  readWrite: ['dynamodb:PutItem', ...read],
};

// Every action that can change or remove an item, or the table itself.
const mutations = ['UpdateItem', 'DeleteItem', 'BatchWriteItem', 'PartiQLUpdate', 'PartiQLDelete']
  .concat(['PartiQLInsert', 'DeleteTable', 'UpdateTable', 'RestoreTableFromBackup'])
  .map((action) => `dynamodb:${action}`);

interface Statement {
  Effect: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
}
type Resources = Record<string, { Properties: Record<string, unknown> }>;

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every statement of every identity policy in the template, with its owner's id. */
function allStatements(template: Template): { owner: string; statement: Statement }[] {
  const fromDocument = (owner: string, document: unknown) =>
    list((document as { Statement?: Statement | Statement[] }).Statement).map((statement) => ({
      owner,
      statement,
    }));
  const policies = Object.entries(template.findResources('AWS::IAM::Policy') as Resources);
  const managed = Object.entries(template.findResources('AWS::IAM::ManagedPolicy') as Resources);
  const roles = Object.entries(template.findResources('AWS::IAM::Role') as Resources);
  return [
    ...[...policies, ...managed].flatMap(([id, r]) => fromDocument(id, r.Properties.PolicyDocument)),
    ...roles.flatMap(([id, r]) =>
      list(r.Properties.Policies as { PolicyDocument: unknown }[]).flatMap((p) => fromDocument(id, p.PolicyDocument)),
    ),
  ];
}

const globMatches = (pattern: string, action: string): boolean => {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const source = escaped.replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(action);
};

/** The stream read grant of the consumer's event source: on the stream's ARN, not the table's. */
const isStreamGrant = (statement: { Resource?: unknown }) => JSON.stringify(statement.Resource).includes('"StreamArn"');

/** What is wrong with a statement as far as the log's immutability is concerned. */
function eventsViolations(statement: Statement, eventsId: string): string[] {
  if (statement.Effect !== 'Allow') return [];
  if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
    return ['NotAction/NotResource cannot be proven safe'];
  }
  const resources = list(statement.Resource);
  const onEvents = resources.some((r) => JSON.stringify(r).includes(`"${eventsId}"`));
  // `*`, or a DynamoDB ARN pattern (literal or joined), covers the log without naming it.
  const coversEvents = onEvents || resources.some((r) => r === '*' || /:dynamodb:.*\*/.test(JSON.stringify(r)));
  const actions = list(statement.Action);
  return [
    ...actions.filter((a) => onEvents && a.includes('*')).map((a) => `wildcard ${a}`),
    ...actions.filter((a) => coversEvents && mutations.some((m) => globMatches(a, m))).map((a) => `mutation ${a}`),
    // `*` or `dynamodb:*` is refused on any resource at all.
    ...actions.filter((a) => a.includes('*') && globMatches(a, 'dynamodb:*')).map((a) => `any ${a}`),
  ];
}

function synth(mutate?: (stack: TalksStatusStack) => void) {
  // Bundling is skipped here: only the template matters (stack.infra.spec bundles).
  const outdir = mkdtempSync(join(outRoot, 'app-'));
  const app = projectApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new TalksStatusStack(app, 'TalksStatus');
  mutate?.(stack);
  const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  return { stack, template: Template.fromStack(stack), logicalId };
}

let outRoot: string;
let real: ReturnType<typeof synth>;
let broken: ReturnType<typeof synth>;

beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), 'talks-iam-'));
  real = synth();
  // The same stack with the grant a careless change would add: the guard must catch it.
  broken = synth((stack) => {
    const fn = stack.functions.get('ListTalks');
    if (fn !== undefined) stack.tables.events.table.grantReadWriteData(fn);
  });
}, 120_000);

afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

const roleOf = (routeId: string): string => {
  const role = real.stack.functions.get(routeId)?.role;
  if (role === undefined) throw new Error(`no role for ${routeId}`);
  return real.logicalId(role);
};

/** Every statement that applies to a function's role, inline or attached. */
const statementsOfFunction = (id: string) => {
  const roleId = roleOf(id);
  const attached = Object.entries(real.template.findResources('AWS::IAM::Policy') as Resources)
    .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .map(([policyId]) => policyId);
  return allStatements(real.template)
    .filter(({ owner }) => owner === roleId || attached.includes(owner))
    .map(({ statement }) => statement);
};

describe('exact table actions per function', () => {
  describe.each(functionSpecs.map((r) => [r.id, r] as const))('%s', (id, route) => {
    const statementsOf = () => statementsOfFunction(id);

    it.each(['events', 'state', 'feed'] as const)('%s table: exactly what route.tables grants', (key) => {
      const tableId = real.logicalId(real.stack.tables[key].table);
      const granted = statementsOf()
        // The stream's read grant (the consumer's event source) is asserted in feed.infra.spec.ts.
        .filter((s) => JSON.stringify(s.Resource).includes(`"${tableId}"`) && !isStreamGrant(s))
        .flatMap((s) => list(s.Action));
      const access: TableAccess = (route.tables as { events: TableAccess; state: TableAccess; feed?: TableAccess })[key] ?? 'none';
      expect(new Set(granted)).toEqual(new Set(expectedActions[access]));
      expect(granted).toHaveLength(new Set(granted).size);
    });

    it("has nothing else but X-Ray tracing (and the checkpoint key exactly as its spec says, the feed's functions their bus and queues)", () => {
      const tableIds = [real.stack.tables.events, real.stack.tables.state, real.stack.tables.feed].map((t) => real.logicalId(t.table));
      const keyId = real.logicalId(real.stack.checkpointKey.key);
      const onKey = statementsOf().filter((s) => JSON.stringify(s.Resource).includes(`"${keyId}"`));
      expect(new Set(onKey.flatMap((s) => list(s.Action)))).toEqual(
        new Set(
          (route as FunctionSpec).checkpointKey === undefined
            ? []
            : (route as FunctionSpec).checkpointKey === 'sign'
              ? ['kms:Sign', 'kms:GetPublicKey']
              : ['kms:GetPublicKey'],
        ),
      );
      // The publisher's statement on the checkpoint archive is held to its exact actions in checkpoint-key.infra.spec.ts.
      const bucketId = real.logicalId(real.stack.checkpointArchive.bucket);
      const other = statementsOf().filter(
        (s) =>
          !tableIds.some((t) => JSON.stringify(s.Resource).includes(`"${t}"`)) &&
          !JSON.stringify(s.Resource).includes(`"${keyId}"`) &&
          !(id === 'PublishCheckpoints' && JSON.stringify(s.Resource).includes(`"${bucketId}"`)),
      );
      // The feed's functions also publish to the bus and use their queues: exactly which in feed.infra.spec.ts.
      const feedFunction = id === 'FeedConsumer' || id === 'WebhookDispatcher';
      expect(
        other
          .flatMap((s) => list(s.Action))
          .every(
            (a) =>
              a.startsWith('xray:') ||
              (feedFunction && /^(sqs:|events:|dynamodb:ListStreams$)/.test(a)) ||
              // The consumer hands changes to the live fan-out (exactly which in live.infra.spec.ts).
              (id === 'FeedConsumer' && a === 'lambda:InvokeFunction'),
          ),
      ).toBe(true);
      // The only managed policy is the one that lets the function write its logs.
      const role = real.template.findResources('AWS::IAM::Role')[roleOf(id)] as Resources[string];
      const managed = list(role.Properties.ManagedPolicyArns).map((arn) => JSON.stringify(arn));
      expect(managed).toHaveLength(1);
      expect(managed[0]).toContain(':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    });
  });

  // Queries on an index, local or global, are authorized against the index's ARN: a reader
  // without it gets AccessDenied on AWS, which DynamoDB Local (no IAM) would never show.
  const stateIndexes = [...stateTable.globalSecondaryIndexes, ...stateTable.localSecondaryIndexes].map((index) => index.indexName);
  it.each(stateIndexes)('gives the state index %s, by name, to every reader of the state table and no one else', (indexName) => {
    const stateId = real.logicalId(real.stack.tables.state.table);
    for (const spec of functionSpecs) {
      const grants = statementsOfFunction(spec.id).filter((statement) =>
        // Named, never `/index/*`: a wildcard resource would also cover indexes added later.
        list(statement.Resource).some((r) => JSON.stringify(r).includes(`/index/${indexName}"`) && JSON.stringify(r).includes(stateId)),
      );
      if (spec.tables.state === 'none') expect(grants, spec.id).toEqual([]);
      else
        expect(
          grants.flatMap((g) => list(g.Action)),
          spec.id,
        ).toContain('dynamodb:Query');
    }
  });
});

describe('the Events table is put-only', () => {
  const violations = (synthesis: ReturnType<typeof synth>) => {
    const eventsId = synthesis.logicalId(synthesis.stack.tables.events.table);
    return allStatements(synthesis.template).flatMap(({ owner, statement }) =>
      eventsViolations(statement, eventsId).map((v) => `${owner}: ${v}`),
    );
  };

  it('no statement anywhere can update, delete, or wildcard the log', () => {
    const eventsId = real.logicalId(real.stack.tables.events.table);
    const onEvents = allStatements(real.template).filter(({ statement }) => JSON.stringify(statement.Resource).includes(`"${eventsId}"`));
    // Not vacuous: every route that touches the log has a statement on it (and the consumer one on its stream).
    expect(onEvents.filter(({ statement }) => !isStreamGrant(statement))).toHaveLength(
      functionSpecs.filter((r) => r.tables.events !== 'none').length,
    );
    expect(violations(real)).toEqual([]);
  });

  it('the check itself recognises wildcards and patterns that cover the log', () => {
    const check = (Action: string, Resource: unknown) => eventsViolations({ Effect: 'Allow', Action, Resource }, 'TablesEvents1234');
    expect(check('dynamodb:*', { 'Fn::GetAtt': ['TablesEvents1234', 'Arn'] })).not.toEqual([]);
    expect(check('dynamodb:Update*', 'arn:aws:dynamodb:*:*:table/*')).not.toEqual([]);
    expect(check('dynamodb:DeleteItem', '*')).not.toEqual([]);
    expect(check('*', 'arn:aws:s3:::bucket')).not.toEqual([]);
    expect(check('xray:PutTraceSegments', '*')).toEqual([]);
    expect(check('dynamodb:PutItem', { 'Fn::GetAtt': ['TablesEvents1234', 'Arn'] })).toEqual([]);
  });

  it('the check itself catches a grantReadWriteData on the log', () => {
    const found = violations(broken);
    expect(found.some((v) => v.includes('mutation dynamodb:UpdateItem'))).toBe(true);
    expect(found.some((v) => v.includes('mutation dynamodb:DeleteItem'))).toBe(true);
    expect(found.some((v) => v.includes('mutation dynamodb:BatchWriteItem'))).toBe(true);
  });
});
