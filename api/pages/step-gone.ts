import type { CaseView } from '../../domain/case-model.ts';
import type { Directory } from '../../domain/directory.ts';
import { casePagePath } from '../../domain/email-content.ts';
import { stageLabel } from '../../domain/stage-labels.ts';
import type { Bilingual } from '../../domain/text.ts';
import type { CaseLinkStep } from './action-statement.ts';
import { personValue } from './action-statement.ts';
import { PageOutcome, STEP_GONE_TITLE } from './link-page.tsx';
import { formatTime } from './ui.tsx';

/**
 * An email link whose step can no longer be taken by its bearer, though the case is still open:
 * someone else decided it, the stage moved on, or the case went to a colleague. Said at GET (no
 * form to fill in for nothing) and at POST alike, with what happened as the case's record tells
 * it and the way to the case page. 409, the outcome of a link whose case is over ('not_open').
 */

const CASE_PAGE: Bilingual = { zh: '打开案件页面', en: 'Open the case page' };
const SIGN_IN: Bilingual = {
  zh: '案件页面可查看最新进展（需使用学校账号登录）。',
  en: 'The case page shows where it stands now (sign in with the school account).',
};

function gone(view: CaseView, text: Bilingual, staff: boolean): PageOutcome {
  return new PageOutcome(
    409,
    'not_open',
    STEP_GONE_TITLE,
    staff ? { zh: `${text.zh}${SIGN_IN.zh}`, en: `${text.en} ${SIGN_IN.en}` } : text,
    undefined,
    staff ? { href: casePagePath(view.caseId), label: CASE_PAGE } : undefined,
  );
}

const stageNow = (view: CaseView): Bilingual => ({
  zh: `案件现处于「${stageLabel(view.stage).zh}」阶段。`,
  en: `The case is now at the ${stageLabel(view.stage).en} stage.`,
});

/**
 * A person as each language's sentence names them (personValue): someone who has left the
 * directory by the last name a version gave them, said to have left, rather than by a bare id.
 */
export function personIn(dir: Directory, id: string, departed: ReadonlyMap<string, string>): Bilingual {
  const named = personValue(dir, id, departed);
  return typeof named === 'string' ? { zh: named, en: named } : named;
}

const lastMove = (view: CaseView) =>
  view.timeline.findLast((e) => e.action === 'reassigned' || e.action === 'handed_over');

/**
 * That the case went from the link's bearer to a colleague, and whose `duty` it is now: the last
 * reassignment or hand-over on its timeline (who, when), or only who holds it where none is
 * recorded (a new analysis named someone else responsible).
 */
function takenOver(
  view: CaseView,
  dir: Directory,
  departed: ReadonlyMap<string, string>,
  tz: string,
  holder: string,
  duty: Bilingual,
): Bilingual {
  const to = personIn(dir, holder, departed);
  const moved = lastMove(view);
  if (!moved)
    return {
      zh: `案件 ${view.caseId} 现由 ${to.zh} 负责，${duty.zh}由其办理，此链接已不再适用。`,
      en: `${to.en} now answers for case ${view.caseId}: the ${duty.en} is theirs, and this link no longer applies.`,
    };
  const at = formatTime(moved.at, tz);
  const by = personIn(dir, moved.actorId, departed);
  const how =
    moved.action === 'reassigned' ? { zh: '改派', en: 'reassigned' } : { zh: '移交', en: 'handed over' };
  return {
    zh: `案件 ${view.caseId} 已于 ${at} 由 ${by.zh} ${how.zh}给 ${to.zh}，${duty.zh}由其办理，此链接已不再适用。`,
    en: `Case ${view.caseId} was ${how.en} to ${to.en} by ${by.en} at ${at}: the ${duty.en} is theirs now, and this link no longer applies.`,
  };
}

const SIGN_OFF: Bilingual = { zh: '签字确认', en: 'sign-off' };
const ARRIVAL: Bilingual = { zh: '到场登记', en: 'arrival on site' };

const signedNow = (view: CaseView) => view.signOffs.findLast((x) => x.round === view.round);

/**
 * The people a case step's gone page may name, by id: whose last names it must find if they left
 * the directory (departedAmong), as peopleNamed lists those of the step's form.
 */
export function peopleGone(step: CaseLinkStep, view: CaseView): string[] {
  const named =
    step === 'sign_off'
      ? [view.responsibleId, lastMove(view)?.actorId, signedNow(view)?.by]
      : step === 'adjudication'
        ? [view.adjudications.at(-1)?.by]
        : [];
  return named.filter((id) => id !== undefined);
}

/**
 * Why the step of a case's email link can no longer be taken by `recipientId` in an open case of
 * the link's round, or null when it still can as far as the page knows (the case's validator has
 * the last word at POST). Those it names who left the directory by their last names (`departed`:
 * departedAmong over peopleGone).
 */
export function caseStepGone(
  step: CaseLinkStep,
  recipientId: string,
  view: CaseView,
  dir: Directory,
  tz: string,
  departed: ReadonlyMap<string, string>,
): PageOutcome | null {
  switch (step) {
    case 'sign_off': {
      if (view.responsibleId !== recipientId)
        return gone(view, takenOver(view, dir, departed, tz, view.responsibleId, SIGN_OFF), true);
      if (view.stage === 'awaiting_signoff') return null;
      const signed = signedNow(view);
      if (!signed) return gone(view, stageNow(view), true);
      const what =
        signed.decision === 'confirm'
          ? { zh: '确认了问题认定与整改方案', en: 'confirmed the finding and the plan' }
          : { zh: '提出了异议', en: 'disputed it' };
      const by = personIn(dir, signed.by, departed);
      const at = formatTime(signed.at, tz);
      return gone(
        view,
        {
          zh: `${by.zh} 已于 ${at} ${what.zh}。${stageNow(view).zh}`,
          en: `${by.en} ${what.en} at ${at}. ${stageNow(view).en}`,
        },
        true,
      );
    }
    case 'adjudication': {
      if (view.stage === 'adjudicating') return null;
      const decided = view.adjudications.at(-1);
      if (!decided) return gone(view, stageNow(view), true);
      const what =
        decided.decision === 'revise'
          ? { zh: '退回重新分析', en: 'back to analysis' }
          : { zh: '按原方案整改', en: 'proceed with the plan' };
      const by = personIn(dir, decided.by, departed);
      const at = formatTime(decided.at, tz);
      return gone(
        view,
        {
          zh: `该异议已由 ${by.zh} 于 ${at} 裁定：${what.zh}。${stageNow(view).zh}`,
          en: `${by.en} adjudicated this dispute at ${at}: ${what.en}. ${stageNow(view).en}`,
        },
        true,
      );
    }
    case 'follow_up':
      // The reporter has no sign-in: no case page to send them to.
      return view.stage === 'follow_up' ? null : gone(view, stageNow(view), false);
  }
}

/** The people the arrival link's gone page may name, by id (as peopleGone). */
export const arrivalPeopleGone = (view: CaseView): string[] =>
  [view.assigneeId, lastMove(view)?.actorId].filter((id) => id !== undefined);

/**
 * The arrival link of a technician the case no longer involves (reassigned or handed over since);
 * those it names who left the directory by their last names (departedAmong over arrivalPeopleGone).
 */
export function arrivalGone(
  recipientId: string,
  view: CaseView,
  dir: Directory,
  tz: string,
  departed: ReadonlyMap<string, string>,
): PageOutcome | null {
  if (recipientId === view.assigneeId || recipientId === view.responsibleId) return null;
  return gone(view, takenOver(view, dir, departed, tz, view.assigneeId, ARRIVAL), true);
}
