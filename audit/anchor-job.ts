import {
  hashEntry,
  verifyChain,
  anchorRoot,
  type AuditEntry,
  type ChainHead,
  type VerifyChainResult,
} from '../domain/hash-chain.ts';
import { chainHead, readChain, readChainFrom } from '../store/audit-chain.ts';
import {
  chunksFor,
  latestAnchorWithHeads,
  readAnchorHeads,
  sealAnchor,
  writeAnchorHeads,
  type AnchorBase,
  type AnchorRecord,
  type SealResult,
} from '../store/anchors.ts';
import type { AwsDeps } from '../store/clients.ts';
import { caseIds, mapConcurrent } from './scan.ts';

/**
 * The anchor job: walks every case (the cases table's byOpened index, plus
 * every case of the previous anchor), checks each chain from where the last
 * anchor saw it, and stores the heads for store/anchors.ts to seal.
 *
 * Heads carry forward: a case anchored once stays in every later anchor. When
 * a case's rows are gone, or its chain no longer passes through its anchored
 * head, the new anchor keeps the old head and names the case in its findings,
 * so deleting or rewriting a case cannot be laundered into the next anchor.
 */

// Findings are listed in the anchor entry up to this many ids per kind (counts are exact).
const FINDINGS_LISTED = 50;
const CONCURRENCY = 16;

/** What collecting the heads produced: the anchor's payload, not yet sealed. */
export type CollectResult = AnchorRecord;

type HeadOutcome = { head: ChainHead | null; finding?: 'missing' | 'rewritten' | 'broken' };

/** The last entry of a verified prefix: where a broken chain can still be anchored. */
function intactHead(caseId: string, entries: AuditEntry[], result: VerifyChainResult): ChainHead | null {
  if (result.ok) return result.head ? { caseId, ...result.head } : null;
  let last: AuditEntry | undefined;
  for (const [i, e] of entries.entries()) {
    if (e.seq !== i + 1 || e.seq >= result.brokenAt) break;
    last = e;
  }
  return last ? { caseId, seq: last.seq, hash: last.hash } : null;
}

/**
 * The head to anchor for one case. A case seen by an earlier anchor is only
 * read from its anchored entry on: that entry must still carry the anchored
 * hash, and every later entry must link to it.
 */
async function headFor(deps: AwsDeps, caseId: string, prev: ChainHead | undefined): Promise<HeadOutcome> {
  if (!prev) {
    const entries = await readChain(deps.ddb, deps.tables, caseId);
    // Never anchored, so its id came from the cases table: a record is written only together
    // with an entry, so a record with no trail at all had its trail deleted.
    if (entries.length === 0) return { head: null, finding: 'broken' };
    const result = verifyChain(entries, caseId);
    return result.ok
      ? { head: intactHead(caseId, entries, result) }
      : { head: intactHead(caseId, entries, result), finding: 'broken' };
  }
  const tail = await readChainFrom(deps.ddb, deps.tables, caseId, prev.seq);
  const first = tail[0];
  if (!first) {
    const now = await chainHead(deps.ddb, deps.tables, caseId);
    return { head: prev, finding: now ? 'rewritten' : 'missing' };
  }
  if (first.seq !== prev.seq || first.hash !== prev.hash) return { head: prev, finding: 'rewritten' };
  let last = first;
  for (const e of tail.slice(1)) {
    let recomputed: string | null;
    try {
      recomputed = hashEntry(e);
    } catch {
      recomputed = null;
    }
    if (e.caseId !== caseId || e.seq !== last.seq + 1 || e.prevHash !== last.hash || recomputed !== e.hash) {
      return { head: { caseId, seq: last.seq, hash: last.hash }, finding: 'broken' };
    }
    last = e;
  }
  return { head: { caseId, seq: last.seq, hash: last.hash } };
}

/**
 * The anchor to build on and its heads. Given the previous run's recorded result, its heads are
 * read under its anchorId and checked against the root that run recorded, so an anchor
 * slipped into the table since (linked to the real one, heads matching its own root) is
 * never built on. Only without a recorded result (the first run, or an offline one) is the
 * table's newest anchor taken.
 */
async function baseHeads(
  deps: AwsDeps,
  base: AnchorBase | null,
): Promise<{ seq: number | null; heads: ChainHead[] }> {
  if (base) {
    const heads = await readAnchorHeads(deps.ddb, deps.tables, {
      anchorId: base.anchorId,
      root: base.root,
      caseCount: base.caseCount,
      chunkCount: chunksFor(base.caseCount),
    });
    return { seq: base.seq, heads };
  }
  const latest = await latestAnchorWithHeads(deps.ddb, deps.tables);
  return { seq: latest?.anchor.seq ?? null, heads: latest?.heads ?? [] };
}

/**
 * Collects the head of every case, writes them in chunks under `anchorId`
 * and returns the root. Safe to repeat: the chunks are simply rewritten.
 */
export async function collectHeads(
  deps: AwsDeps,
  anchorId: string,
  onProgress: (done: number) => void = () => {},
  base: AnchorBase | null = null,
): Promise<CollectResult> {
  // Heads that no longer match their root stop the run: carrying forward unproven heads would launder them.
  const previous = await baseHeads(deps, base);
  const prevHeads = new Map<string, ChainHead>(previous.heads.map((h) => [h.caseId, h]));
  const seen = new Set<string>();
  async function* everyCase(): AsyncGenerator<string> {
    for await (const id of caseIds(deps.ddb, deps.tables)) {
      if (seen.has(id)) continue;
      seen.add(id);
      yield id;
    }
    // Cases whose record is gone are exactly the ones an anchor must not forget.
    for (const id of prevHeads.keys()) if (!seen.has(id)) yield id;
  }

  const heads: ChainHead[] = [];
  const found = { missing: [] as string[], rewritten: [] as string[], broken: [] as string[] };
  let done = 0;
  for await (const [caseId, out] of mapConcurrent(everyCase(), CONCURRENCY, async (id) => {
    return [id, await headFor(deps, id, prevHeads.get(id))] as const;
  })) {
    if (out.head) heads.push(out.head);
    if (out.finding) found[out.finding].push(caseId);
    done += 1;
    if (done % 100 === 0) onProgress(done);
  }
  heads.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const chunkCount = await writeAnchorHeads(deps, anchorId, heads);
  onProgress(done);
  const list = (ids: string[]) => [...ids].sort().slice(0, FINDINGS_LISTED);
  return {
    anchorId,
    root: anchorRoot(heads),
    caseCount: heads.length,
    chunkCount,
    basedOn: previous.seq,
    findings: {
      missing: list(found.missing),
      rewritten: list(found.rewritten),
      broken: list(found.broken),
      counts: {
        missing: found.missing.length,
        rewritten: found.rewritten.length,
        broken: found.broken.length,
      },
    },
  };
}

/** One anchor, start to end, outside Temporal (the offline CLI and tests). */
export async function anchorNow(
  deps: AwsDeps,
  anchorId: string,
  at = new Date().toISOString(),
): Promise<SealResult & { findings: CollectResult['findings'] }> {
  const collected = await collectHeads(deps, anchorId);
  return { ...(await sealAnchor(deps, { ...collected, at })), findings: collected.findings };
}
