import type { CaseView } from '../../domain/case-model.ts';
import type { Directory } from '../../domain/directory.ts';
import { casePagePath } from '../../domain/email-content.ts';
import { stageLabel } from '../../domain/stage-labels.ts';
import type { Bilingual } from '../../domain/text.ts';
import type { CaseLinkStep } from './action-statement.ts';
import { nameOf } from './action-statement.ts';
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
 * That the case went from the link's bearer to a colleague, and whose `duty` it is now: the last
 * reassignment or hand-over on its timeline (who, when), or only who holds it where none is
 * recorded (a new analysis named someone else responsible).
 */
function takenOver(view: CaseView, dir: Directory, tz: string, holder: string, duty: Bilingual): Bilingual {
  const to = nameOf(dir, holder);
  const moved = view.timeline.findLast((e) => e.action === 'reassigned' || e.action === 'handed_over');
  if (!moved)
    return {
      zh: `案件 ${view.caseId} 现由 ${to} 负责，${duty.zh}由其办理，此链接已不再适用。`,
      en: `${to} now answers for case ${view.caseId}: the ${duty.en} is theirs, and this link no longer applies.`,
    };
  const at = formatTime(moved.at, tz);
  const by = nameOf(dir, moved.actorId);
  const how =
    moved.action === 'reassigned' ? { zh: '改派', en: 'reassigned' } : { zh: '移交', en: 'handed over' };
  return {
    zh: `案件 ${view.caseId} 已于 ${at} 由 ${by} ${how.zh}给 ${to}，${duty.zh}由其办理，此链接已不再适用。`,
    en: `Case ${view.caseId} was ${how.en} to ${to} by ${by} at ${at}: the ${duty.en} is theirs now, and this link no longer applies.`,
  };
}

const SIGN_OFF: Bilingual = { zh: '签字确认', en: 'sign-off' };
const ARRIVAL: Bilingual = { zh: '到场登记', en: 'arrival on site' };

/**
 * Why the step of a case's email link can no longer be taken by `recipientId` in an open case of
 * the link's round, or null when it still can as far as the page knows (the case's validator has
 * the last word at POST).
 */
export function caseStepGone(
  step: CaseLinkStep,
  recipientId: string,
  view: CaseView,
  dir: Directory,
  tz: string,
): PageOutcome | null {
  switch (step) {
    case 'sign_off': {
      if (view.responsibleId !== recipientId)
        return gone(view, takenOver(view, dir, tz, view.responsibleId, SIGN_OFF), true);
      if (view.stage === 'awaiting_signoff') return null;
      const signed = view.signOffs.findLast((x) => x.round === view.round);
      if (!signed) return gone(view, stageNow(view), true);
      const what =
        signed.decision === 'confirm'
          ? { zh: '确认了问题认定与整改方案', en: 'confirmed the finding and the plan' }
          : { zh: '提出了异议', en: 'disputed it' };
      const by = nameOf(dir, signed.by);
      const at = formatTime(signed.at, tz);
      return gone(
        view,
        {
          zh: `${by} 已于 ${at} ${what.zh}。${stageNow(view).zh}`,
          en: `${by} ${what.en} at ${at}. ${stageNow(view).en}`,
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
      const by = nameOf(dir, decided.by);
      const at = formatTime(decided.at, tz);
      return gone(
        view,
        {
          zh: `该异议已由 ${by} 于 ${at} 裁定：${what.zh}。${stageNow(view).zh}`,
          en: `${by} adjudicated this dispute at ${at}: ${what.en}. ${stageNow(view).en}`,
        },
        true,
      );
    }
    case 'follow_up':
      // The reporter has no sign-in: no case page to send them to.
      return view.stage === 'follow_up' ? null : gone(view, stageNow(view), false);
  }
}

/** The arrival link of a technician the case no longer involves (reassigned or handed over since). */
export function arrivalGone(
  recipientId: string,
  view: CaseView,
  dir: Directory,
  tz: string,
): PageOutcome | null {
  if (recipientId === view.assigneeId || recipientId === view.responsibleId) return null;
  return gone(view, takenOver(view, dir, tz, view.assigneeId, ARRIVAL), true);
}
