import { CASE_BUDGETS } from './case-budgets.ts';
import { characterCount } from './characters.ts';
import type { Source } from './sla.ts';
import type { Bilingual } from './text.ts';

/**
 * The return-visit survey (回访) of seed 004: "服务态度、服务质量、扫尾工作", 1–5 each. The three
 * answers are stored by these keys (a report's `survey.scores`) and spelt in the case's follow-up
 * comment, so the keys keep one meaning whatever the case was about: `attitude` how staff treated
 * the reporter (the etiquette KPI reads it, domain/etiquette-rating.ts), `quality` how well the
 * problem itself was dealt with, `cleanup` the finishing off (扫尾: the site left clean, or the
 * reporter kept informed). Only the wording of each question follows the kind of case.
 */
export const surveyAspects = ['attitude', 'quality', 'cleanup'] as const;
export type SurveyAspect = (typeof surveyAspects)[number];
export type SurveyQuestions = Readonly<Record<SurveyAspect, Bilingual>>;

const attitude: Bilingual = { zh: '服务态度', en: 'Attitude' };
/** Where nobody came to the place: the staff who dealt with the report. */
const handlersAttitude: Bilingual = { zh: '处理人员的态度', en: 'Attitude of the staff who handled it' };
const siteCleanup: Bilingual = { zh: '现场清理', en: 'Clean-up afterwards' };
const keptInformed: Bilingual = { zh: '回复与跟进', en: 'How you were kept informed' };

/**
 * A repair's questions: what every rating asked before the questions followed the case's kind,
 * so comments stored then read as a repair's.
 */
export const REPAIR_QUESTIONS: SurveyQuestions = {
  attitude,
  quality: { zh: '维修质量', en: 'Quality of the work' },
  cleanup: siteCleanup,
};

/** The questions of a case whose category or source says nothing more: the outcome, not a repair. */
export const GENERAL_QUESTIONS: SurveyQuestions = {
  attitude,
  quality: { zh: '处理效果', en: 'How well it was put right' },
  cleanup: siteCleanup,
};

/** The questions by the category a scanned report's kind gives its case (domain/intake.ts reportKindInfo). */
const BY_CATEGORY: Readonly<Record<string, SurveyQuestions>> = {
  repair: REPAIR_QUESTIONS,
  cleanliness: {
    attitude,
    quality: { zh: '清洁效果', en: 'How clean it is now' },
    cleanup: { zh: '收尾整理', en: 'Tools and rubbish cleared away' },
  },
  safety: {
    attitude,
    quality: { zh: '隐患整改效果', en: 'How well the hazard was removed' },
    cleanup: siteCleanup,
  },
  service: {
    attitude: handlersAttitude,
    quality: { zh: '问题解决情况', en: 'How well the problem was solved' },
    cleanup: keptInformed,
  },
  // A complaint about staff (SLA category `staff`).
  staff: {
    attitude: handlersAttitude,
    quality: { zh: '投诉处理结果', en: 'How the complaint was handled' },
    cleanup: keptInformed,
  },
  suggestion: {
    attitude: handlersAttitude,
    quality: { zh: '建议的答复与采纳', en: 'How the suggestion was answered' },
    cleanup: keptInformed,
  },
};

/** The categories with questions of their own (a test checks every report kind's is one). */
export const surveyQuestionCategories: readonly string[] = Object.keys(BY_CATEGORY);

/**
 * What the survey asks the reporter of a case: by its category, else by its source (a repair, or
 * a complaint, which is about a service), else the general questions.
 */
export function surveyQuestions(c: {
  category?: string | undefined;
  source?: Source | undefined;
}): SurveyQuestions {
  const own = c.category === undefined ? undefined : BY_CATEGORY[c.category];
  if (own) return own;
  if (c.source === 'repair') return REPAIR_QUESTIONS;
  if (c.source === 'complaint') return BY_CATEGORY.service!;
  return GENERAL_QUESTIONS;
}

/**
 * The most characters the reporter's own words with a rating take, on the tracking page and on the
 * emailed rating page alike: a comment on the case, held to the length a case comment may have.
 */
export const SURVEY_COMMENT_MAX = CASE_BUDGETS.commentLength;

/** Whether a survey comment is longer than it may be, counted in characters as the limit is stated. */
export const surveyCommentTooLong = (comment: string | undefined): boolean =>
  characterCount((comment ?? '').trim()) > SURVEY_COMMENT_MAX;

/** The case's follow-up takes one score: the lowest aspect, so any poor aspect reopens the case for review. */
export const followUpScore = (scores: Record<SurveyAspect, number>): number =>
  Math.min(...surveyAspects.map((a) => scores[a]));

/**
 * The comment a three-aspect rating gives the case's follow-up step: each question as it was asked
 * and its score, then the reporter's words. Stored once and read by staff of either language
 * (mails, the case page, the audit trail), so each is named in both, Chinese first: "服务态度
 * Attitude 5/5，…". Comments stored before named them in Chinese only ("服务态度 5/5，…") and asked
 * a repair's questions whatever the case; readers take all of these (`speltRating`).
 */
export const surveyComment = (
  scores: Record<SurveyAspect, number>,
  comment?: string | undefined,
  questions: SurveyQuestions = REPAIR_QUESTIONS,
): string =>
  [surveyAspects.map((a) => `${questions[a].zh} ${questions[a].en} ${scores[a]}/5`).join('，'), comment]
    .filter(Boolean)
    .join('；');

function wordingsOf(a: SurveyAspect): readonly Bilingual[] {
  const all = [REPAIR_QUESTIONS, GENERAL_QUESTIONS, ...Object.values(BY_CATEGORY)].map((q) => q[a]);
  return all.filter((w, i) => all.findIndex((x) => x.zh === w.zh) === i);
}
/** Every wording each question has had, once each: what a stored comment may spell. */
export const surveyWordings: Readonly<Record<SurveyAspect, readonly Bilingual[]>> = {
  attitude: wordingsOf('attitude'),
  quality: wordingsOf('quality'),
  cleanup: wordingsOf('cleanup'),
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SPELT = new RegExp(
  `^${surveyAspects
    .map(
      (a) =>
        `(${surveyWordings[a].map((w) => `${escapeRegExp(w.zh)}(?: ${escapeRegExp(w.en)})?`).join('|')}) ([1-5])/5`,
    )
    .join('，')}(?:；|$)`,
  'u',
);

/** A rating as its comment spells it: each aspect's score and the question it answered. */
export interface SpeltRating {
  scores: Record<SurveyAspect, number>;
  questions: SurveyQuestions;
  /** How much of the comment the aspects take (with the '；' after them). */
  length: number;
}

/** The rating a follow-up comment begins with (as `surveyComment` writes it, now or before), if any. */
export function speltRating(comment: string | undefined): SpeltRating | undefined {
  const m = SPELT.exec(comment ?? '');
  if (!m) return undefined;
  const scores = {} as Record<SurveyAspect, number>;
  const questions = {} as Record<SurveyAspect, Bilingual>;
  surveyAspects.forEach((a, i) => {
    const said = m[2 * i + 1]!;
    questions[a] = surveyWordings[a].find((w) => said === w.zh || said === `${w.zh} ${w.en}`)!;
    scores[a] = Number(m[2 * i + 2]);
  });
  return { scores, questions, length: m[0].length };
}

/** The aspect scores a follow-up comment begins with (as `surveyComment` writes them, now or before), if any. */
export const speltAspects = (comment: string | undefined): Record<SurveyAspect, number> | undefined =>
  speltRating(comment)?.scores;

/**
 * The reporter's own words in a follow-up comment: what follows the aspect scores `surveyComment`
 * spells (now or before), or the whole comment of a rating that spells none; undefined when empty.
 */
export function ratingWords(comment: string | undefined): string | undefined {
  const spelt = speltRating(comment);
  const words = (comment ?? '').slice(spelt?.length ?? 0).trim();
  return words || undefined;
}
