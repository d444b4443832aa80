import type { AuditEntry } from '../domain/hash-chain.ts';
import { readChain } from '../store/audit-chain.ts';
import {
  checkEvidence,
  citedRefsIn,
  parseEvidenceRef,
  type EvidenceReadDeps,
  type EvidenceProblem,
} from '../store/evidence.ts';
import { getCaseRecord } from '../store/case-records.ts';
import { sourceReportOf } from '../store/reports.ts';
import { checkOpening, openingReportIn, type OpeningVerification } from './opening-check.ts';
import { mapConcurrent } from './scan.ts';

/**
 * The files behind a case's audit trail. A step that cites evidence carries
 * `evidence:<id>#sha256=<hex>`, and the entry's hash covers that text; the
 * chain therefore vouches for the file's hash, and the file itself is checked
 * here by hashing it again. A photo swapped in the store fails even though
 * every audit entry is intact. The files a case was opened with are cited by its `detected`
 * entry, which also vouches for the report's title and description (./opening-check.ts): the
 * case record is compared with it here too.
 */

export interface BrokenEvidence {
  /** The first entry citing the file. */
  seq: number;
  ref: string;
  evidenceId: string | null;
  /** `unreadable`: the store could not be asked, so the file is not vouched for either. */
  problem: EvidenceProblem | 'unreadable';
  expected?: string;
  found?: string;
}

export interface EvidenceVerification {
  /** Distinct references checked. */
  checked: number;
  broken: BrokenEvidence[];
  /** The report the case was opened with, against its record: absent when its entry carries none. */
  opening?: OpeningVerification;
}

/** Whether the files and the report a case's entries vouch for are all as they were. */
export const evidenceIntact = (e: EvidenceVerification): boolean =>
  e.broken.length === 0 && (e.opening?.changed.length ?? 0) === 0;

/** Every evidence reference the entries cite, each once, with the first entry that cites it. */
export function evidenceRefsIn(entries: readonly AuditEntry[]): { seq: number; ref: string }[] {
  // The same walk a step's input is checked with before it is taken (store/evidence.ts).
  const found = new Map<string, number>();
  for (const e of entries)
    for (const ref of citedRefsIn(e.payload)) if (!found.has(ref)) found.set(ref, e.seq);
  return [...found].map(([ref, seq]) => ({ ref, seq }));
}

/** Re-hashes every file a case's entries cite and reports those that no longer match. */
export async function checkCaseEvidence(
  deps: EvidenceReadDeps,
  caseId: string,
  entries: readonly AuditEntry[],
): Promise<EvidenceVerification> {
  const refs = evidenceRefsIn(entries);
  // A case triage opened from a scanned report carries the report's photos (kept under the
  // report's id) from its description on, and its steps may cite them.
  const sourceReportId = refs.length > 0 ? await sourceReportOf(deps.aws, caseId) : null;
  const broken: BrokenEvidence[] = [];
  for await (const b of mapConcurrent(refs, 4, async ({ ref, seq }): Promise<BrokenEvidence | null> => {
    try {
      const r = await checkEvidence(deps, ref, { caseId, sourceReportId });
      if (r.ok) return null;
      const { ok: _ok, ...rest } = r;
      return { seq, ...rest };
    } catch (err) {
      console.warn(
        `[audit] evidence ${ref} of ${caseId} unreadable`,
        err instanceof Error ? err.message : err,
      );
      return { seq, ref, evidenceId: parseEvidenceRef(ref)?.evidenceId ?? null, problem: 'unreadable' };
    }
  })) {
    if (b) broken.push(b);
  }
  broken.sort((a, b) => a.seq - b.seq || a.ref.localeCompare(b.ref));
  // The record is read only for a case whose entries carry the report to compare it with.
  const opening = openingReportIn(entries)
    ? checkOpening(entries, await getCaseRecord(deps.aws.ddb, deps.aws.tables, caseId))
    : null;
  return { checked: refs.length, broken, ...(opening ? { opening } : {}) };
}

/**
 * A case's verification with its files checked too: `evidence` is added and
 * `ok` turns false when a file is broken or the record's report is not the one recorded. Reads the chain when the caller has
 * not already.
 */
export async function withEvidence<V extends { caseId: string; ok: boolean }>(
  deps: EvidenceReadDeps,
  verification: V,
  entries?: readonly AuditEntry[],
): Promise<V & { evidence: EvidenceVerification }> {
  const read = entries ?? (await readChain(deps.aws.ddb, deps.aws.tables, verification.caseId));
  const evidence = await checkCaseEvidence(deps, verification.caseId, read);
  return { ...verification, ok: verification.ok && evidenceIntact(evidence), evidence };
}
