import type { Metafile } from 'esbuild';

/**
 * A function's own bundle baseline (issue 6's budget, judged per function): a bare handler
 * that creates, at module scope, the very AWS SDK clients the function's bundle holds and
 * sends one command through each. The clients are read from esbuild's metafile of the
 * function's own bundle, never listed by hand, so the baseline follows the function: a
 * function that must sign with KMS pays for the KMS client whatever its code does, and the
 * budget measures what our code adds on top of the SDK it cannot do without.
 */

/** One SDK package in a bundle: the client class it builds and the commands it sends. */
export interface SdkClientUse {
  /** `@aws-sdk/client-kms`, `@aws-sdk/lib-dynamodb`, … */
  readonly pkg: string;
  /** The client class, as its module is named in the package (`KMSClient`, `DynamoDBDocumentClient`). */
  readonly client: string | undefined;
  /** The commands whose modules leave code in the bundle, sorted (`GetPublicKeyCommand`, …). */
  readonly commands: readonly string[];
}

/** The packages that make a client: every `@aws-sdk/client-*`, and the document client. */
const clientPackage = /node_modules\/(@aws-sdk\/(?:client-[^/]+|lib-dynamodb))\/(.*)$/;
const documentClient = '@aws-sdk/lib-dynamodb';
const dynamoClient = '@aws-sdk/client-dynamodb';

/** The SDK clients (and their commands) that leave code in the bundle the metafile describes, by package name. */
export function sdkClientsOf(metafile: Metafile): SdkClientUse[] {
  const found = new Map<string, { clients: Set<string>; commands: Set<string> }>();
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = clientPackage.exec(input);
      if (match === null || bytesInOutput === 0) continue;
      const [, pkg, file] = match as unknown as [string, string, string];
      const use = found.get(pkg) ?? { clients: new Set(), commands: new Set() };
      found.set(pkg, use);
      const client = /^dist-es\/(\w+Client)\.js$/.exec(file)?.[1];
      if (client !== undefined) use.clients.add(client);
      const command = /^dist-es\/commands\/(\w+Command)\.js$/.exec(file)?.[1];
      if (command !== undefined) use.commands.add(command);
    }
  return [...found]
    .map(([pkg, { clients, commands }]) => {
      if (clients.size > 1) throw new Error(`${pkg} contributes ${clients.size} client classes (${[...clients].join(', ')}); expected one`);
      return { pkg, client: [...clients][0], commands: [...commands].sort() };
    })
    .sort((a, b) => a.pkg.localeCompare(b.pkg));
}

export interface OwnBaseline {
  /** Names the baseline: the packages it holds and the calls it makes (functions with the same share one). */
  readonly id: string;
  /** The client packages, sorted: what the baseline's own bundle must hold too. */
  readonly packages: readonly string[];
  /** One per client: `KMSClient.GetPublicKeyCommand`, `DynamoDBDocumentClient.GetCommand`, … */
  readonly calls: readonly string[];
  /** The handler, as an ES module to bundle with the functions' options. */
  readonly source: string;
}

/**
 * The bare handler for a set of client uses. Each client is created at module scope, as our
 * functions do, and sends one command: the first, in name order, of that package's commands
 * the function's bundle holds (one the function sends, or one its client sends itself, such
 * as S3's CreateSession). The DynamoDB client under a document client is sent through the
 * document client, as ours is. A function with no SDK client at all (the OpenAPI document, the page) is held to
 * `fallback`, the issue's baseline: a ratio to an empty handler would measure nothing.
 */
export function ownBaselineOf(uses: readonly SdkClientUse[], fallback: readonly SdkClientUse[]): OwnBaseline {
  const chosen = uses.length > 0 ? uses : fallback;
  const byPkg = new Map(chosen.map((u) => [u.pkg, u]));
  const imports: string[] = [];
  const clients: string[] = [];
  const calls: { label: string; expression: string }[] = [];
  const labels: string[] = [];
  let n = 0;
  const name = () => `x${n++}`;
  const importOf = (pkg: string, exported: string) => {
    const local = name();
    imports.push(`import { ${exported} as ${local} } from '${pkg}';`);
    return local;
  };
  const clientOf = (use: SdkClientUse): string => {
    if (use.client === undefined)
      throw new Error(`the bundle holds ${use.pkg} but none of its clients: the baseline cannot mirror it (see bench/sdk-baseline.ts)`);
    return use.client;
  };
  const callOn = (client: string, use: SdkClientUse) => {
    const command = use.commands[0];
    const short = clientOf(use).replace(/Client$/, '');
    labels.push(command === undefined ? short : `${short}.${command.replace(/Command$/, '')}`);
    if (command === undefined) return;
    const commandClass = importOf(use.pkg, command);
    // The input is the invocation's: nothing is sent while measuring init, and any shape keeps the command.
    calls.push({ label: `${clientOf(use)}.${command}`, expression: `${client}.send(new ${commandClass}(event?.[${calls.length}] ?? {}))` });
  };
  const documentUse = byPkg.get(documentClient);
  for (const use of chosen) {
    if (use.pkg === documentClient) continue;
    if (use.pkg === dynamoClient && documentUse !== undefined) {
      const dynamo = importOf(use.pkg, clientOf(use));
      const from = importOf(documentClient, clientOf(documentUse));
      const doc = name();
      clients.push(`const ${doc} = ${from}.from(new ${dynamo}({}));`);
      callOn(doc, documentUse);
      continue;
    }
    const ctor = importOf(use.pkg, clientOf(use));
    const client = name();
    clients.push(`const ${client} = new ${ctor}({});`);
    callOn(client, use);
  }
  if (documentUse !== undefined && !byPkg.has(dynamoClient))
    throw new Error(`the bundle holds ${documentClient} without ${dynamoClient}: the baseline cannot mirror it`);
  const packages = chosen.map((u) => u.pkg).sort();
  const source = [
    '// Generated by bench/sdk-baseline.ts: the SDK clients of one function, one call through each, nothing else.',
    ...imports,
    ...clients,
    `export const handler = async (event) => Promise.all([${calls.map((c) => c.expression).join(', ')}]);`,
    '',
  ].join('\n');
  return {
    id: `Baseline(${labels.join(', ')})`,
    packages,
    calls: calls.map((c) => c.label),
    source,
  };
}
