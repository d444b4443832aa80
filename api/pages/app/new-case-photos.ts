// The photos a new-case form carries: checked with the other fields, kept before the case has a
// number (under a staging owner, as an inspection round's photos are), cited on the description's
// photo line that the case page shows as thumbnails, and handed to the case once it is open.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  adoptEvidence,
  checkedFile,
  EVIDENCE_REF_PATTERN,
  evidenceRef,
  EvidenceError,
  getEvidence,
  parseEvidenceRef,
  putEvidence,
} from '../../../store/evidence.ts';
import { CLAIM_PREFIX, STAGING_PREFIX } from '../../../domain/staged-evidence.ts';
import type { Bilingual } from '../../../domain/text.ts';
import type { AppDeps } from '../../deps.ts';

/** Photos one new case may carry: a few taken on the walk, as a scanned report's form takes. */
export const MAX_NEW_CASE_PHOTOS = 3;
/** The file input's name, and the name of the photos kept from a refused post. */
export const PHOTO_FIELD = 'photos';
export const KEPT_FIELD = 'keptPhotos';
/** Triage and inspection rounds cite a case's photos on this line; the case page shows them as thumbnails. */
export const PHOTO_LINE = '照片 / Photos: ';

export interface KeptPhoto {
  ref: string;
  fileName: string;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/**
 * The files the form's photo input sent. An empty input sends one nameless empty file, which is
 * no photo; a named empty file was chosen, and is refused as empty rather than dropped unsaid.
 */
export const postedPhotos = (posted: Record<string, unknown>): File[] =>
  asList(posted[PHOTO_FIELD]).filter((f): f is File => f instanceof File && (f.size > 0 || f.name !== ''));

/** Said beside the photo field when the chosen files were not kept. */
export const chooseAgain: Bilingual = {
  zh: '其他内容已保留，请重新选择照片',
  en: 'everything else is kept; choose the photos again',
};

/** How many photos a case was opened with, for its flash: "with 1 photo", "with 2 photos". */
export const withPhotoCount = (count: number): Bilingual =>
  count === 0
    ? { zh: '', en: '' }
    : { zh: `，附照片 ${count} 张`, en: ` with ${count} ${count === 1 ? 'photo' : 'photos'}` };

/** What is wrong with the photos sent (count, type, size, content), or null: nothing is stored yet. */
export async function photoProblem(files: File[], kept: number): Promise<Bilingual | null> {
  if (files.length + kept > MAX_NEW_CASE_PHOTOS)
    return {
      zh: `最多 ${MAX_NEW_CASE_PHOTOS} 张照片（本次 ${files.length + kept} 张）；${chooseAgain.zh}`,
      en: `at most ${MAX_NEW_CASE_PHOTOS} photos (${files.length + kept} sent); ${chooseAgain.en}`,
    };
  for (const file of files) {
    const refused = await checkedFile({ file, photosOnly: true }).then(
      () => null,
      (err: unknown) => {
        if (err instanceof EvidenceError) return err.text;
        throw err;
      },
    );
    if (refused)
      return {
        zh: `「${file.name}」：${refused.zh}；${chooseAgain.zh}`,
        en: `“${file.name}”: ${refused.en}; ${chooseAgain.en}`,
      };
  }
  return null;
}

/**
 * The photos a refused post had already stored and the form offers again (ticked): only this
 * person's, stored for a case not yet opened, with the hash their reference carries. Any other
 * is dropped and said so.
 */
export async function keptPhotos(
  deps: AppDeps,
  personId: string,
  posted: Record<string, unknown>,
): Promise<{ kept: KeptPhoto[]; dropped: boolean }> {
  const refs = [...new Set(asList(posted[KEPT_FIELD]).filter((v): v is string => typeof v === 'string'))];
  const kept: KeptPhoto[] = [];
  for (const ref of refs.slice(0, MAX_NEW_CASE_PHOTOS)) {
    const parsed = parseEvidenceRef(ref);
    const record = parsed ? await getEvidence(deps, parsed.evidenceId) : null;
    if (
      record?.status === 'confirmed' &&
      record.sha256 === parsed?.sha256 &&
      record.uploaderId === personId &&
      record.caseId.startsWith(STAGING_PREFIX)
    )
      kept.push({ ref, fileName: record.fileName });
  }
  return { kept, dropped: kept.length < refs.length };
}

/** The owner the kept photos of one form are taken for: the same for each post of that form (a double click). */
export const keptOwner = (personId: string, submissionKey: string | undefined) =>
  submissionKey === undefined
    ? `${CLAIM_PREFIX}${randomUUID()}`
    : `${CLAIM_PREFIX}${createHash('sha256').update(`${personId}\n${submissionKey}`).digest('hex').slice(0, 32)}`;

/**
 * Takes the kept photos for this submission before its case is opened, so that two posts of
 * other forms offering the same kept photo cannot both open a case citing it. Each moves to
 * `owner` only from a staging owner no other post has taken it under. The refs another post took.
 */
export async function claimKept(deps: AppDeps, kept: KeptPhoto[], owner: string): Promise<string[]> {
  const lost: string[] = [];
  for (const { ref } of kept) {
    const parsed = parseEvidenceRef(ref);
    const record = parsed ? await getEvidence(deps, parsed.evidenceId) : null;
    const from = record?.caseId ?? '';
    const free = from.startsWith(STAGING_PREFIX) && (from === owner || !from.startsWith(CLAIM_PREFIX));
    if (!free || !(await adoptEvidence(deps, ref, { from, to: owner }))) lost.push(ref);
  }
  return lost;
}

/** Gives kept photos back when their post opened no case, so the form that offers them again may take them. */
export async function releaseKept(deps: AppDeps, kept: KeptPhoto[], owner: string): Promise<void> {
  for (const { ref } of kept)
    await adoptEvidence(deps, ref, { from: owner, to: stagingOwner() }).catch((err: unknown) => {
      console.error('[web] new case: giving back a kept photo failed', err);
    });
}

/** A fresh owner for one submission's photos until its case has a number. */
export const stagingOwner = () => `${STAGING_PREFIX}${randomUUID()}`;

/**
 * Said on the photo field when a refused form could not keep the photos chosen on it (their
 * storing failed): the file input comes back empty, so it says to choose them again.
 */
export const notKept: Bilingual = {
  zh: '所选照片未能保留，请重新选择照片',
  en: 'The photos you chose were not kept: choose them again',
};

/**
 * Stores the valid photos of a post refused for its other fields, so the form offers them back
 * ticked instead of an empty file input the resubmission would leave them out of. Those stored,
 * and whether one could not be (the form then says to choose them again).
 */
export async function stageChosen(
  deps: AppDeps,
  personId: string,
  files: File[],
): Promise<{ staged: KeptPhoto[]; failed: boolean }> {
  const owner = stagingOwner();
  const staged: KeptPhoto[] = [];
  for (const file of files) {
    try {
      staged.push(await stagePhoto(deps, personId, owner, file));
    } catch (err) {
      console.error('[web] new case: keeping a photo of a refused form failed', err);
      return { staged, failed: true };
    }
  }
  return { staged, failed: false };
}

/** Stores one photo under its staging owner; its reference and name. */
export async function stagePhoto(
  deps: AppDeps,
  personId: string,
  owner: string,
  file: File,
): Promise<KeptPhoto> {
  const saved = await putEvidence(deps, { caseId: owner, uploaderId: personId, file, photosOnly: true });
  return { ref: saved.ref, fileName: saved.fileName };
}

const REF_LENGTH = evidenceRef(`ev_${'0'.repeat(16)}`, '0'.repeat(64)).length;
/** The characters the photo line takes in the description (with its line break), for the length check. */
export const photoLineLength = (count: number) =>
  count === 0 ? 0 : `\n${PHOTO_LINE}`.length + count * (REF_LENGTH + 1) - 1;

/** The description as the case keeps it: what was typed, then the photo line (space-separated, as triage writes it). */
export const withPhotoLine = (description: string, refs: string[]) =>
  refs.length === 0 ? description : `${description}\n${PHOTO_LINE}${refs.join(' ')}`;

const claimedInput = z.object({ description: z.string() });

/** The photos a case opened under an idempotency claim cites on its photo line (its payload is the case input). */
export function photosOfClaim(payload: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return [];
  }
  const input = claimedInput.safeParse(json);
  const line = input.success
    ? (input.data.description.split('\n').find((l) => l.startsWith(PHOTO_LINE)) ?? '')
    : '';
  return [...line.matchAll(EVIDENCE_REF_PATTERN)].map((m) => m[0]);
}

/**
 * Whether a post with the same submission key as an opened case sent that case's photos again:
 * none (a resend whose file input was emptied), or the same bytes, counted by their hashes.
 */
export async function samePhotos(claimed: string[], files: File[], kept: KeptPhoto[]): Promise<boolean> {
  if (files.length === 0 && kept.length === 0) return true;
  const hashOf = (ref: string) => parseEvidenceRef(ref)?.sha256 ?? ref;
  const posted = await Promise.all(
    files.map(async (f) =>
      createHash('sha256')
        .update(new Uint8Array(await f.arrayBuffer()))
        .digest('hex'),
    ),
  );
  const sent = [...posted, ...kept.map((k) => hashOf(k.ref))].sort();
  const had = claimed.map(hashOf).sort();
  return sent.length === had.length && sent.every((h, i) => h === had[i]);
}

/**
 * Hands the photos a just-opened case cites to it, from wherever they were staged (or already
 * its own: a repeated submit). From then on its page shows them and its audit finds them its own.
 * False when one could not be handed over (it stays stored, under its staging owner).
 */
export async function adoptPhotos(deps: AppDeps, refs: string[], caseId: string): Promise<boolean> {
  let all = true;
  for (const ref of refs) {
    const parsed = parseEvidenceRef(ref);
    const record = parsed ? await getEvidence(deps, parsed.evidenceId) : null;
    const from = record?.caseId ?? '';
    const ok =
      record !== null &&
      (from === caseId || from.startsWith(STAGING_PREFIX)) &&
      (await adoptEvidence(deps, ref, { from, to: caseId }));
    all &&= ok;
  }
  return all;
}
