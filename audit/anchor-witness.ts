import type { AuditEntry, ChainHead } from '../domain/hash-chain.ts';
import { AnchorHeadsError, anchorFromEntry, chunksFor, readAnchorHeads } from '../store/anchors.ts';
import type { AwsDeps } from '../store/clients.ts';

/**
 * What the anchor workflow's own runs say about the anchors in the table. Temporal keeps each
 * run's result out of reach of anyone who can only write to DynamoDB, so an anchor row is
 * believed only as far as a run stands behind it.
 */

/** An anchor as some system other than the audit table remembers it (the newest completed run's result). */
export interface AnchorWitness {
  source: string;
  seq: number;
  hash: string;
  root: string;
  /** The run's own anchorId and case count: enough to read its heads without trusting the table's entry. */
  anchorId?: string | undefined;
  caseCount?: number | undefined;
  /** The seq of the anchor that run built on (its predecessor run's), null for the first. */
  basedOn?: number | null | undefined;
}

/** What Temporal knows of the run named by an anchor's id (`<workflowId>/<runId>`). */
export type AnchorRunStatus =
  { status: 'completed'; seq: number; hash: string } | { status: 'running' } | { status: 'absent' };

export type AnchorRuns = (anchorId: string) => Promise<AnchorRunStatus>;

/** An anchor row no completed anchor run stands behind. */
export interface ForgedAnchor {
  seq: number;
  anchorId: string;
  at: string;
  /** `no_run`: no anchor run of that id exists; `result_differs`: the run recorded another anchor. */
  problem: 'no_run' | 'result_differs';
}

// Anchors are daily; a window this wide covers two months of them even when the witness is old.
const RUNS_CHECKED = 60;

/**
 * The anchor rows since the witnessed run's predecessor that no completed (or still running)
 * anchor run stands behind. Older rows are not asked about: their runs may be past the
 * namespace's retention, and each was checked while it was recent.
 */
export async function unbackedAnchors(
  entries: readonly AuditEntry[],
  witness: AnchorWitness,
  runs: AnchorRuns,
): Promise<ForgedAnchor[]> {
  const floor = typeof witness.basedOn === 'number' ? witness.basedOn : witness.seq;
  const candidates = entries
    .map((e) => anchorFromEntry(e))
    .filter((a): a is NonNullable<typeof a> => a !== null && a.seq > floor && a.seq !== witness.seq)
    .slice(-RUNS_CHECKED);
  const forged: ForgedAnchor[] = [];
  for (const a of candidates) {
    const run = await runs(a.anchorId);
    if (run.status === 'running') continue;
    if (run.status === 'completed' && run.seq === a.seq && run.hash === a.hash) continue;
    forged.push({
      seq: a.seq,
      anchorId: a.anchorId,
      at: a.at,
      problem: run.status === 'completed' ? 'result_differs' : 'no_run',
    });
  }
  return forged;
}

/**
 * The heads the witnessed anchor holds, read under its own id and checked against the root its
 * run recorded (not the table's entry), so they hold whatever was written to the table since.
 * Without the run's id and count, the table's entry at the witnessed seq names them, if its
 * root is the witnessed one.
 */
export async function witnessedHeads(
  deps: Pick<AwsDeps, 'ddb' | 'tables'>,
  entries: readonly AuditEntry[],
  witness: AnchorWitness,
): Promise<{ heads: Map<string, ChainHead>; problem?: string }> {
  let { anchorId, caseCount } = witness;
  if (anchorId === undefined || caseCount === undefined) {
    const entry = entries.find((e) => e.seq === witness.seq);
    const stored = entry ? anchorFromEntry(entry) : null;
    if (!stored || stored.root !== witness.root) return { heads: new Map() };
    ({ anchorId, caseCount } = stored);
  }
  try {
    const heads = await readAnchorHeads(deps.ddb, deps.tables, {
      anchorId,
      root: witness.root,
      caseCount,
      chunkCount: chunksFor(caseCount),
    });
    return { heads: new Map(heads.map((h) => [h.caseId, h])) };
  } catch (err) {
    if (!(err instanceof AnchorHeadsError)) throw err;
    return { heads: new Map(), problem: `the witnessed anchor's heads cannot be read: ${err.message}` };
  }
}
