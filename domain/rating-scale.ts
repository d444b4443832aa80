import type { Bilingual } from './text.ts';

/** The follow-up survey's scale, best first: the order both rating forms offer it in. */
export const ratingScores = [5, 4, 3, 2, 1] as const;
export type RatingScore = (typeof ratingScores)[number];

/**
 * A score as a rating form labels it, its ends named ("5 分（非常满意）" … "1 分（非常不满意）"):
 * a bare digit does not say which end is good. The emailed rate page and the tracking page's
 * survey offer the same scale, so they label it alike.
 */
export const ratingScoreLabel = (n: RatingScore): Bilingual => ({
  zh: `${n} 分${n === 5 ? '（非常满意）' : n === 1 ? '（非常不满意）' : ''}`,
  en: `${n}${n === 5 ? ' (very satisfied)' : n === 1 ? ' (very dissatisfied)' : ''}`,
});
