import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { conditionHeld } from './conditional.ts';
import type { Language, Location } from '../domain/directory.ts';
import type { ReportKind, ReportStatus, SurveyAspect } from '../domain/intake.ts';
import { triagedFirst } from '../domain/report-triage.ts';
import { opsKey, opsPartition } from './keys.ts';
import { queryItems } from './paginate.ts';
import type { TableNames } from './clients.ts';
import type { SigningKeys } from '../domain/link-token.ts';

/**
 * Reports made by scanning a place's code, in the ops table: the report, its
 * building's triage queue (a row gone once triaged), its tracking token
 * (stored hashed), and the abuse-limit counters. Their keys are in keys.ts.
 */
export interface ReportDeps {
  ddb: DynamoDBClient;
  tables: TableNames;
}

export interface Report {
  reportId: string;
  placeCode: string;
  location: Location;
  kind: ReportKind;
  description: string;
  evidence: string[];
  name?: string | undefined;
  /** A phone number or email, if the reporter left one. */
  contact?: string | undefined;
  /**
   * The language of the form the report was sent from: the reporter's mails put it first and
   * their tracking page opens in it. Absent on reports made before it was kept (Chinese, as then).
   */
  language?: Language | undefined;
  receivedAt: string;
  status: ReportStatus;
  caseId?: string | undefined;
  /** Why it was rejected or merged, shown to the reporter. */
  reason?: string | undefined;
  triagedBy?: string | undefined;
  triagedAt?: string | undefined;
  survey?: { scores: Record<SurveyAspect, number>; comment?: string | undefined; at: string } | undefined;
  /**
   * The signing key (kid) the tracking token was derived with (`trackTokenOf`), so a later notice
   * can carry the tracking link again; absent for reports whose token was random (before).
   */
  trackKid?: string | undefined;
}

const reportKey = (id: string) => marshall(opsKey.report(id));
const queueKey = (r: Pick<Report, 'location' | 'receivedAt' | 'reportId'>) =>
  marshall(opsKey.reportQueue(r.location.buildingId, r.receivedAt, r.reportId));
const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');
const trackKey = (token: string) => marshall(opsKey.reportTrack(tokenHash(token)));

// Crockford base32: report numbers are read aloud over the phone.
export const newReportId = (): string => {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return `RP-${[...randomBytes(10)].map((b) => alphabet[b % 32]).join('')}`;
};

/** Whether an id has the shape `newReportId` gives (checked before a read, never instead of one). */
export const isReportId = (id: string): boolean => /^RP-[0-9A-Z]{10}$/.test(id);

/**
 * A report's tracking token, derived from its id with a signing key (HMAC, 24 bytes as the random
 * tokens were): only its hash is stored, yet the notices sent later (the case opened, merged,
 * rejected, withdrawn, the result) can carry the link again. Null when that key is retired.
 */
export function trackTokenOf(keys: SigningKeys, reportId: string, kid = keys.current): string | null {
  const secret = keys.keys[kid];
  if (!secret) return null;
  return createHmac('sha256', secret)
    .update(`report-track:${reportId}`)
    .digest()
    .subarray(0, 24)
    .toString('base64url');
}

/** Where a tracking page is, for a notice: null for a report whose token was random (made before) or whose key is retired. */
export function trackUrlOf(
  link: { keys: SigningKeys; publicBaseUrl: string },
  report: Pick<Report, 'reportId' | 'trackKid'>,
): string | null {
  const token = report.trackKid ? trackTokenOf(link.keys, report.reportId, report.trackKid) : null;
  return token ? `${link.publicBaseUrl.replace(/\/+$/, '')}/t/${token}` : null;
}

/** A report form's submission key (a hidden field): a second submit of one form finds the first report. */
export const isSubmissionKey = (key: string): boolean => /^[A-Za-z0-9_-]{22,64}$/.test(key);
const submissionKey = (key: string) => marshall(opsKey.reportSubmission(tokenHash(key)));

/** A second submit of one form: the same form key came back after a report was kept for it. */
export class DuplicateSubmissionError extends Error {
  constructor(readonly reportId: string) {
    super(`this form was already submitted as report ${reportId}`);
  }
}

/** The report a submission key holds and its place, while the key is held. */
async function heldSubmission(
  deps: ReportDeps,
  key: string,
): Promise<{ reportId: string; placeCode: string } | null> {
  const res = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: submissionKey(key), ConsistentRead: true }),
  );
  const row = res.Item
    ? (unmarshall(res.Item) as { reportId: string; placeCode: string; expiresAtEpoch?: number })
    : null;
  // Expired rows linger until DynamoDB's TTL sweep: past its time a key holds nothing.
  if (!row || (row.expiresAtEpoch !== undefined && row.expiresAtEpoch <= Math.floor(Date.now() / 1000)))
    return null;
  return row;
}

/** The report kept for a form's submission key at this place, or null. */
export async function reportOfSubmission(
  deps: ReportDeps,
  key: string,
  placeCode: string,
): Promise<Report | null> {
  const row = await heldSubmission(deps, key);
  // A key shown on another place's form is not this form's: nothing is answered for it.
  if (!row || row.placeCode !== placeCode) return null;
  return getReport(deps, row.reportId);
}

/**
 * The key a form's submission is held under at this place: the form's own key, unless a report
 * at another place holds it (one place's form sent to another's address: the address edited on a
 * page left open, a form copied). Then a key of this place's own made from it, so the report here
 * is kept as a new one rather than refused by the other's (`saveReport`), and the same form sent
 * here again still finds it.
 */
export async function submissionKeyAt(deps: ReportDeps, key: string, placeCode: string): Promise<string> {
  const row = await heldSubmission(deps, key);
  return row && row.placeCode !== placeCode ? `${key}@${placeCode}` : key;
}

/** How long a report's text at its place answers a repeat of it (`saveReport`'s `textKey`). */
export const SAME_TEXT_SECONDS = 10 * 60;

/**
 * Saves a new report, its place in the triage queue, its tracking token (derived with the signing
 * keys, `trackTokenOf`), its form's submission key and its text key (`sameReportKey`, held
 * SAME_TEXT_SECONDS), all or nothing. A key already taken and not expired (the same form or the
 * same text sent twice at once) keeps nothing and throws DuplicateSubmissionError.
 */
export async function saveReport(
  deps: ReportDeps,
  input: Omit<Report, 'status' | 'trackKid'>,
  opts: {
    keys?: SigningKeys | undefined;
    submissionKey?: string | undefined;
    textKey?: string | undefined;
  } = {},
): Promise<{ report: Report; trackToken: string }> {
  // Without signing keys (tests that only need a report) the token is random, as it always was.
  const derived = opts.keys ? trackTokenOf(opts.keys, input.reportId) : null;
  const report: Report = {
    ...input,
    status: 'received',
    ...(derived ? { trackKid: opts.keys!.current } : {}),
  };
  const trackToken = derived ?? randomBytes(24).toString('base64url');
  const TableName = deps.tables.ops;
  const submission = opts.submissionKey;
  const now = Math.floor(Date.now() / 1000);
  const keyRow = (key: string, seconds: number) => ({
    Put: {
      TableName,
      Item: {
        ...submissionKey(key),
        ...marshall({ reportId: report.reportId, placeCode: report.placeCode }),
        expiresAtEpoch: { N: String(now + seconds) },
      },
      // An expired row not yet swept by TTL is taken over.
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAtEpoch <= :now',
      ExpressionAttributeValues: { ':now': { N: String(now) } },
    },
  });
  const heldKeys = [
    // Kept a day: a form left open longer is a new report.
    ...(submission ? [keyRow(submission, 86_400)] : []),
    ...(opts.textKey ? [keyRow(opts.textKey, SAME_TEXT_SECONDS)] : []),
  ];
  try {
    await deps.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName,
              Item: {
                ...reportKey(report.reportId),
                ...marshall({ report }, { removeUndefinedValues: true }),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName,
              Item: {
                ...queueKey(report),
                // Read by the queue's query itself, so the reports that go first are found without reading each.
                ...marshall({ reportId: report.reportId, first: triagedFirst(report.kind) }),
              },
            },
          },
          {
            Put: { TableName, Item: { ...trackKey(trackToken), ...marshall({ reportId: report.reportId }) } },
          },
          ...heldKeys,
        ],
      }),
    );
  } catch (err) {
    if (err instanceof TransactionCanceledException) {
      for (const key of [submission, opts.textKey]) {
        const first = key ? await reportOfSubmission(deps, key, report.placeCode) : null;
        if (first) throw new DuplicateSubmissionError(first.reportId);
      }
    }
    throw err;
  }
  return { report, trackToken };
}

export async function getReport(deps: ReportDeps, reportId: string): Promise<Report | null> {
  const res = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: reportKey(reportId), ConsistentRead: true }),
  );
  return res.Item ? (unmarshall(res.Item).report as Report) : null;
}

/** The report a tracking link opens, or null for a token that names none. */
export async function reportByToken(deps: ReportDeps, token: string): Promise<Report | null> {
  // Random tokens and derived ones (trackTokenOf) alike: 24 bytes, found by their hash.
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null;
  const res = await deps.ddb.send(new GetItemCommand({ TableName: deps.tables.ops, Key: trackKey(token) }));
  if (!res.Item) return null;
  return getReport(deps, String(unmarshall(res.Item).reportId));
}

/**
 * Where a page of the triage queue starts: the queue position of the last report on the page
 * before it, `<band>#<received time>#<report id>`. Band 0 holds the reports that go first (a
 * safety hazard, `triagedFirst`), band 1 the rest; within a band the order is the queue rows'
 * sort key (received time, then id). A position without a band (a page link from before bands)
 * is one among the rest.
 */
export const isQueueCursor = (s: string): boolean =>
  /^(?:[01]#)?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z#RP-[0-9A-Z]{10}$/.test(s);

type Band = 0 | 1;
const bandOf = (kind: ReportKind): Band => (triagedFirst(kind) ? 0 : 1);

/** A report's place in the triage queue's order, as a page position names it (`isQueueCursor`). */
export const queuePositionOf = (r: Pick<Report, 'kind' | 'receivedAt' | 'reportId'>): string =>
  `${bandOf(r.kind)}#${r.receivedAt}#${r.reportId}`;

function parsePosition(position: string): { band: Band; sk: string } {
  const m = /^([01])#(.*)$/.exec(position);
  return m ? { band: m[1] === '0' ? 0 : 1, sk: m[2]! } : { band: 1, sk: position };
}

/** A report someone has taken for a triage decision that is not recorded yet (their claim is live). */
export interface DecidingReport {
  report: Report;
  /** Who is deciding it. */
  by: string;
}

export interface TriagePage {
  /**
   * Untriaged reports across every building asked for that nobody is deciding: safety hazards
   * first, then the rest, each oldest first.
   */
  reports: Report[];
  /** Where the next page starts (`after`), or null on the last page. */
  next: string | null;
  /** How many reports wait in these buildings' queues altogether: exactly those `reports` pages through. */
  total: number;
  /**
   * Every report of these buildings being decided now, in the queue's order: neither waiting nor
   * decided, so neither among `reports` nor counted in `total`.
   */
  deciding: DecidingReport[];
}

/**
 * A triage claim as its queue row carries it (`claimBy`, `claimUntil`, mirrored by claimTriage),
 * so the queue's count and its pages tell a report being decided from one waiting without
 * reading each report.
 */
type RowClaim = { claimBy?: string; claimUntil?: number };
const liveClaim = (row: RowClaim, now: number): string | null =>
  row.claimBy !== undefined && row.claimUntil !== undefined && row.claimUntil >= now ? row.claimBy : null;

/**
 * One page of the untriaged reports of these buildings nobody is deciding, starting after the
 * queue position `after`, with the count of every such report and the reports being decided. A
 * safety hazard comes before any routine report (nobody must page past repairs to find it);
 * otherwise oldest first across all the buildings (the order they are owed an answer: one
 * building's backlog does not hide another's older reports).
 */
export async function triageQueue(
  deps: ReportDeps,
  buildingIds: string[],
  opts: { limit?: number; after?: string | undefined; now?: number } = {},
): Promise<TriagePage> {
  const limit = opts.limit ?? 100;
  // One instant for the count and the page: a claim running out between them would otherwise
  // leave a report counted but not shown, or shown but not counted.
  const now = opts.now ?? Date.now();
  const [page, tallies] = await Promise.all([
    queuedReports(deps, buildingIds, limit, opts.after, now),
    Promise.all(buildingIds.map((b) => queueTally(deps, b, now))),
  ]);
  const deciding = await Promise.all(
    tallies
      .flatMap((t) => t.deciding)
      .map(async (c) => ({ report: await getReport(deps, c.reportId), by: c.by })),
  );
  return {
    reports: page.rows.filter((q) => q.decidingBy === null).map((q) => q.report),
    next: page.next,
    total: tallies.reduce((a, t) => a + t.waiting, 0),
    deciding: deciding
      .filter((d): d is DecidingReport => d.report?.status === 'received')
      .map((d) => ({ ...d, position: queuePositionOf(d.report) }))
      .sort((x, y) => (x.position < y.position ? -1 : x.position > y.position ? 1 : 0))
      .map(({ report, by }) => ({ report, by })),
  };
}

/**
 * One building's queue at `now`: how many reports wait in it (nobody deciding them), and the rows
 * of those being decided (few: a claim lasts minutes). Only the rows' keys and claims are read.
 */
async function queueTally(
  deps: ReportDeps,
  buildingId: string,
  now: number,
): Promise<{ waiting: number; deciding: { reportId: string; by: string }[] }> {
  let waiting = 0;
  const deciding: { reportId: string; by: string }[] = [];
  const rows = queryItems(deps.ddb, {
    TableName: deps.tables.ops,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: marshall({ ':pk': opsPartition.reportQueue(buildingId) }),
    ProjectionExpression: 'reportId, claimBy, claimUntil',
  });
  for await (const it of rows) {
    const row = unmarshall(it) as RowClaim & { reportId: string };
    const by = liveClaim(row, now);
    if (by === null) waiting++;
    else deciding.push({ reportId: row.reportId, by });
  }
  return { waiting, deciding };
}

/**
 * The first `max` queue rows of one building in one band after the sort key `after`. The rows
 * say their band (`first`); a row written before they did is placed by its report's kind.
 */
async function bandRows(
  deps: ReportDeps,
  buildingId: string,
  band: Band,
  after: string | undefined,
  max: number,
  now: number,
): Promise<{ position: string; reportId: string; decidingBy: string | null }[]> {
  const rows: { position: string; reportId: string; decidingBy: string | null }[] = [];
  const queue = queryItems(deps.ddb, {
    TableName: deps.tables.ops,
    KeyConditionExpression: after ? 'pk = :pk AND sk > :after' : 'pk = :pk',
    FilterExpression: 'attribute_not_exists(#f) OR #f = :first',
    ExpressionAttributeNames: { '#f': 'first' },
    ExpressionAttributeValues: marshall({
      ':pk': opsPartition.reportQueue(buildingId),
      ':first': band === 0,
      ...(after ? { ':after': after } : {}),
    }),
    // The filter leaves out the other band's rows after reading them: a page read of at least a
    // hundred keys finds a safety hazard behind a long routine backlog in few round trips.
    Limit: Math.max(max, 100),
  });
  for await (const it of queue) {
    const row = unmarshall(it) as RowClaim & { sk: string; reportId: string; first?: boolean };
    if (row.first === undefined) {
      const report = await getReport(deps, row.reportId);
      if (!report || bandOf(report.kind) !== band) continue;
    }
    rows.push({ position: `${band}#${row.sk}`, reportId: row.reportId, decidingBy: liveClaim(row, now) });
    if (rows.length >= max) break;
  }
  return rows;
}

/**
 * The untriaged reports in the buildings' queues after the position `after`, at most `limit`, in
 * the queue's order (safety hazards first, each band oldest first across the buildings), each
 * read once with its chase mark; `next` is the position the following page starts after, or
 * null when none is left.
 */
async function queuedReports(
  deps: ReportDeps,
  buildingIds: string[],
  limit: number,
  after: string | undefined,
  now: number,
): Promise<{
  rows: { report: Report; chaseStarted: boolean; decidingBy: string | null }[];
  next: string | null;
}> {
  const from = after ? parsePosition(after) : undefined;
  // The first `limit + 1` positions of each building in each band still ahead (the one past the
  // page says whether another follows), merged by position; the routine band is read only when
  // the safety band leaves room on the page.
  const band = (b: Band) =>
    Promise.all(
      buildingIds.map((id) => bandRows(deps, id, b, from?.band === b ? from.sk : undefined, limit + 1, now)),
    ).then((per) => per.flat());
  const merged = from?.band === 1 ? await band(1) : await band(0);
  if (from?.band !== 1 && merged.length <= limit) merged.push(...(await band(1)));
  merged.sort((x, y) => (x.position < y.position ? -1 : x.position > y.position ? 1 : 0));
  const shown = merged.slice(0, limit);
  const next = merged.length > limit ? (shown.at(-1)?.position ?? null) : null;
  const rows = await Promise.all(
    shown.map(async ({ reportId: id, decidingBy }) => {
      const res = await deps.ddb.send(
        new GetItemCommand({ TableName: deps.tables.ops, Key: reportKey(id), ConsistentRead: true }),
      );
      if (!res.Item) return null;
      const row = unmarshall(res.Item) as { report: Report; chaseStarted?: boolean };
      return { report: row.report, chaseStarted: row.chaseStarted === true, decidingBy };
    }),
  );
  return {
    rows: rows.filter((r): r is NonNullable<typeof r> => r !== null && r.report.status === 'received'),
    next,
  };
}

/** Marks a report's triage chase as running, so the sweep (workflows/report-triage/sweep.ts) leaves it. */
export async function markChaseStarted(deps: ReportDeps, reportId: string): Promise<void> {
  await deps.ddb.send(
    new UpdateItemCommand({
      TableName: deps.tables.ops,
      Key: reportKey(reportId),
      UpdateExpression: 'SET chaseStarted = :t',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: marshall({ ':t': true }),
    }),
  );
}

/**
 * Untriaged reports of these buildings whose chase was never marked as started (Temporal was
 * unreachable when they came in, or the API died first), in the queue's order (safety hazards
 * first, then oldest first), at most `limit`. The queue is read on past the chased ones, a page
 * at a time: however many chased reports wait at its head, a newer one nobody chases is found.
 */
export async function unchasedReports(
  deps: ReportDeps,
  buildingIds: string[],
  limit = 100,
  pageSize = 100,
): Promise<Report[]> {
  const found: Report[] = [];
  let after: string | undefined;
  do {
    // A report being decided is still untriaged: its chase goes on until the decision is recorded.
    const page = await queuedReports(deps, buildingIds, pageSize, after, Date.now());
    for (const q of page.rows) if (!q.chaseStarted && found.length < limit) found.push(q.report);
    after = page.next ?? undefined;
  } while (after !== undefined && found.length < limit);
  return found;
}

/** The reports a case was opened from or took in by a merge, oldest first. */
export async function reportsOfCase(deps: ReportDeps, caseId: string): Promise<Report[]> {
  const ids: string[] = [];
  const rows = queryItems(deps.ddb, {
    TableName: deps.tables.ops,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: marshall({ ':pk': opsPartition.caseReports(caseId) }),
  });
  for await (const it of rows) ids.push(String(unmarshall(it).reportId));
  const reports = await Promise.all(ids.map((id) => getReport(deps, id)));
  return reports
    .filter((r): r is Report => r !== null)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

/**
 * The report triage opened the case from (its photos are kept under the report's id), or null for
 * a case opened otherwise. Both records must say so: the case's row and the report's own decision.
 */
export async function sourceReportOf(deps: ReportDeps, caseId: string): Promise<string | null> {
  const reports = await reportsOfCase(deps, caseId);
  return reports.find((r) => r.status === 'case' && r.caseId === caseId)?.reportId ?? null;
}

export class ReportAlreadyTriagedError extends Error {
  constructor(readonly report: Report) {
    super(`report ${report.reportId} was already triaged (${report.status})`);
  }
}

/** How long a triage decision in progress keeps others off the report (a process that died frees it then). */
export const TRIAGE_CLAIM_MS = 2 * 60_000;

/**
 * Takes the report for one person's triage decision before anything is done about it, so two
 * people deciding at once (or one case and one rejection) cannot both act: the one whose claim
 * lands goes on, the other is told the report is taken. Null when the report is decided already
 * or someone else's claim is still live.
 *
 * Everyone who ever claimed the report is kept with it (`earlier`: the others): a decision whose
 * case was opened but never recorded (its process died, its claim ran out) is found by the next
 * claim under the earlier claimant's idempotency key, instead of a second case being opened.
 */
export async function claimTriage(
  deps: ReportDeps,
  reportId: string,
  by: string,
  now = Date.now(),
): Promise<{ by: string; until: number; earlier: string[] } | null> {
  const claim = { by, until: now + TRIAGE_CLAIM_MS };
  try {
    const out = await deps.ddb.send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: reportKey(reportId),
        UpdateExpression: 'SET #c = :claim ADD #all :by',
        ConditionExpression: '#r.#s = :received AND (attribute_not_exists(#c) OR #c.#u < :now)',
        ExpressionAttributeNames: {
          '#r': 'report',
          '#s': 'status',
          '#c': 'triageClaim',
          '#u': 'until',
          '#all': 'triageClaimants',
        },
        ExpressionAttributeValues: marshall({
          ':received': 'received',
          ':claim': claim,
          ':now': now,
          ':by': new Set([by]),
        }),
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = (out.Attributes ? unmarshall(out.Attributes) : {}) as {
      report?: Report;
      triageClaimants?: Set<string>;
    };
    if (item.report) await markQueueRow(deps, item.report, claim);
    return { ...claim, earlier: [...(item.triageClaimants ?? [])].filter((p) => p !== by).sort() };
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return null;
    throw err;
  }
}

/**
 * Mirrors a claim on the report's queue row (the row is what the queue counts and pages), so a
 * report being decided is neither counted nor offered as waiting. After the claim, not with it:
 * a process that dies between the two leaves the report shown as waiting, as it was before rows
 * carried claims, and a decision on it is told who holds it. A row already gone (the decision
 * recorded in between) is not made again.
 */
async function markQueueRow(deps: ReportDeps, report: Report, claim: { by: string; until: number }) {
  await conditionHeld(() =>
    deps.ddb.send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: queueKey(report),
        UpdateExpression: 'SET claimBy = :by, claimUntil = :until',
        // A mark that lands late (its claim released and another taken meanwhile) never covers a
        // later claim's: claims run from when they are taken, so the later one runs out later.
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(claimUntil) OR claimUntil < :until)',
        ExpressionAttributeValues: marshall({ ':by': claim.by, ':until': claim.until }),
      }),
    ),
  );
}

/**
 * Who is deciding the report now: the person whose claim on it is live while it waits undecided,
 * so someone who loses the claim can be told who has it. Null once decided, or with no live claim.
 */
export async function triageClaimHolder(
  deps: ReportDeps,
  reportId: string,
  now = Date.now(),
): Promise<string | null> {
  const res = await deps.ddb.send(
    new GetItemCommand({ TableName: deps.tables.ops, Key: reportKey(reportId), ConsistentRead: true }),
  );
  if (!res.Item) return null;
  const item = unmarshall(res.Item) as { report: Report; triageClaim?: { by: string; until: number } };
  const claim = item.triageClaim;
  return item.report.status === 'received' && claim && claim.until >= now ? claim.by : null;
}

/** Gives a claim back when its decision did not go through (refused, failed), so the report can be decided again. */
export async function releaseTriage(
  deps: ReportDeps,
  reportId: string,
  claim: { by: string; until: number },
) {
  const report = await getReport(deps, reportId);
  // The queue row first: a process that dies before the report's claim is given back leaves the
  // report shown as waiting with a claim that runs out, never hidden as being decided when it is not.
  if (report?.status === 'received')
    await conditionHeld(() =>
      deps.ddb.send(
        new UpdateItemCommand({
          TableName: deps.tables.ops,
          Key: queueKey(report),
          UpdateExpression: 'REMOVE claimBy, claimUntil',
          ConditionExpression: 'claimBy = :by AND claimUntil = :until',
          ExpressionAttributeValues: marshall({ ':by': claim.by, ':until': claim.until }),
        }),
      ),
    );
  await conditionHeld(() =>
    deps.ddb.send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: reportKey(reportId),
        UpdateExpression: 'REMOVE #c',
        ConditionExpression: '#c.#b = :by AND #c.#u = :until',
        ExpressionAttributeNames: { '#c': 'triageClaim', '#b': 'by', '#u': 'until' },
        ExpressionAttributeValues: marshall({ ':by': claim.by, ':until': claim.until }),
      }),
    ),
  );
}

/** Records triage's decision once: a second decision on the same report fails rather than overwrite the first. */
export async function recordTriage(
  deps: ReportDeps,
  report: Report,
  decision: {
    status: Exclude<ReportStatus, 'received'>;
    caseId?: string;
    reason?: string;
    by: string;
    at: string;
  },
): Promise<Report> {
  const next: Report = {
    ...report,
    status: decision.status,
    caseId: decision.caseId,
    reason: decision.reason,
    triagedBy: decision.by,
    triagedAt: decision.at,
  };
  try {
    await deps.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: deps.tables.ops,
              Item: {
                ...reportKey(report.reportId),
                ...marshall({ report: next }, { removeUndefinedValues: true }),
              },
              ConditionExpression: '#r.#s = :received',
              ExpressionAttributeNames: { '#r': 'report', '#s': 'status' },
              ExpressionAttributeValues: marshall({ ':received': 'received' }),
            },
          },
          { Delete: { TableName: deps.tables.ops, Key: queueKey(report) } },
          // The case finds the reports it answers (their reporters hear of its withdrawal).
          ...(decision.caseId
            ? [
                {
                  Put: {
                    TableName: deps.tables.ops,
                    Item: {
                      ...marshall(opsKey.caseReport(decision.caseId, report.reportId)),
                      ...marshall({ reportId: report.reportId, status: decision.status }),
                    },
                  },
                },
              ]
            : []),
        ],
      }),
    );
  } catch (err) {
    const current = await getReport(deps, report.reportId);
    if (current && current.status !== 'received') throw new ReportAlreadyTriagedError(current);
    throw err;
  }
  return next;
}

/** Keeps the reporter's survey on the report (the first one counts; a resubmission is refused). */
export async function recordSurvey(
  deps: ReportDeps,
  reportId: string,
  survey: NonNullable<Report['survey']>,
): Promise<boolean> {
  return conditionHeld(() =>
    deps.ddb.send(
      new UpdateItemCommand({
        TableName: deps.tables.ops,
        Key: reportKey(reportId),
        UpdateExpression: 'SET #r.#s = :s',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#r.#s)',
        ExpressionAttributeNames: { '#r': 'report', '#s': 'survey' },
        ExpressionAttributeValues: marshall({ ':s': survey }, { removeUndefinedValues: true }),
      }),
    ),
  );
}

/**
 * A fixed window of at most `max` requests for `scope`. Rows expire by TTL; the window is in the
 * key, so counting is one atomic ADD and needs no clean-up to be right.
 */
export function rateWindow(
  deps: ReportDeps,
  scope: string,
  max: number,
  windowSeconds: number,
  now = Date.now(),
) {
  const window = Math.floor(now / 1000 / windowSeconds);
  const Key = marshall(opsKey.rate(scope, window));
  return {
    /** Whether the window is used up already, without counting this request (a read). */
    async spent(): Promise<boolean> {
      const res = await deps.ddb.send(
        new GetItemCommand({ TableName: deps.tables.ops, Key, ConsistentRead: true }),
      );
      return Number(unmarshall(res.Item ?? {}).n ?? 0) >= max;
    },
    /** Counts this request and says whether it is within `max`. */
    async count(): Promise<boolean> {
      const res = await deps.ddb.send(
        new UpdateItemCommand({
          TableName: deps.tables.ops,
          Key,
          UpdateExpression: 'ADD #n :one SET expiresAtEpoch = :exp',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: marshall({ ':one': 1, ':exp': (window + 2) * windowSeconds }),
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(unmarshall(res.Attributes ?? {}).n ?? 0) <= max;
    },
  };
}
