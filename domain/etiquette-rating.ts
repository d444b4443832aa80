/**
 * Which score a case gives service-etiquette satisfaction. Seed 000 天天行为育人 7 服务礼仪:
 * "制定学生公寓文明用语和工作人员行为规范，工作人员熟练掌握并使用。学生满意率80%以上" — the students'
 * satisfaction with how staff speak to and treat them. The return-visit survey (seed 004) asks
 * exactly that as its attitude aspect (服务态度, or 处理人员的态度 for a case nobody came to the
 * place for: domain/survey-questions.ts), so a rating that spelt its aspects gives its
 * attitude score, whatever the case was about. A one-score rating says nothing of conduct by
 * itself: it counts only for a case about staff conduct. Pure: safe in workflows.
 */
import type { FollowUpRecord } from './case-model.ts';
import { followUpScore, speltAspects } from './survey-questions.ts';

/** Items whose cases are about how staff treat students: 育人 7 服务礼仪, 检查评估 1 complaints about service. */
export const ETIQUETTE_ITEMS: readonly string[] = ['6t.education.7', '6t.evaluation.1'];
/** The category the intake gives complaints about a staff member (SLA category `staff`). */
const STAFF_CATEGORY = 'staff';

export const isEtiquetteCase = (category: string | undefined): boolean =>
  category === STAFF_CATEGORY || ETIQUETTE_ITEMS.includes(category ?? '');

/**
 * The attitude score of the case's latest rating, when its follow-up record still holds that
 * rating's aspects: the record is a rating (not "closed unrated"), it is the latest score, and
 * the aspects agree with it (the case's score is their lowest).
 */
function latestAttitude(followUp: FollowUpRecord | undefined, latestScore: number): number | undefined {
  if (!followUp || followUp.outcome === 'unrated' || followUp.score !== latestScore) return undefined;
  const aspects = speltAspects(followUp.comment);
  return aspects && followUpScore(aspects) === latestScore ? aspects.attitude : undefined;
}

/**
 * The 1–5 score the case counts toward service-etiquette satisfaction, or undefined when it does
 * not count: its latest rating's attitude aspect, else, for a case about staff conduct, its latest
 * score. `latestScore` is the case's latest follow-up score (kpi.ts `followUpRatings`).
 */
export function etiquetteScore(
  c: { category?: string | undefined; followUp?: FollowUpRecord | undefined },
  latestScore: number | undefined,
): number | undefined {
  if (latestScore === undefined) return undefined;
  return latestAttitude(c.followUp, latestScore) ?? (isEtiquetteCase(c.category) ? latestScore : undefined);
}
