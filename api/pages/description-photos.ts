import { EVIDENCE_REF_PATTERN } from '../../store/evidence.ts';

/** Every evidence reference (`evidence:<id>#sha256=<hex>`) a text carries, in order. */
export const refsIn = (text: string) => [...text.matchAll(EVIDENCE_REF_PATTERN)].map((m) => m[0]);

/**
 * A description with the photos it cites (triage writes a report's photos into its case as
 * `照片 / Photos: evidence:…`): the text without the references, the line left holding only
 * that label dropped, every other word kept; the photos are shown as thumbnails.
 */
export function describedPhotos(text: string, shown: ReadonlySet<string>): { text: string; refs: string[] } {
  const refs = refsIn(text).filter((r) => shown.has(r));
  if (refs.length === 0) return { text, refs };
  const lines = text.split('\n').flatMap((line) => {
    if (!refsIn(line).some((r) => shown.has(r))) return [line];
    const rest = line
      .replace(EVIDENCE_REF_PATTERN, (r) => (shown.has(r) ? '' : r))
      .replace(/\s{2,}/gu, ' ')
      .trim();
    return rest === '' || rest === '照片 / Photos:' ? [] : [rest];
  });
  return { text: lines.join('\n'), refs };
}
