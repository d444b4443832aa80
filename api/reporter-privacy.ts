import type { CaseView, Reporter } from '../domain/case-model.ts';
import type { Directory } from '../domain/directory.ts';
import type { Bilingual } from '../domain/text.ts';
import type { Caller } from './auth.ts';
import { readRefusal } from './middleware/access.ts';

/**
 * What a case tells a reader of its reporter. Staff who read a case only because it is in their
 * hands (its assignee or responsible person) are the people a report may be about: they never get
 * a reporter's contact, and on a complaint about staff not the reporter's name either, so a
 * student can complain about the person who then handles the complaint. Everyone who reads the
 * case for another reason (its building's supervisors, its grid, whoever opened it, the working
 * group, leadership, auditors, admins) keeps seeing the reporter. The case page and the JSON view
 * both ask here, so they agree.
 */
export type ReporterShown = 'all' | 'no_contact' | 'none';

type Read = Pick<CaseView, 'location' | 'assigneeId' | 'responsibleId' | 'openedBy' | 'source' | 'category'>;

/** A complaint about a staff member, as intake files one (reportKindInfo.complaint). */
export const isComplaintAboutStaff = (v: Pick<CaseView, 'source' | 'category'>): boolean =>
  v.source === 'complaint' && v.category === 'staff';

/** How much of the reporter `caller` sees on this case (read access already granted). */
export function reporterShownTo(caller: Caller, dir: Directory, view: Read): ReporterShown {
  // The read rule asked again with the case in nobody's hands: allowed means another reason.
  const otherReason = readRefusal(caller, dir, { ...view, assigneeId: '', responsibleId: '' }) === null;
  if (otherReason) return 'all';
  return isComplaintAboutStaff(view) ? 'none' : 'no_contact';
}

/** What stands for a reporter's name withheld from the reader. */
export const WITHHELD_REPORTER: Bilingual = { zh: '匿名（已隐去）', en: 'Withheld' };

/** A reporter's actor id that carries their email (`reporter:<email>`, domain reporterActorId). */
const isContactId = (id: string): boolean => id.startsWith('reporter:') && id.includes('@');

/** The id a reader without the reporter's contact sees for one that carries it. */
export const REPORTER_ID_WITHHELD = 'reporter';

const idFor = (id: string) => (isContactId(id) ? REPORTER_ID_WITHHELD : id);

function reporterFor(reporter: Reporter, shown: ReporterShown): Reporter {
  return {
    // One string for a JSON reader of either language, zh first as the API's messages are.
    name: shown === 'none' ? `${WITHHELD_REPORTER.zh} / ${WITHHELD_REPORTER.en}` : reporter.name,
    ...(reporter.language ? { language: reporter.language } : {}),
    ...(reporter.reportId ? { reportId: reporter.reportId } : {}),
  };
}

/**
 * The case view as `shown` lets its reader have it: the reporter without email or directory
 * person (and, for `none`, without name), and every id that carries the reporter's email
 * (a rating's actor, a reminder's recipient) as plain `reporter`.
 */
export function viewForReader(view: CaseView, shown: ReporterShown): CaseView {
  if (shown === 'all') return view;
  return {
    ...view,
    reporter: view.reporter ? reporterFor(view.reporter, shown) : undefined,
    timeline: view.timeline.map((e) => ({ ...e, actorId: idFor(e.actorId) })),
    notices: view.notices.map((n) => ({ ...n, to: n.to.map(idFor) })),
  };
}

/**
 * Text of the case's record (a failure message may quote a recipient) without the reporter's
 * email, for a reader who may not have it.
 */
export function withoutContact(text: string, reporter: Reporter | undefined, said: string): string {
  const email = reporter?.email;
  if (!email) return text;
  const escaped = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(escaped, 'giu'), said);
}
