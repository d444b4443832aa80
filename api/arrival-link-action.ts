import { recordsArrival } from '../domain/case-handling.ts';
import { isTerminal, type Actor, type CaseView } from '../domain/case-model.ts';
import { withSupervision } from '../domain/directory.ts';
import { casePagePath } from '../domain/email-content.ts';
import { arrivedUpdate } from '../workflows/rectification-case/messages.ts';
import type { ActionHandler, AppDeps } from './deps.ts';
import { departedAmong } from './directory-names.ts';
import { directoryOrFail, readCase } from './reads.ts';
import { nameOf, place, signerOf } from './pages/action-statement.ts';
import { noLongerOpen, PageOutcome } from './pages/link-page.tsx';
import { arrivalGone, arrivalPeopleGone, personIn } from './pages/step-gone.ts';
import { formatTime } from './pages/ui.tsx';

/** A complaint is answered, not attended on site (domain/case-handling.ts): its work is on the case page. */
const noArrivalForComplaint = (view: CaseView) =>
  new PageOutcome(
    409,
    'no_arrival',
    { zh: '投诉案件无需登记到场', en: 'A complaint has no arrival to record' },
    {
      zh: `案件 ${view.caseId} 是投诉，无需登记到场：请在案件页面提交原因分析，投诉的响应以此为准。`,
      en: `Case ${view.caseId} is a complaint, which is answered rather than attended on site: submit its root-cause analysis on the case page, which counts as its response.`,
    },
    undefined,
    { href: casePagePath(view.caseId), label: { zh: '打开案件页面', en: 'Open the case page' } },
  );

/**
 * The technician's "arrived" link (seed 000: "维修人员要填妥到场时间"), sent with a repair's
 * assignment: the page states the arrival, the POST records it on the case with the link's
 * signature. The running case decides whether it is still open to this person.
 */
export function arrivalActionHandlers(deps: AppDeps): Record<string, ActionHandler> {
  const arrived: ActionHandler = {
    async describe(claims) {
      const [{ view }, dir] = await Promise.all([readCase(deps, claims.caseId), directoryOrFail(deps)]);
      if (isTerminal(view.stage)) throw noLongerOpen(view);
      const done = view.timeline.find((e) => e.action === 'arrived');
      // Whoever the page names who has since left the directory, by their last name, marked so.
      const departed = await departedAmong(deps.aws, dir, done ? [done.actorId] : arrivalPeopleGone(view));
      if (done) {
        const at = formatTime(done.at, deps.env.CAMPUS_TZ);
        const who = personIn(dir, done.actorId, departed);
        throw new PageOutcome(
          410,
          'used',
          { zh: '已登记到场', en: 'The arrival is already recorded' },
          {
            zh: `案件 ${view.caseId} 已于 ${at} 由 ${who.zh} 登记到场，无需再次登记。`,
            en: `${who.en} recorded the arrival for case ${view.caseId} at ${at}; nothing more is needed.`,
          },
          undefined,
          // The work goes on on the case page, as the pages of a step no longer needed offer.
          { href: casePagePath(view.caseId), label: { zh: '打开案件页面', en: 'Open the case page' } },
        );
      }
      // A complaint's mail from before it stopped offering the link: there is no arrival to record.
      if (!recordsArrival(view.source)) throw noArrivalForComplaint(view);
      // Reassigned or handed over since the mail: the new technician has a link of their own.
      const gone = arrivalGone(claims.recipientId, view, dir, deps.env.CAMPUS_TZ, departed);
      if (gone) throw gone;
      // Each language with its own names and brackets: an English reader reads no full-width punctuation.
      const where = place(dir, view);
      const who = signerOf(nameOf(dir, claims.recipientId), claims.recipientId);
      return {
        title: { zh: '登记到场', en: 'Record the arrival on site' },
        summary: {
          zh: `${view.caseId} ${view.title} @ ${where.zh}`,
          en: `${view.caseId} ${view.title} @ ${where.en}`,
        },
        statement: {
          zh: `本人 ${who.zh} 确认现已到达案件 ${view.caseId}「${view.title}」的现场（${where.zh}）。`,
          en: `I, ${who.en}, confirm that I am now on site for case ${view.caseId} "${view.title}" (${where.en}).`,
        },
      };
    },
    async perform(claims, evidence) {
      const dir = await directoryOrFail(deps);
      const person = dir.people.find((p) => p.id === claims.recipientId);
      const actor: Actor = withSupervision(dir, {
        id: claims.recipientId,
        roles: person?.roles ?? [],
        via: 'link' as const,
      });
      await deps.temporal.workflow.getHandle(claims.caseId).executeUpdate(arrivedUpdate, {
        args: [
          {
            actor,
            signature: {
              tokenId: claims.tid,
              ip: evidence.ip,
              userAgent: evidence.userAgent,
              textHash: evidence.textHash,
              ...(evidence.sessionPersonId ? { sessionPersonId: evidence.sessionPersonId } : {}),
            },
          },
        ],
      });
      return {
        message: { zh: `已登记到场：${claims.caseId}`, en: `Arrival recorded: ${claims.caseId}` },
        // The analysis and the rectification report are taken on the case page.
        next: {
          href: casePagePath(claims.caseId),
          label: { zh: '打开案件页面继续处理', en: 'Open the case page to carry on' },
        },
      };
    },
  };
  return { arrived };
}
