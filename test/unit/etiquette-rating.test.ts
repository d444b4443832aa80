import { describe, expect, it } from 'vitest';
import type { FollowUpRecord } from '../../domain/case-model.ts';
import { etiquetteScore, isEtiquetteCase } from '../../domain/etiquette-rating.ts';
import { surveyComment } from '../../domain/intake.ts';

const AT = '2026-11-20T02:00:00.000Z';
const rated = (
  score: number,
  comment?: string,
  outcome: FollowUpRecord['outcome'] = 'rated',
): FollowUpRecord => ({
  score,
  comment,
  at: AT,
  outcome,
});
const aspects = (attitude: number, quality: number, cleanup: number, words?: string) =>
  surveyComment({ attitude, quality, cleanup }, words);

describe('which cases are about staff conduct', () => {
  it.each([
    ['staff', true],
    ['6t.education.7', true],
    ['6t.evaluation.1', true],
    ['6t.safety.1', false],
    ['6t.education.8', false],
    ['plumbing', false],
    ['', false],
    [undefined, false],
  ] as const)('%s → %s', (category, expected) => {
    expect(isEtiquetteCase(category)).toBe(expected);
  });
});

describe('the score a case gives service-etiquette satisfaction (育人 7)', () => {
  it('takes the attitude aspect of the latest rating, whatever the case is about', () => {
    for (const category of [undefined, 'plumbing', '6t.safety.1', 'staff', '6t.education.7']) {
      expect(etiquetteScore({ category, followUp: rated(4, aspects(5, 4, 4)) }, 4), category).toBe(5);
      expect(etiquetteScore({ category, followUp: rated(2, aspects(2, 5, 5)) }, 2), category).toBe(2);
    }
  });

  it('takes the attitude, not the lowest aspect that gave the case its score', () => {
    // A poor repair by a courteous worker: the case reopens, the etiquette counts satisfied.
    expect(etiquetteScore({ category: 'staff', followUp: rated(1, aspects(5, 1, 3), 'reopened') }, 1)).toBe(
      5,
    );
    expect(etiquetteScore({ followUp: rated(3, aspects(3, 4, 5, '师傅态度一般')) }, 3)).toBe(3);
  });

  it('reads the aspects as ratings stored before the English names were added spelt them', () => {
    expect(etiquetteScore({ followUp: rated(1, '服务态度 3/5，维修质量 1/5，现场清理 2/5；漏水') }, 1)).toBe(
      3,
    );
  });

  it('counts a one-score rating only for a case about staff conduct, by that score', () => {
    expect(etiquetteScore({ category: 'staff', followUp: rated(5) }, 5)).toBe(5);
    expect(etiquetteScore({ category: '6t.evaluation.1', followUp: rated(2, '很差') }, 2)).toBe(2);
    expect(etiquetteScore({ category: 'plumbing', followUp: rated(5) }, 5)).toBeUndefined();
    expect(etiquetteScore({ followUp: rated(5, '很好') }, 5)).toBeUndefined();
  });

  it('does not take aspects that disagree with the score they came with', () => {
    // Their lowest is not the score: not a rating page's comment, so not read as one.
    expect(etiquetteScore({ category: 'staff', followUp: rated(4, aspects(1, 5, 5)) }, 4)).toBe(4);
    expect(etiquetteScore({ followUp: rated(4, aspects(1, 5, 5)) }, 4)).toBeUndefined();
  });

  it('does not take the aspects of a follow-up record that is not the latest score', () => {
    // The record was replaced by "closed unrated" after an earlier rating reopened the case.
    const unrated: FollowUpRecord = { at: AT, outcome: 'unrated' };
    expect(etiquetteScore({ category: 'staff', followUp: unrated }, 2)).toBe(2);
    expect(etiquetteScore({ followUp: unrated }, 2)).toBeUndefined();
    expect(etiquetteScore({ followUp: rated(4, aspects(5, 4, 4), 'unrated') }, 4)).toBeUndefined();
    // A record whose score is not the latest one the timeline carries.
    expect(etiquetteScore({ followUp: rated(4, aspects(5, 4, 4)) }, 2)).toBeUndefined();
    expect(etiquetteScore({ category: 'staff', followUp: rated(4, aspects(5, 4, 4)) }, 2)).toBe(2);
  });

  it('gives nothing for a case with no rating', () => {
    expect(etiquetteScore({ category: 'staff' }, undefined)).toBeUndefined();
    expect(
      etiquetteScore({ category: 'staff', followUp: rated(5, aspects(5, 5, 5)) }, undefined),
    ).toBeUndefined();
    expect(etiquetteScore({}, undefined)).toBeUndefined();
  });
});
