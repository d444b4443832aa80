// Longer than most modules because a chain, its recorded head and its anchor are checked together so every finding names its entry.
import {
  chainHeadAt,
  verifyChain,
  verifyRecordedHead,
  type AuditEntry,
  type ChainHead,
  type ChainProblem,
  type HeadProblem,
} from '../domain/hash-chain.ts';
import {
  AnchorHeadsError,
  anchorFromEntry,
  latestAnchor,
  latestAnchorWithHeads,
  readAnchorHeads,
  type AnchorFindings,
  type StoredAnchor,
} from '../store/anchors.ts';
import { ANCHOR_CHAIN_ID } from '../store/keys.ts';
import {
  unbackedAnchors,
  witnessedHeads,
  type AnchorRuns,
  type AnchorWitness,
  type ForgedAnchor,
} from './anchor-witness.ts';
import { caseIds, mapConcurrent } from './scan.ts';
import {
  checkCaseEvidence,
  evidenceIntact,
  type BrokenEvidence,
  type EvidenceVerification,
} from './evidence-check.ts';
import type { OpeningMismatch } from './opening-check.ts';
import type { EvidenceReadDeps } from '../store/evidence.ts';
import { readChain, recordedHead } from '../store/audit-chain.ts';
import type { RecordedHead } from '../store/case-record-item.ts';
import type { AwsDeps } from '../store/clients.ts';

/**
 * Verification of the audit trail: one chain on its own, or every chain
 * against the latest anchor. Reads chains by key and enumerates cases through
 * the cases table's index plus the anchor's own list, never a table scan.
 */

export interface BrokenEntry {
  /** The first entry that cannot be vouched for; every entry before it is intact. */
  seq: number;
  problem: ChainProblem | HeadProblem;
  expected: string;
  found: string;
}

export type AnchorCaseStatus = 'intact' | 'missing' | 'rewritten';

export interface CaseVerification {
  caseId: string;
  /** True when the chain is intact and, if anchored, still passes through its anchored head. */
  ok: boolean;
  count: number;
  head: { seq: number; hash: string } | null;
  /** The head the case record carries, when it carries one: the chain must end exactly there. */
  recordHead?: RecordedHead;
  broken: BrokenEntry | null;
  /** Null when no anchor covers this case yet (opened since the latest anchor, or no anchor at all). */
  anchor: {
    seq: number;
    anchorSeq: number;
    hash: string;
    status: AnchorCaseStatus;
    /** What the chain holds now at the anchored seq (or the last entry before it). */
    found: { seq: number; hash: string } | null;
  } | null;
  /** Set when an anchor after the witnessed one dropped this case: `anchor` is then the witnessed one's. */
  droppedFromAnchor?: true;
  /** Set when the chain no longer passes through the head the witnessed run recorded: `anchor` is that head's. */
  againstWitness?: true;
  /** The files the entries cite, re-hashed: set when the files were checked; a broken one fails the case. */
  evidence?: EvidenceVerification;
}

/** Checks one chain as read, against its anchored head when there is one. Pure. */
export function checkChain(
  caseId: string,
  entries: readonly AuditEntry[],
  anchored?: { head: ChainHead; anchorSeq: number },
  hasRecord = false,
  recordHead: RecordedHead | null = null,
): CaseVerification {
  const result = verifyChain(entries, caseId);
  let broken: BrokenEntry | null = result.ok
    ? null
    : { seq: result.brokenAt, problem: result.problem, expected: result.expected, found: result.found };
  // A case record is only ever written together with an audit entry, so a record
  // without a trail means the trail was deleted, even before any anchor saw it.
  if (hasRecord && entries.length === 0) broken = { seq: 1, problem: 'gap', expected: '1', found: 'none' };
  // The record moves its head in the same transaction as every append, so a trail that
  // ends anywhere else lost or gained entries at its end (records without a head predate this).
  const tail = broken === null && recordHead ? verifyRecordedHead(entries, recordHead) : null;
  if (tail)
    broken = { seq: tail.brokenAt, problem: tail.problem, expected: tail.expected, found: tail.found };
  const last = entries[entries.length - 1];
  let anchor: CaseVerification['anchor'] = null;
  if (anchored) {
    const { head, anchorSeq } = anchored;
    const now = chainHeadAt(entries, head.seq);
    const status: AnchorCaseStatus =
      entries.length === 0
        ? 'missing'
        : now && now.seq === head.seq && now.hash === head.hash
          ? 'intact'
          : 'rewritten';
    anchor = {
      seq: head.seq,
      anchorSeq,
      hash: head.hash,
      status,
      found: now ? { seq: now.seq, hash: now.hash } : null,
    };
  }
  return {
    caseId,
    ok: broken === null && (anchor === null || anchor.status === 'intact'),
    count: entries.length,
    head: last ? { seq: last.seq, hash: last.hash } : null,
    ...(recordHead ? { recordHead: { seq: recordHead.seq, hash: recordHead.hash } } : {}),
    broken,
    anchor,
  };
}

/**
 * A case's chain with the head its record carries, read so that they agree
 * unless the table was tampered with: the record is read before and after the
 * chain, and an append that lands in between (moving the record) means reading
 * again. `given` entries (already read by the caller) are used when they match.
 */
export async function readChainWithHead(
  deps: AwsDeps,
  caseId: string,
  given?: readonly AuditEntry[],
): Promise<{ entries: readonly AuditEntry[]; recordHead: RecordedHead | null }> {
  const same = (a: RecordedHead | null, b: RecordedHead | null) =>
    a === b || (a !== null && b !== null && a.seq === b.seq && a.hash === b.hash);
  let entries: readonly AuditEntry[] = given ?? [];
  let before: RecordedHead | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    before = (await recordedHead(deps.ddb, deps.tables, caseId)).head;
    entries = attempt === 0 && given ? given : await readChain(deps.ddb, deps.tables, caseId);
    if (before === null || verifyRecordedHead(entries, before) === null) break;
    // Entries read before the record may simply be older than it: read them again.
    if (attempt === 0 && given) continue;
    if (same(before, (await recordedHead(deps.ddb, deps.tables, caseId)).head)) break;
  }
  return { entries, recordHead: before };
}

export interface AnchorCheck {
  seq: number;
  anchorId: string;
  at: string;
  root: string;
  caseCount: number;
  findings: AnchorFindings;
  /** The chain of anchors itself. */
  chain: { ok: true; count: number } | { ok: false; broken: BrokenEntry };
  /** The stored list of heads recomputes to the anchored root. */
  heads: { ok: true } | { ok: false; detail: string };
  /** Seqs of entries in the anchor chain that are not anchors (only the anchor job writes there). */
  strays: number[];
  /**
   * Anchor rows no completed (or running) anchor run stands behind, since the witnessed run's
   * predecessor: forged. Empty when Temporal was not asked (no witness, or no way to ask).
   */
  forged: ForgedAnchor[];
  /**
   * The anchor as recorded outside DynamoDB (the anchor workflow's result in
   * Temporal), compared with the anchor chain's entry at that seq: what catches
   * a writer who rewrote chains, heads and anchors alike. Null when none was given.
   */
  witness:
    | (AnchorWitness & {
        matches: boolean;
        found: { hash: string; root: string } | null;
        /**
         * Cases the witnessed anchor held that an anchor after it no longer carries (heads
         * carry forward, so only a forged anchor drops one): reported as missing.
         */
        dropped: string[];
        /** Set when the witnessed anchor's own heads can no longer be read, so drops can't be checked. */
        problem?: string;
      })
    | null;
}

export type { AnchorRuns, AnchorRunStatus, AnchorWitness, ForgedAnchor } from './anchor-witness.ts';

export interface LoadedAnchor {
  check: AnchorCheck | null;
  heads: Map<string, ChainHead>;
  /** The witnessed heads of cases a later anchor dropped (see AnchorCheck.witness.dropped). */
  dropped: Map<string, ChainHead>;
  /** Every head of the witnessed anchor, read against the root its run recorded. */
  witnessed: Map<string, ChainHead>;
}

/** The latest anchor with its chain and heads checked; heads are empty when they can't be trusted. */
export async function loadAnchor(
  deps: AwsDeps,
  witness?: AnchorWitness | null,
  runs?: AnchorRuns,
): Promise<LoadedAnchor> {
  for (let attempt = 0; ; attempt++) {
    const entries = await readChain(deps.ddb, deps.tables, ANCHOR_CHAIN_ID);
    let anchor: ReturnType<typeof anchorFromEntry> = null;
    const strays: number[] = [];
    for (const e of entries) {
      const a = anchorFromEntry(e);
      if (a) anchor = a;
      else strays.push(e.seq);
    }
    if (!anchor) return { check: null, heads: new Map(), dropped: new Map(), witnessed: new Map() };
    const chainResult = verifyChain(entries, ANCHOR_CHAIN_ID);
    const chain: AnchorCheck['chain'] = chainResult.ok
      ? { ok: true, count: chainResult.count }
      : {
          ok: false,
          broken: {
            seq: chainResult.brokenAt,
            problem: chainResult.problem,
            expected: chainResult.expected,
            found: chainResult.found,
          },
        };
    let heads: AnchorCheck['heads'] = { ok: true };
    const map = new Map<string, ChainHead>();
    try {
      for (const h of await readAnchorHeads(deps.ddb, deps.tables, anchor)) map.set(h.caseId, h);
    } catch (err) {
      if (!(err instanceof AnchorHeadsError)) throw err;
      // A newer anchor sealed (and the old heads pruned) while we read: start over from it.
      if (attempt < 4 && (await latestAnchor(deps.ddb, deps.tables))?.seq !== anchor.seq) continue;
      heads = { ok: false, detail: err.message };
    }
    let witnessed: AnchorCheck['witness'] = null;
    let dropped = new Map<string, ChainHead>();
    if (witness) {
      const entry = entries.find((e) => e.seq === witness.seq);
      const stored = entry ? anchorFromEntry(entry) : null;
      const found = stored ? { hash: stored.hash, root: stored.root } : null;
      const matches = found !== null && found.hash === witness.hash && found.root === witness.root;
      witnessed = { ...witness, matches, found, dropped: [] };
      // Trust the newest anchor only as far as it kept every case the witness vouches for.
      if (stored && matches && heads.ok && anchor.seq > stored.seq) {
        const carried = await droppedSince(deps, entries, stored, { seq: anchor.seq, heads: map });
        dropped = carried.dropped;
        witnessed.dropped = [...dropped.keys()].sort();
        if (carried.problem) witnessed.problem = carried.problem;
      }
    }
    // The witnessed run's own heads check every case again below, whatever the newest row says.
    const fromWitness: { heads: Map<string, ChainHead>; problem?: string } = witness
      ? await witnessedHeads(deps, entries, witness)
      : { heads: new Map() };
    if (witnessed && fromWitness.problem && witnessed.problem === undefined)
      witnessed.problem = fromWitness.problem;
    const forged = witness && runs ? await unbackedAnchors(entries, witness, runs) : [];
    const { seq, anchorId, at, root, caseCount, findings } = anchor;
    return {
      check: {
        seq,
        anchorId,
        at,
        root,
        caseCount,
        findings,
        chain,
        heads,
        strays,
        forged,
        witness: witnessed,
      },
      heads: map,
      dropped,
      witnessed: fromWitness.heads,
    };
  }
}

/**
 * The heads of the witnessed anchor that some anchor after it no longer carries. The
 * newest anchor's heads are the ones already read; older ones whose head lists were
 * pruned are skipped (the newest carries forward whatever they held).
 */
async function droppedSince(
  deps: AwsDeps,
  entries: readonly AuditEntry[],
  witnessed: StoredAnchor,
  newest: { seq: number; heads: Map<string, ChainHead> },
): Promise<{ dropped: Map<string, ChainHead>; problem?: string }> {
  const dropped = new Map<string, ChainHead>();
  let base: ChainHead[];
  try {
    base = await readAnchorHeads(deps.ddb, deps.tables, witnessed);
  } catch (err) {
    if (!(err instanceof AnchorHeadsError)) throw err;
    return { dropped, problem: `the witnessed anchor's heads cannot be read: ${err.message}` };
  }
  for (const e of entries) {
    const later = e.seq > witnessed.seq ? anchorFromEntry(e) : null;
    if (!later) continue;
    let ids: Set<string>;
    if (later.seq === newest.seq) ids = new Set(newest.heads.keys());
    else {
      try {
        ids = new Set((await readAnchorHeads(deps.ddb, deps.tables, later)).map((h) => h.caseId));
      } catch (err) {
        if (err instanceof AnchorHeadsError) continue;
        throw err;
      }
    }
    for (const h of base) if (!ids.has(h.caseId) && !dropped.has(h.caseId)) dropped.set(h.caseId, h);
  }
  return { dropped };
}

/** The anchored head of one case from the latest anchor (whose heads are checked once and cached). */
async function anchoredHead(
  deps: AwsDeps,
  caseId: string,
): Promise<{ anchored?: { head: ChainHead; anchorSeq: number }; anchorProblem?: string }> {
  try {
    const latest = await latestAnchorWithHeads(deps.ddb, deps.tables);
    const head = latest?.heads.find((h) => h.caseId === caseId);
    return head && latest ? { anchored: { head, anchorSeq: latest.anchor.seq } } : {};
  } catch (err) {
    if (err instanceof AnchorHeadsError) return { anchorProblem: err.message };
    throw err;
  }
}

/**
 * Checks one case's chain, against the latest anchor when it covers the case. `entries`, when
 * the caller already read them, are used as long as they still agree with the record's head.
 */
export async function verifyEntries(
  deps: AwsDeps,
  caseId: string,
  entries: readonly AuditEntry[] | undefined,
  opts: { hasRecord?: boolean; witness?: AnchorWitness | null } = {},
): Promise<CaseVerification & { anchorProblem?: string | undefined }> {
  const [anchor, read, fromWitness] = await Promise.all([
    anchoredHead(deps, caseId),
    readChainWithHead(deps, caseId, entries),
    opts.witness
      ? witnessedHeads(deps, [], opts.witness)
      : Promise.resolve({ heads: new Map<string, ChainHead>() }),
  ]);
  const witnessHead = fromWitness.heads.get(caseId);
  if (witnessHead && opts.witness) {
    const against = checkChain(
      caseId,
      read.entries,
      { head: witnessHead, anchorSeq: opts.witness.seq },
      opts.hasRecord ?? false,
      read.recordHead,
    );
    // The table's newest anchor may vouch for a rewritten chain; the witnessed run's head does not.
    if (against.anchor?.status !== 'intact') return { ...against, ok: false, againstWitness: true };
  }
  const checked = checkChain(caseId, read.entries, anchor.anchored, opts.hasRecord ?? false, read.recordHead);
  if (!anchor.anchorProblem) return checked;
  // The anchor that should vouch for this chain cannot be trusted: the chain is not verified.
  return { ...checked, ok: false, anchorProblem: anchor.anchorProblem };
}

/** Verifies one case's chain, read now, and against the latest anchor when it covers the case. */
export async function verifyCase(
  deps: AwsDeps,
  caseId: string,
  opts: { hasRecord?: boolean; witness?: AnchorWitness | null } = {},
): Promise<CaseVerification & { anchorProblem?: string | undefined }> {
  return verifyEntries(deps, caseId, undefined, opts);
}

export interface VerifySummary {
  checked: number;
  intact: number;
  /** Cases opened since the latest anchor: their chains are checked, but no anchor covers them yet. */
  notAnchored: number;
  broken: (BrokenEntry & { caseId: string })[];
  missing: string[];
  rewritten: {
    caseId: string;
    anchored: { seq: number; hash: string };
    found: { seq: number; hash: string } | null;
  }[];
  /**
   * The cited files, when the run checked them: how many, and each that no longer matches; with
   * them, each case whose record no longer holds the report its `detected` entry vouches for.
   */
  files?: {
    checked: number;
    broken: (BrokenEvidence & { caseId: string })[];
    openings?: { caseId: string; seq: number; changed: OpeningMismatch[] }[];
  };
  anchorOk: boolean;
  ok: boolean;
}

/**
 * What a full run reports, one event at a time (the API streams them as
 * NDJSON lines): `start` with the anchor checked and the number of cases,
 * `progress` every `progressEvery` cases, `case` for each case that fails,
 * and `summary` last.
 */
export type VerifyEvent =
  | {
      type: 'start';
      at: string;
      anchor: AnchorCheck | null;
      /** Set only when a witness names an anchor but the anchor chain holds none at all. */
      witnessWithoutAnchor?: AnchorWitness;
      total: number;
    }
  | { type: 'progress'; checked: number; total: number; problems: number }
  | ({ type: 'case' } & CaseVerification)
  | ({ type: 'summary' } & VerifySummary);

/** Verifies every chain: each one's links, and each anchored case against the latest anchor. */
export async function* verifyAll(
  deps: AwsDeps,
  opts: {
    progressEvery?: number;
    concurrency?: number;
    now?: () => Date;
    witness?: AnchorWitness | null;
    /** How to ask Temporal about the run behind each recent anchor row (unset: not asked). */
    runs?: AnchorRuns;
    /** Where the cited files are read back to be re-hashed, as a single case's verify does (unset: not read). */
    evidence?: EvidenceReadDeps;
  } = {},
): AsyncGenerator<VerifyEvent> {
  const progressEvery = opts.progressEvery ?? 50;
  const { check, heads, dropped, witnessed } = await loadAnchor(deps, opts.witness, opts.runs);
  const ids = new Set<string>([...heads.keys(), ...dropped.keys(), ...witnessed.keys()]);
  const withRecord = new Set<string>();
  for await (const id of caseIds(deps.ddb, deps.tables)) {
    ids.add(id);
    withRecord.add(id);
  }
  const total = ids.size;
  // The anchors were deleted outright, yet something outside the table remembers one.
  const anchorsGone = check === null && opts.witness ? opts.witness : undefined;
  yield {
    type: 'start',
    at: (opts.now?.() ?? new Date()).toISOString(),
    anchor: check,
    ...(anchorsGone ? { witnessWithoutAnchor: anchorsGone } : {}),
    total,
  };

  const summary: VerifySummary = {
    checked: 0,
    intact: 0,
    notAnchored: 0,
    broken: [],
    missing: [],
    rewritten: [],
    ...(opts.evidence ? { files: { checked: 0, broken: [] } } : {}),
    anchorOk:
      (check === null && !anchorsGone) ||
      (check !== null &&
        check.chain.ok &&
        check.heads.ok &&
        check.strays.length === 0 &&
        check.forged.length === 0 &&
        (check.witness === null ||
          (check.witness.matches &&
            check.witness.dropped.length === 0 &&
            check.witness.problem === undefined))),
    ok: false,
  };
  let problems = 0;
  const evidence = opts.evidence;
  const results = mapConcurrent([...ids].sort(), opts.concurrency ?? 8, async (caseId) => {
    const { entries, recordHead } = await readChainWithHead(deps, caseId);
    const r = checkOne(caseId, entries, recordHead);
    if (!evidence) return r;
    const files = await checkCaseEvidence(evidence, caseId, entries);
    return { ...r, ok: r.ok && evidenceIntact(files), evidence: files };
  });
  function checkOne(
    caseId: string,
    entries: readonly AuditEntry[],
    recordHead: RecordedHead | null,
  ): CaseVerification {
    const head = heads.get(caseId);
    const witnessedHead = dropped.get(caseId);
    if (witnessedHead && opts.witness) {
      // Dropped by a later anchor: checked against the head the witnessed anchor holds.
      const r = checkChain(
        caseId,
        entries,
        { head: witnessedHead, anchorSeq: opts.witness.seq },
        withRecord.has(caseId),
        recordHead,
      );
      return { ...r, ok: false, droppedFromAnchor: true as const };
    }
    const witnessHead = witnessed.get(caseId);
    if (witnessHead && opts.witness) {
      const r = checkChain(
        caseId,
        entries,
        { head: witnessHead, anchorSeq: opts.witness.seq },
        withRecord.has(caseId),
        recordHead,
      );
      // The newest row may be a forgery vouching for a rewritten chain; the run's own head is not.
      if (r.anchor?.status !== 'intact') return { ...r, ok: false, againstWitness: true as const };
    }
    return checkChain(
      caseId,
      entries,
      head && check ? { head, anchorSeq: check.seq } : undefined,
      withRecord.has(caseId),
      recordHead,
    );
  }
  for await (const r of results) {
    summary.checked += 1;
    if (r.anchor === null) summary.notAnchored += 1;
    if (summary.files && r.evidence) {
      summary.files.checked += r.evidence.checked;
      for (const b of r.evidence.broken) summary.files.broken.push({ caseId: r.caseId, ...b });
      const opening = r.evidence.opening;
      if (opening && opening.changed.length > 0)
        (summary.files.openings ??= []).push({ caseId: r.caseId, ...opening });
    }
    if (r.ok) summary.intact += 1;
    else {
      problems += 1;
      if (r.broken) summary.broken.push({ caseId: r.caseId, ...r.broken });
      if (r.anchor?.status === 'missing' || dropped.has(r.caseId)) summary.missing.push(r.caseId);
      if (r.anchor?.status === 'rewritten')
        summary.rewritten.push({
          caseId: r.caseId,
          anchored: { seq: r.anchor.seq, hash: r.anchor.hash },
          found: r.anchor.found,
        });
      yield { type: 'case', ...r };
    }
    if (summary.checked % progressEvery === 0 && summary.checked < total) {
      yield { type: 'progress', checked: summary.checked, total, problems };
    }
  }
  const byId = (a: { caseId: string }, b: { caseId: string }) => (a.caseId < b.caseId ? -1 : 1);
  summary.broken.sort(byId);
  summary.missing.sort();
  summary.rewritten.sort(byId);
  summary.files?.broken.sort((a, b) => a.caseId.localeCompare(b.caseId) || a.seq - b.seq);
  summary.files?.openings?.sort(byId);
  summary.ok = summary.anchorOk && problems === 0;
  yield { type: 'progress', checked: summary.checked, total, problems };
  yield { type: 'summary', ...summary };
}
