import { randomBytes } from 'node:crypto';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { EVIDENCE_REF_PATTERN } from '../domain/evidence-ref.ts';
import { CLAIM_PREFIX, STAGING_PREFIX, isStagingOwner } from '../domain/staged-evidence.ts';
import type { AwsDeps } from './clients.ts';
import { conditionHeld } from './conditional.ts';
import { casesOpenedBetween } from './digests.ts';
import { getEvidence, type EvidenceRecord } from './evidence.ts';
import { opsKey } from './keys.ts';

/**
 * Removes the photos a new-case form stored under a staging owner (domain/staged-evidence.ts)
 * that no case took: a form refused and then abandoned, a post whose case never opened. A file
 * keeps the key it was stored under when a case adopts it (adoption changes only its record's
 * owner), so the objects under a staging owner's keys are both; the record decides, never the key.
 * That is also why the owner-wide discardOwnerEvidence does not fit: it would take adopted bytes.
 */

/** A form refused this long ago may still be sent again by the supervisor who left it open. */
export const STAGED_MAX_AGE_MS = 24 * 3600_000;
/**
 * Photos a post holds while it opens its case (seconds) are left twice as long: the sweep must
 * not take one between the post's claim and the case's adoption of it.
 */
const CLAIMED_MAX_AGE_MS = 2 * STAGED_MAX_AGE_MS;
/** A case citing a staged photo opens soon after it was stored: the sweep would have taken it otherwise. */
const CITING_WINDOW_MS = 7 * 24 * 3600_000;
/** Clocks of the page and the worker may differ a little. */
const CLOCK_SKEW_MS = 60_000;

export const SWEEP_MAX_OBJECTS = 3000;
export const SWEEP_BUDGET_MS = 60_000;

/** Where a staging owner's bytes are kept (store/evidence.ts reserve and sealedKeyOf). */
const PREFIXES = [`sealed/evidence/${STAGING_PREFIX}`, `evidence/${STAGING_PREFIX}`];
const KEY = /^(?:sealed\/)?evidence\/([^/]+)\/(ev_[A-Za-z0-9_-]{16})\./;

export interface StagedSweepDeps {
  aws: AwsDeps;
  /** The evidence bucket (the worker has it as its result store). */
  bucket: { client: S3Client; bucket: string };
}

export interface StagedSweepOptions {
  /** The sweep's idea of now, for a file's age (tests look ahead); the time budget runs on the clock. */
  now?: number | undefined;
  maxObjects?: number | undefined;
  budgetMs?: number | undefined;
  log?: ((line: string) => void) | undefined;
}

export interface StagedSweepResult {
  /** Objects under staging owners' keys looked at. */
  examined: number;
  /** Files removed, record and objects. */
  removed: number;
  /** Kept: no record says whose they are; a case adopted them; stored too recently; cited by a case that could not adopt them. */
  unrecorded: number;
  adopted: number;
  fresh: number;
  cited: number;
  failed: number;
  /** False when the budget stopped it before it had looked at every staged object. */
  complete: boolean;
}

interface Listed {
  key: string;
  owner: string;
  evidenceId: string;
  modifiedAt: number;
}

/**
 * Each object under one prefix, starting after `from` and coming round to it: each run starts at
 * a random owner, so a run stopped by its budget does not look at the same first objects every day.
 */
async function* listFrom(deps: StagedSweepDeps, prefix: string, from: string) {
  const { client, bucket } = deps.bucket;
  const passes: ({ after: string } | { until: string })[] = [{ after: from }, { until: from }];
  for (const pass of passes) {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : 'after' in pass ? { StartAfter: pass.after } : {}),
        }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        if ('until' in pass && o.Key > pass.until) return;
        yield { key: o.Key, modifiedAt: o.LastModified?.getTime() ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

/** Every reference the descriptions of cases opened in these spans cite. */
async function citedIn(deps: StagedSweepDeps, spans: { from: number; to: number }[]): Promise<Set<string>> {
  const cited = new Set<string>();
  for (const span of spans) {
    const cases = await casesOpenedBetween(deps.aws, {
      from: new Date(span.from).toISOString(),
      to: new Date(span.to).toISOString(),
    });
    for (const c of cases) for (const m of c.description.matchAll(EVIDENCE_REF_PATTERN)) cited.add(m[1]!);
  }
  return cited;
}

/** The spans in which a case citing one of these files would have opened, overlapping ones joined. */
function citingSpans(records: EvidenceRecord[], now: number): { from: number; to: number }[] {
  const spans = records
    .map((r) => Date.parse(r.createdAt))
    .sort((a, b) => a - b)
    .map((at) => ({ from: at - CLOCK_SKEW_MS, to: Math.min(now, at + CITING_WINDOW_MS) }));
  const joined: { from: number; to: number }[] = [];
  for (const s of spans) {
    const last = joined.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else joined.push({ ...s });
  }
  return joined;
}

/**
 * Removes staged files older than a day that no case adopted: their record (only while it is
 * still the staging owner's, so an adoption meanwhile wins), then their objects. At most `maxObjects` objects and `budgetMs` per
 * run; the next run goes on. A file a case cites but could not adopt (the page said it is kept)
 * stays, and is logged.
 */
export async function sweepStagedEvidence(
  deps: StagedSweepDeps,
  opts: StagedSweepOptions = {},
): Promise<StagedSweepResult> {
  const started = Date.now();
  const now = opts.now ?? started;
  const maxObjects = opts.maxObjects ?? SWEEP_MAX_OBJECTS;
  const budgetMs = opts.budgetMs ?? SWEEP_BUDGET_MS;
  const log = opts.log ?? ((line: string) => console.info(`[staged evidence] ${line}`));
  const overBudget = () => Date.now() - started > budgetMs;
  const result: StagedSweepResult = {
    examined: 0,
    removed: 0,
    unrecorded: 0,
    adopted: 0,
    fresh: 0,
    cited: 0,
    failed: 0,
    complete: true,
  };

  // The objects first: a fresh object is kept without reading its record.
  const old = new Map<string, Listed[]>();
  const from = randomBytes(4).toString('hex');
  listing: for (const prefix of PREFIXES) {
    for await (const o of listFrom(deps, prefix, `${prefix}${from}`)) {
      if (result.examined >= maxObjects || overBudget()) {
        result.complete = false;
        break listing;
      }
      result.examined += 1;
      const m = KEY.exec(o.key);
      if (!m?.[1] || !m[2] || !isStagingOwner(m[1])) continue;
      if (now - o.modifiedAt < STAGED_MAX_AGE_MS) {
        result.fresh += 1;
        continue;
      }
      const listed = { key: o.key, owner: m[1], evidenceId: m[2], modifiedAt: o.modifiedAt };
      old.set(m[2], [...(old.get(m[2]) ?? []), listed]);
    }
  }
  log(`${result.examined} objects under staging owners looked at, ${old.size} files a day old or older`);

  const removeObjects = async (keys: Iterable<string>) => {
    for (const key of new Set(keys))
      await deps.bucket.client.send(new DeleteObjectCommand({ Bucket: deps.bucket.bucket, Key: key }));
  };
  const owners = new Set<string>();
  const candidates: { record: EvidenceRecord; objects: Listed[] }[] = [];
  for (const [evidenceId, objects] of old) {
    if (overBudget()) {
      result.complete = false;
      break;
    }
    try {
      const record = await getEvidence(deps, evidenceId);
      if (!record) {
        // Bytes whose reservation expired unconfirmed, or that a sweep failed to remove after their
        // record. Kept: without a record nothing shows that no case adopted them (another
        // deployment's tables may hold it, were the bucket shared), and they are few.
        if (result.unrecorded === 0) log(`${objects[0]!.key} has no evidence record: kept (the first such)`);
        result.unrecorded += objects.length;
      } else if (!isStagingOwner(record.caseId)) result.adopted += 1;
      else if (
        now - Date.parse(record.createdAt) <
        (record.caseId.startsWith(CLAIM_PREFIX) ? CLAIMED_MAX_AGE_MS : STAGED_MAX_AGE_MS)
      )
        result.fresh += 1;
      else candidates.push({ record, objects });
    } catch (err) {
      result.failed += 1;
      log(`could not look at ${evidenceId}: ${String(err)}`);
    }
  }

  const cited =
    candidates.length > 0
      ? await citedIn(
          deps,
          citingSpans(
            candidates.map((c) => c.record),
            now,
          ),
        )
      : new Set();
  for (const { record, objects } of candidates) {
    if (overBudget()) {
      result.complete = false;
      break;
    }
    if (cited.has(record.evidenceId)) {
      result.cited += 1;
      log(`${record.evidenceId} (${record.caseId}) is cited by a case that did not adopt it: kept`);
      continue;
    }
    try {
      const taken = await conditionHeld(() =>
        deps.aws.ddb.send(
          new DeleteItemCommand({
            TableName: deps.aws.tables.ops,
            Key: marshall(opsKey.evidence(record.evidenceId)),
            // Still the staging owner's as read: a case that adopted it meanwhile keeps it.
            ConditionExpression: '#c = :owner AND createdAt = :at',
            ExpressionAttributeNames: { '#c': 'caseId' },
            ExpressionAttributeValues: marshall({ ':owner': record.caseId, ':at': record.createdAt }),
          }),
        ),
      );
      if (!taken) {
        result.adopted += 1;
        continue;
      }
      const keys = [
        ...objects.map((o) => o.key),
        record.key,
        ...(record.sealedKey ? [record.sealedKey] : []),
      ];
      await removeObjects(keys);
      objects.forEach((o) => owners.add(o.owner));
      result.removed += 1;
      if (result.removed % 500 === 0) log(`${result.removed} staged files removed so far`);
    } catch (err) {
      result.failed += 1;
      log(`could not remove ${record.evidenceId}: ${String(err)}`);
    }
  }
  // A staging owner is never uploaded to again: its upload count goes with its files.
  for (const owner of owners)
    await deps.aws.ddb
      .send(
        new DeleteItemCommand({
          TableName: deps.aws.tables.ops,
          Key: marshall(opsKey.evidenceUploads(owner)),
        }),
      )
      .catch((err: unknown) => log(`could not remove the upload count of ${owner}: ${String(err)}`));

  log(
    `removed ${result.removed} files; kept ${result.adopted} adopted, ${result.fresh} recent, ${result.cited} cited, ${result.unrecorded} objects without a record; ${result.failed} failed${result.complete ? '' : '; stopped at its bound, the next run goes on'}`,
  );
  return result;
}
