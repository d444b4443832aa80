// Longer than most modules because each pinned local server’s start, readiness check and stop follow one pattern kept side by side.
import type { ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  DescribeTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { Connection } from '@temporalio/client';
import * as sesNs from 'aws-ses-v2-local';
import {
  createTableInput,
  tableDefinitions,
  type TableDefinition,
  type TableKey,
} from '../../store/tables.ts';
import { asPortInUse } from '../ports.ts';
import { searchAttributeTypes } from '../../workflows/rectification-case/search-attributes.ts';
import { spawnTied } from './tied-spawn.ts';
import { ensureJavaServer, ensureTemporalCli } from './tools.ts';

export { PortInUse, portInUse } from '../ports.ts';

/** A running part of the local stack. */
export interface RunningServer {
  name: string;
  url: string;
  stop(): Promise<void>;
  /** Its own process, when it runs in one: recorded so a start after a crash can stop it. */
  process?: { pid: number; argv: string[] };
}

/**
 * Handed each server the moment its process exists, before it is healthy, so that
 * whoever started it can stop it whatever happens next (a failed start of another
 * part, a signal during start-up). Stopping twice is harmless.
 */
export type TrackServer = (server: RunningServer) => void;

/** Custom search attributes the case workflow keeps current (registered on the dev server at start). */
export const searchAttributes = searchAttributeTypes;

/**
 * Fails with one line naming the port and the variable that moves it. `host` is the address
 * the server will bind: the wildcard 0.0.0.0 also collides with a listener on any one address.
 */
export async function assertPortFree(port: number, variable: string, host = '127.0.0.1'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (err) => reject(asPortInUse(err, port, variable)));
    srv.listen({ port, host }, () => srv.close(() => resolve()));
  });
}

/** Linux's range for port-0 binds; servers that pick their own ports (Temporal's internal ones) take from it. */
function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (lo !== undefined && hi !== undefined && Number.isInteger(lo) && Number.isInteger(hi)) return [lo, hi];
  } catch {
    // not Linux: the IANA dynamic range
  }
  return [49152, 65535];
}

const handedOut = new Set<number>();

/**
 * A free TCP port for tests, benches and the drill. Ports are drawn below the ephemeral range:
 * a port taken from it with a port-0 bind and released can be handed, meanwhile, to a server
 * that picks its own (the Temporal dev server takes four so), and one of the two then fails to
 * start. Checked on the wildcard address, which collides with a listener on any one address,
 * and never the same port twice in one process.
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  const low = 10_000;
  const high = ephemeralLow - 1;
  for (let attempt = 0; attempt < 200 && high > low; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    // Claimed before the check, so two callers at once never draw the same port.
    handedOut.add(port);
    if (await bindable(port)) return port;
    handedOut.delete(port);
  }
  return anyFreePort();
}

/** The kernel's pick: where no room is left below the ephemeral range. */
function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const bindable = (port: number): Promise<boolean> =>
  assertPortFree(port, 'PORT', '0.0.0.0').then(
    () => true,
    () => false,
  );

/** Polls until healthy; a child that never gets there is stopped before the error is thrown. */
async function waitFor(
  name: string,
  child: ChildProcess | undefined,
  probe: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child?.once('exit', (code) => {
    exited = code ?? -1;
  });
  try {
    for (;;) {
      if (exited !== null) throw new Error(`${name} exited (code ${exited}) before it became healthy`);
      if (await probe().catch(() => false)) return;
      if (Date.now() > deadline)
        throw new Error(`${name} did not become healthy within ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    if (child) await stopChild(child);
    throw err;
  }
}

function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function spawnServer(
  name: string,
  cmd: string,
  args: string[],
  logLines: (line: string) => void,
  env?: NodeJS.ProcessEnv,
  cwd?: string,
): { child: ChildProcess; process?: RunningServer['process'] } {
  const { child, argv } = spawnTied(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    cwd,
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) logLines(`[${name}] ${line}`);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  return { child, process: child.pid ? { pid: child.pid, argv } : undefined };
}

export interface TemporalDevOptions {
  port: number;
  uiPort: number;
  /** SQLite file; omitted = in memory. */
  dbFile?: string;
  namespace: string;
  log?: (line: string) => void;
  track?: TrackServer;
}

/** The Temporal CLI dev server (SQLite-backed, with the Web UI). */
export async function startTemporalDev(opts: TemporalDevOptions): Promise<RunningServer> {
  const cli = await ensureTemporalCli();
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--namespace',
    opts.namespace,
    '--log-level',
    'error',
  ];
  if (opts.dbFile) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  for (const [name, type] of Object.entries(searchAttributes))
    args.push('--search-attribute', `${name}=${type}`);
  const { child, process: proc } = spawnServer('temporal', cli, args, opts.log ?? (() => {}));
  const address = `127.0.0.1:${opts.port}`;
  const server: RunningServer = {
    name: 'temporal',
    url: address,
    stop: () => stopChild(child),
    process: proc,
  };
  opts.track?.(server);
  await waitFor('Temporal dev server', child, async () => {
    const conn = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await conn.workflowService.describeNamespace({ namespace: opts.namespace });
      return true;
    } finally {
      await conn.close();
    }
  });
  return server;
}

export interface DynamoLocalOptions {
  port: number;
  /** Folder for the database files; omitted = in memory. */
  dbPath?: string;
  log?: (line: string) => void;
  track?: TrackServer;
}

/** DynamoDB Local from Maven Central, persisted under dbPath when given. */
export async function startDynamoLocal(opts: DynamoLocalOptions): Promise<RunningServer> {
  const { java, jars, nativeLib } = await ensureJavaServer('dynamodb-local');
  const storage = opts.dbPath ? ['-dbPath', opts.dbPath] : ['-inMemory'];
  if (opts.dbPath) mkdirSync(opts.dbPath, { recursive: true });
  const { child, process: proc } = spawnServer(
    'dynamodb',
    java,
    [
      '-Xms64m',
      '-Xmx1g',
      `-Djava.library.path=${nativeLib}`,
      '-cp',
      `${jars}/*`,
      'com.amazonaws.services.dynamodbv2.local.main.ServerRunner',
      '-port',
      String(opts.port),
      '-sharedDb',
      // No telemetry from a campus's machines; nothing could reach its endpoint here anyway.
      '-disableTelemetry',
      ...storage,
    ],
    opts.log ?? (() => {}),
    undefined,
    // DynamoDB Local writes a metadata file into its working folder: keep it out of the project.
    path.dirname(jars),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  const server: RunningServer = { name: 'dynamodb', url, stop: () => stopChild(child), process: proc };
  opts.track?.(server);
  const client = localDynamo(url);
  try {
    await waitFor('DynamoDB Local', child, async () => {
      await client.send(new ListTablesCommand({}));
      return true;
    });
  } finally {
    client.destroy();
  }
  return server;
}

export function localDynamo(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Creates every table that is absent; leaves existing ones (and their data) alone. */
export async function ensureTables(
  client: DynamoDBClient,
  names: Record<TableKey, string>,
): Promise<string[]> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const t of page.TableNames ?? []) existing.add(t);
    start = page.LastEvaluatedTableName;
  } while (start);
  const created: string[] = [];
  for (const key of Object.keys(tableDefinitions) as TableKey[]) {
    if (existing.has(names[key])) {
      for (const ix of await addMissingIndexes(client, tableDefinitions[key], names[key]))
        created.push(`${names[key]}.${ix}`);
    } else {
      await client.send(new CreateTableCommand(createTableInput(tableDefinitions[key], names[key])));
      created.push(names[key]);
    }
    await enableTtl(client, tableDefinitions[key], names[key]);
  }
  return created;
}

/** Turns the table's TTL on, as the deployed table has it (a data folder from before gets it too). */
async function enableTtl(client: DynamoDBClient, def: TableDefinition, tableName: string): Promise<void> {
  if (!def.ttl) return;
  const now = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = now.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: def.ttl, Enabled: true },
    }),
  );
}

/**
 * A data folder from an earlier version keeps its tables: an index added since
 * is created on them (one per UpdateTable, as DynamoDB requires), so a second
 * `npm start` after an upgrade finds its data and every query still works.
 */
async function addMissingIndexes(client: DynamoDBClient, def: TableDefinition, tableName: string) {
  const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const have = new Set((table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const wanted = createTableInput(def, tableName);
  const added: string[] = [];
  for (const ix of wanted.GlobalSecondaryIndexes ?? []) {
    if (!ix.IndexName || have.has(ix.IndexName)) continue;
    const keyNames = new Set(ix.KeySchema?.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions?.filter((a) => keyNames.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection } },
        ],
      }),
    );
    added.push(ix.IndexName);
  }
  return added;
}

// The package is CommonJS with an ES default export; depending on the loader
// (Node's ESM interop, or vite's under vitest) the function sits at a
// different depth, so take the first function found.
type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;
function sesStarter(): StartSes {
  const top: unknown = sesNs;
  const d1: unknown = (top as { default?: unknown }).default;
  const d2: unknown = (d1 as { default?: unknown } | undefined)?.default;
  const found = [d1, d2, top].find((c): c is StartSes => typeof c === 'function');
  if (!found) throw new Error('aws-ses-v2-local exports no server function');
  return found;
}

/** The SES emulator (aws-ses-v2-local), in this process: its mailbox page is its root URL. */
export async function startSesEmulator(opts: {
  port: number;
  track?: TrackServer;
  /** Where the mailbox is kept between runs (`npm start`); without it, mail lives as long as the process. */
  mailboxFile?: string;
}): Promise<RunningServer> {
  const { mailboxFile } = opts;
  if (mailboxFile) keepMailboxIn(mailboxFile);
  const http: Server = await sesStarter()({ port: opts.port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${opts.port}`;
  let closed: Promise<void> | undefined;
  const server: RunningServer = {
    name: 'ses',
    url,
    stop: () =>
      (closed ??= new Promise<void>((resolve) => {
        if (mailboxFile) {
          saveMailbox(mailboxFile);
          if (keptIn === mailboxFile) keptIn = undefined;
        }
        http.closeAllConnections();
        http.close(() => resolve());
      })),
  };
  opts.track?.(server);
  try {
    await waitFor('SES emulator', undefined, async () => (await fetch(`${url}/store`)).ok);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

// The emulator keeps its mail in one module-level store (aws-ses-v2-local/dist/store.js, pinned
// by the lock). So that a crash of `npm start` loses no mail, each one is appended to a journal
// beside the mailbox file the moment the emulator stores it (before it answers the sender);
// the file itself is rewritten at start and on stop, and the journal then emptied. The mailbox
// page still shows, after any restart, the links a second `npm start` can act on.
interface SesEmail {
  messageId?: string;
}
interface SesStore {
  emails: SesEmail[];
}
interface SesStoreModule {
  getStoreReadonly?: () => SesStore;
  saveEmail?: (email: SesEmail) => void;
  clearStore?: () => void;
}
const sesStoreModule = () =>
  createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as SesStoreModule;

function sesStore(): SesStore {
  const store = sesStoreModule().getStoreReadonly?.();
  if (!store || !Array.isArray(store.emails)) throw new Error('aws-ses-v2-local has no email store');
  return store;
}

const journalOf = (file: string) => `${file}.journal`;
/** The mailbox file of the emulator running in this process, if it keeps one. */
let keptIn: string | undefined;
let hooked = false;

function keepMailboxIn(file: string): void {
  restoreMailbox(file);
  saveMailbox(file);
  keptIn = file;
  if (hooked) return;
  const mod = sesStoreModule();
  const { saveEmail, clearStore } = mod;
  // Its senders call these through the module's exports, so wrapping the exports sees each mail.
  if (typeof saveEmail !== 'function' || typeof clearStore !== 'function')
    throw new Error('aws-ses-v2-local has no saveEmail/clearStore to keep mail with');
  mod.saveEmail = (email) => {
    saveEmail(email);
    if (keptIn) appendFileSync(journalOf(keptIn), `${JSON.stringify(email)}\n`);
  };
  mod.clearStore = () => {
    clearStore();
    if (keptIn) saveMailbox(keptIn);
  };
  hooked = true;
}

function restoreMailbox(file: string): void {
  const restored: SesEmail[] = [];
  if (existsSync(file)) {
    try {
      const saved: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (Array.isArray(saved)) restored.push(...(saved as SesEmail[]));
    } catch (err) {
      // A damaged copy of the mailbox costs only old mail, never the start.
      process.stderr.write(`[rectify] mailbox copy ${file} not restored: ${String(err)}\n`);
    }
  }
  const journal = journalOf(file);
  if (existsSync(journal)) {
    // A mail already in the file (a crash between rewriting it and emptying the journal) is not
    // added twice; a line cut short by the crash is the one mail that was never acknowledged.
    const seen = new Set(restored.map((e) => e.messageId).filter(Boolean));
    for (const line of readFileSync(journal, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const email = JSON.parse(line) as SesEmail;
        if (email.messageId && seen.has(email.messageId)) continue;
        if (email.messageId) seen.add(email.messageId);
        restored.push(email);
      } catch {
        // the torn last line of a crash
      }
    }
  }
  sesStore().emails.unshift(...restored);
}

function saveMailbox(file: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(sesStore().emails));
    renameSync(tmp, file);
    rmSync(journalOf(file), { force: true });
  } catch (err) {
    process.stderr.write(`[rectify] mailbox not saved to ${file}: ${String(err)}\n`);
  }
}
