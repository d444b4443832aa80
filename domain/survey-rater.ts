import type { Directory } from './directory.ts';
import type { Bilingual } from './text.ts';

/** What a case says about who rates it and who worked on it. */
export interface RatedCase {
  reporter?: { email?: string | undefined; personId?: string | undefined } | undefined;
  openedBy: string;
  assigneeId: string;
  responsibleId?: string | undefined;
}

/**
 * Why this case's reporter may not rate it, or null. The return-visit survey is the reporter's
 * word on the work; someone who opened the case or did the work could otherwise name themselves
 * as its reporter and grade themselves. People are matched by the directory's email address.
 */
export function raterConflict(dir: Pick<Directory, 'people'>, c: RatedCase): Bilingual | null {
  const email = c.reporter?.email?.trim().toLowerCase();
  if (!email) return null;
  const involved = [c.openedBy, c.assigneeId, c.responsibleId].filter((id): id is string => Boolean(id));
  const self = dir.people.find((p) => involved.includes(p.id) && p.email.trim().toLowerCase() === email);
  if (!self) return null;
  return {
    zh: `报告人 ${email} 是本案的开案人或处理人（${self.id}），不能评价自己经手的案件`,
    en: `the reporter ${email} opened or handles this case (${self.id}) and may not rate their own case`,
  };
}

/**
 * Whether the case's reporter, as the directory knew them when the case opened, opened or handles
 * it: the workflow's word on `raterConflict` (no directory in a workflow, only the ids pinned at
 * opening), so such a case is not held in follow-up for a rating nobody may give.
 */
export function reporterInvolved(c: RatedCase): boolean {
  const id = c.reporter?.personId;
  return id !== undefined && [c.openedBy, c.assigneeId, c.responsibleId].includes(id);
}

/** The directory person with the reporter's email, to pin on the case when it opens. */
export function reporterPersonId(
  dir: Pick<Directory, 'people'>,
  email: string | undefined,
): string | undefined {
  const wanted = email?.trim().toLowerCase();
  if (!wanted) return undefined;
  return dir.people.find((p) => p.email.trim().toLowerCase() === wanted)?.id;
}
