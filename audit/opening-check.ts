import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CaseView } from '../domain/case-model.ts';
import type { AuditEntry } from '../domain/hash-chain.ts';
import { openingReport } from '../domain/opening-report.ts';

/**
 * The report a case was opened with, against its first audit entry: the `detected` entry of a
 * case opened since it carries the title and the description's SHA-256 (domain/opening-report.ts),
 * and the case record must still hold that title and a description of that hash. A description
 * edited in the table, or a photo reference on it swapped for another, fails the case as a
 * replaced file does. Pure: the caller reads the record.
 */

export type OpeningField = 'title' | 'description';

export interface OpeningMismatch {
  field: OpeningField;
  /** What the entry vouches for (the title, or the description's SHA-256), and what the record holds. */
  expected: string;
  found: string;
}

export interface OpeningVerification {
  /** The `detected` entry that carries the report. */
  seq: number;
  changed: OpeningMismatch[];
}

// As the store keeps a payload that fits inline (payloadForStorage): under `payload`.
const storedReport = z.object({
  payload: z.object({ title: z.string(), descriptionSha256: z.string().regex(/^[0-9a-f]{64}$/) }),
});

/** The `detected` entry's report, or null for a case opened before entries carried it. */
export function openingReportIn(
  entries: readonly AuditEntry[],
): { seq: number; title: string; descriptionSha256: string } | null {
  const detected = entries.find((e) => e.action === 'detected');
  const stored = storedReport.safeParse(detected?.payload);
  if (!detected || !stored.success) return null;
  return { seq: detected.seq, ...stored.data.payload };
}

const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Null when the entries carry no report, or there is no record to compare (checked elsewhere). */
export function checkOpening(
  entries: readonly AuditEntry[],
  record: Pick<CaseView, 'title' | 'description'> | null,
): OpeningVerification | null {
  const cited = openingReportIn(entries);
  if (!cited || !record) return null;
  // Hashed here with node:crypto, not the workflow's own code: the two must agree on their own.
  const now = openingReport(record, nodeSha256);
  const changed: OpeningMismatch[] = [];
  if (now.title !== cited.title) changed.push({ field: 'title', expected: cited.title, found: now.title });
  if (now.descriptionSha256 !== cited.descriptionSha256)
    changed.push({ field: 'description', expected: cited.descriptionSha256, found: now.descriptionSha256 });
  return { seq: cited.seq, changed };
}
