import { talksPath } from './api-client.js';
import { usageError } from './cli-errors.js';
import { type Command, stringOption } from './command.js';
import { shortTime, table, timeLeft } from './output.js';

/** The parts of a status this view prints (the API's TalksStatus has more). */
interface Status {
  talksId: string;
  version: number;
  title: string;
  subject?: string;
  phase: string;
  phaseSince: string;
  phaseVersion: number;
  headHash: string;
  updatedAt: string;
  readAt: string;
  momentum: { label: string; score: number | null; basis: number; onRecord: number; anonymous: number };
  participants: { name: string; role: string; represents?: string }[];
  deadlines: { kind: string; due: string; windowEnd: string; passed: boolean; setBy: string; appliesTo: string }[];
  positions: {
    party: string;
    kind: string;
    stance?: string;
    at: string;
    summary?: string;
    speaker?: { name: string };
    source: { name: string; attribution?: string };
  }[];
  figures: { metric: string; headline: Figure; reports: Figure[] }[];
  lastDevelopment: { version: number; at: string; summary: string } | null;
  timeTravel?: { mode: string; at: string | number };
}
interface Figure {
  version: number;
  label?: string;
  value?: number;
  best?: number;
  low?: number;
  high?: number;
  unit: string;
  qualifier: string;
  asOf?: string;
  originator: string;
  publisher: string;
}

const amount = (f: Figure) => {
  const range = f.low !== undefined && f.high !== undefined ? ` (${f.low}–${f.high})` : '';
  return `${f.qualifier === 'exact' ? '' : `${f.qualifier.replaceAll('_', ' ')} `}${f.value ?? f.best}${range} ${f.unit}`;
};

export function renderStatus(s: Status): string {
  const byRole = (role: string) =>
    s.participants
      .filter((p) => p.role === role)
      .map((p) => (p.represents === undefined ? p.name : `${p.name} for ${p.represents}`))
      .join(', ') || '—';
  const m = s.momentum;
  const lines = [
    `${s.title} (${s.talksId})`,
    ...(s.timeTravel === undefined ? [] : [`Time travel: ${s.timeTravel.mode} ${s.timeTravel.at}`]),
    `Phase       ${s.phase} since ${shortTime(s.phaseSince)} (v${s.phaseVersion})`,
    `Momentum    ${m.label}${m.score === null ? '' : ` (score ${m.score}, ${m.basis} assessments: ${m.onRecord} on record, ${m.anonymous} anonymous)`}`,
    `Parties     ${byRole('party')}`,
    `Mediators   ${byRole('mediator')}`,
    ...['envoy', 'guarantor', 'observer']
      .filter((r) => s.participants.some((p) => p.role === r))
      .map((r) => `${`${r[0]!.toUpperCase()}${r.slice(1)}s`.padEnd(12)}${byRole(r)}`),
    `Version     ${s.version}  head ${s.headHash.slice(0, 12)}…  updated ${shortTime(s.updatedAt)}`,
    `Last        ${s.lastDevelopment === null ? '—' : `v${s.lastDevelopment.version} ${shortTime(s.lastDevelopment.at)} ${s.lastDevelopment.summary}`}`,
  ];
  if (s.deadlines.length > 0) {
    lines.push(
      '',
      'DEADLINES',
      table(s.deadlines, [
        { header: 'KIND', value: (d) => d.kind },
        { header: 'DUE', value: (d) => shortTime(d.due) },
        { header: 'TIME LEFT', value: (d) => timeLeft(d.windowEnd, s.readAt) },
        { header: 'SET BY', value: (d) => d.setBy, max: 30 },
        { header: 'APPLIES TO', value: (d) => d.appliesTo },
      ]),
    );
  }
  if (s.positions.length > 0) {
    lines.push(
      '',
      'POSITIONS',
      table(s.positions, [
        { header: 'PARTY', value: (p) => p.party },
        { header: 'STANCE', value: (p) => p.stance ?? (p.kind === 'no_statement' ? 'no statement' : '') },
        { header: 'AS OF', value: (p) => shortTime(p.at) },
        { header: 'SOURCE', value: (p) => [p.source.name, p.source.attribution].filter(Boolean).join(': '), max: 36 },
        { header: 'SUMMARY', value: (p) => `${p.speaker === undefined ? '' : `${p.speaker.name}: `}${p.summary ?? ''}` },
      ]),
    );
  }
  const reports = s.figures.flatMap((f) => f.reports.map((r) => ({ ...r, headline: r.version === f.headline.version, metric: f.metric })));
  if (reports.length > 0) {
    lines.push(
      '',
      'FIGURES (* headline; competing reports listed beside it)',
      table(reports, [
        { header: 'METRIC', value: (r) => `${r.headline ? '*' : ' '} ${r.label ?? r.metric}`, max: 44 },
        { header: 'VALUE', value: amount },
        { header: 'AS OF', value: (r) => shortTime(r.asOf) },
        { header: 'ORIGINATOR', value: (r) => r.originator, max: 30 },
        { header: 'PUBLISHER', value: (r) => r.publisher },
      ]),
    );
  }
  return lines.join('\n');
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'the status of a talks, now or in the past',
  help: `talks status <talks-id> [--as-of <ISO time> | --at-version <n> | --valid-at <ISO time>]

Prints the status: phase and momentum, participants, deadlines with time left, each
party's latest position, and figures with every competing report.

  --as-of <time>      as the store knew it at that moment (transaction time)
  --at-version <n>    right after version n
  --valid-at <time>   the state of the talks at that moment, as known now`,
  options: { 'as-of': { type: 'string' }, 'at-version': { type: 'string' }, 'valid-at': { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [talksId]) {
    const given = (
      [
        ['as-of', 'asOf'],
        ['at-version', 'atVersion'],
        ['valid-at', 'validAt'],
      ] as const
    ).filter(([flag]) => stringOption(values, flag) !== undefined);
    if (given.length > 1) throw usageError(`${given.map(([f]) => `--${f}`).join(' and ')} cannot be combined`);
    const query = given.length === 0 ? '' : `?${new URLSearchParams({ [given[0]![1]]: stringOption(values, given[0]![0])! }).toString()}`;
    const { body } = await ctx.client.request<Status>('GET', talksPath(talksId!, query));
    ctx.out(ctx.json ? JSON.stringify(body, null, 2) : renderStatus(body));
  },
};
