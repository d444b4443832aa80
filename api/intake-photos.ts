import type { Bilingual } from '../domain/text.ts';
import { discardOwnerEvidence } from '../store/evidence-discard.ts';
import { putEvidence, type EvidenceDeps } from '../store/evidence.ts';

/**
 * The photos of the public report form: which files the reporter chose, those that cannot be
 * sent because they are empty, and storing them for a new report all or none.
 */

export interface ChosenPhotos {
  /** Every file the reporter chose, empty or not: all must be chosen again if the form comes back. */
  chosen: File[];
  /** The files with bytes, to check and store. */
  photos: File[];
  /** Files chosen with nothing in them (a photo still syncing from the cloud, a broken export). */
  empty: File[];
}

export function chosenPhotos(raw: unknown): ChosenPhotos {
  const files = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((p): p is File => p instanceof File);
  // A file input left empty sends one part with no name and no bytes: nothing was chosen.
  const chosen = files.filter((p) => p.name !== '' || p.size > 0);
  return { chosen, photos: chosen.filter((p) => p.size > 0), empty: chosen.filter((p) => p.size === 0) };
}

/** A file's name as the page may repeat it: no control or format characters, not past a line. */
const shownName = (f: File) => f.name.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 80) || '?';

/** Why the form comes back when a chosen photo is empty, naming the files. */
export function emptyPhotosText(empty: readonly File[]): Bilingual {
  const names = empty.map(shownName);
  return {
    zh: `${names.map((n) => `「${n}」`).join('、')}是空文件（0 字节），无法上传；请重新选择${empty.length > 1 ? '这些' : '这张'}照片`,
    en: `${names.map((n) => `“${n}”`).join(', ')} ${empty.length > 1 ? 'are empty files' : 'is an empty file'} (0 bytes) and cannot be sent; choose ${empty.length > 1 ? 'those photos' : 'that photo'} again`,
  };
}

/**
 * Stores a new report's photos, all or none: when one cannot be stored, those stored before it
 * (and any part of it) are removed before the error is passed on, since no report will cite them.
 */
export async function storeReportPhotos(
  deps: EvidenceDeps,
  reportId: string,
  photos: readonly File[],
): Promise<string[]> {
  const refs: string[] = [];
  try {
    for (const file of photos) {
      const saved = await putEvidence(deps, {
        caseId: reportId,
        uploaderId: `reporter:${reportId}`,
        file,
        photosOnly: true,
      });
      refs.push(saved.ref);
    }
    return refs;
  } catch (err) {
    await discardReportPhotos(deps, reportId, refs);
    throw err;
  }
}

/**
 * Removes the photos stored for a report that was not kept. Best effort: a failure is logged
 * with where the files are and never hides the answer the reporter is waiting for.
 */
export async function discardReportPhotos(
  deps: EvidenceDeps,
  reportId: string,
  refs: readonly string[],
): Promise<void> {
  try {
    const removed = await discardOwnerEvidence(deps, reportId, refs);
    if (removed > 0)
      console.warn(
        `[intake] report ${reportId} was not kept: removed the ${removed} photo file(s) it stored`,
      );
  } catch (err) {
    console.warn(
      `[intake] report ${reportId} was not kept; its photos could not be removed (evidence/${reportId}/, sealed/evidence/${reportId}/)`,
      err,
    );
  }
}
