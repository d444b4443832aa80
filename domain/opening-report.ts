import { EVIDENCE_REF_PATTERN } from './evidence-ref.ts';
import { textSha256 } from './text-sha256.ts';

/**
 * The problem as it was reported, as a case's first audit entry (`detected`) vouches for it: the
 * title as written, the description by its SHA-256 (it may run to 5,000 characters, which the
 * entry would otherwise repeat in the workflow's history and push past the size an entry keeps
 * inline; the text itself is the case record's), and every file the description cites (the
 * photos a report, an inspection item or the new-case form came with), as a rectification
 * cites its evidence: `evidence:<id>#sha256=<hex>`, each once, in the order written.
 */
export interface OpeningReport {
  title: string;
  descriptionSha256: string;
  evidence: string[];
}

export function openingReport(
  c: { title: string; description: string },
  sha256: (text: string) => string = textSha256,
): OpeningReport {
  const evidence = [...new Set([...c.description.matchAll(EVIDENCE_REF_PATTERN)].map((m) => m[0]))];
  return { title: c.title, descriptionSha256: sha256(c.description), evidence };
}
