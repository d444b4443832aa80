/** Every evidence reference (`evidence:<id>#sha256=<hex>`) inside a text (global: use with matchAll). */
export const EVIDENCE_REF_PATTERN = /evidence:(ev_[A-Za-z0-9_-]{16})#sha256=([0-9a-f]{64})/g;

/** The labels a form writes before the photo references it appends to a text (review, triage). */
const PHOTO_LABELS: ReadonlySet<string> = new Set(['复查照片 / Review photos:', '照片 / Photos:']);

/**
 * A step's notes as people read them, and the photos they carry: the review form appends its
 * photos to the notes (`复查照片 / Review photos: evidence:…`), which the audit chain keeps as
 * written, but a reader wants the words, with the photos shown (or counted) apart. The
 * references are taken out, a line left holding only a photo label is dropped, the rest kept.
 */
export function notesWithoutEvidence(notes: string): { text: string; refs: string[] } {
  const refs = [...notes.matchAll(EVIDENCE_REF_PATTERN)].map((m) => m[0]);
  if (refs.length === 0) return { text: notes, refs };
  const lines = notes.split('\n').flatMap((line) => {
    // search, not test: the pattern is global, and test would carry its lastIndex to the next line.
    if (line.search(EVIDENCE_REF_PATTERN) === -1) return [line];
    const rest = line
      .replace(EVIDENCE_REF_PATTERN, '')
      .replace(/\s{2,}/gu, ' ')
      .trim();
    return rest === '' || PHOTO_LABELS.has(rest) ? [] : [rest];
  });
  return { text: lines.join('\n').trim(), refs };
}
