import { describe, expect, it } from 'vitest';
import { etiquetteScore } from '../../domain/etiquette-rating.ts';
import { reportKindInfo, reportKinds } from '../../domain/intake.ts';
import { detailIn } from '../../domain/mail-detail.ts';
import {
  GENERAL_QUESTIONS,
  REPAIR_QUESTIONS,
  ratingWords,
  SURVEY_COMMENT_MAX,
  speltAspects,
  speltRating,
  surveyAspects,
  surveyComment,
  surveyCommentTooLong,
  surveyQuestionCategories,
  surveyQuestions,
  surveyWordings,
} from '../../domain/survey-questions.ts';
import { CASE_BUDGETS } from '../../domain/case-budgets.ts';

const staff = surveyQuestions(reportKindInfo.complaint);

describe('what the return-visit survey asks', () => {
  it('follows the kind of case: a repair’s quality, a cleanliness result, how a complaint was handled', () => {
    expect(surveyQuestions(reportKindInfo.repair).quality).toEqual({
      zh: '维修质量',
      en: 'Quality of the work',
    });
    expect(surveyQuestions(reportKindInfo.cleanliness).quality).toEqual({
      zh: '清洁效果',
      en: 'How clean it is now',
    });
    expect(staff.quality).toEqual({ zh: '投诉处理结果', en: 'How the complaint was handled' });
    // Nobody came to the place for a complaint: no clean-up to rate.
    expect(staff.cleanup.zh).not.toBe('现场清理');
  });

  it('every kind a student can report asks questions of its own; no other kind asks a repair’s', () => {
    for (const kind of reportKinds) {
      expect(surveyQuestionCategories).toContain(reportKindInfo[kind].category);
      if (kind !== 'repair')
        expect(surveyQuestions(reportKindInfo[kind]).quality.zh, kind).not.toBe('维修质量');
    }
  });

  it('a case of another category by its source, else the general questions', () => {
    expect(surveyQuestions({ category: 'plumbing', source: 'repair' })).toBe(REPAIR_QUESTIONS);
    expect(surveyQuestions({ category: '6t.safety.1', source: 'inspection' })).toBe(GENERAL_QUESTIONS);
    expect(surveyQuestions({ source: 'complaint' })).toEqual(surveyQuestions(reportKindInfo.service));
  });

  it('gives each wording of a question one English form, so a stored comment reads back as it was asked', () => {
    for (const a of surveyAspects) {
      const zh = surveyWordings[a].map((w) => w.zh);
      expect(new Set(zh).size, a).toBe(zh.length);
    }
  });
});

describe('a rating stored on the case', () => {
  const text = surveyComment({ attitude: 2, quality: 1, cleanup: 3 }, '没人回复我', staff);

  it('spells the questions it asked, in both languages, and is read back by key', () => {
    expect(text).toBe(
      '处理人员的态度 Attitude of the staff who handled it 2/5，投诉处理结果 How the complaint was handled 1/5，回复与跟进 How you were kept informed 3/5；没人回复我',
    );
    expect(speltAspects(text)).toEqual({ attitude: 2, quality: 1, cleanup: 3 });
    expect(speltRating(text)?.questions).toEqual(staff);
    expect(ratingWords(text)).toBe('没人回复我');
  });

  it('as stored before (a repair’s questions, in Chinese only or both) still reads', () => {
    expect(speltRating('服务态度 3/5，维修质量 1/5，现场清理 2/5；漏水')).toMatchObject({
      scores: { attitude: 3, quality: 1, cleanup: 2 },
      questions: REPAIR_QUESTIONS,
    });
    expect(
      speltAspects(
        '服务态度 Attitude 5/5，维修质量 Quality of the work 2/5，现场清理 Clean-up afterwards 4/5',
      ),
    ).toEqual({ attitude: 5, quality: 2, cleanup: 4 });
  });

  it('still gives the etiquette KPI its attitude score', () => {
    const followUp = {
      score: 1,
      comment: text,
      at: '2026-12-01T02:00:00.000Z',
      outcome: 'reopened' as const,
    };
    expect(etiquetteScore({ category: 'staff', followUp }, 1)).toBe(2);
    const repairFollowUp = { ...followUp, comment: surveyComment({ attitude: 4, quality: 1, cleanup: 5 }) };
    expect(etiquetteScore({ category: 'repair', followUp: repairFollowUp }, 1)).toBe(4);
  });

  it('is quoted in each half of the reopened mail with the questions it asked', () => {
    expect(detailIn('zh', 'reopened', text)).toBe(
      '处理人员的态度 2/5，投诉处理结果 1/5，回复与跟进 3/5；没人回复我',
    );
    expect(detailIn('en', 'reopened', text)).toBe(
      'Attitude of the staff who handled it 2/5, How the complaint was handled 1/5, How you were kept informed 3/5; 没人回复我',
    );
  });
});

describe('the survey comment’s limit', () => {
  it('is one, the length of a comment on the case, counted in characters', () => {
    expect(SURVEY_COMMENT_MAX).toBe(CASE_BUDGETS.commentLength);
    expect(surveyCommentTooLong('😀'.repeat(SURVEY_COMMENT_MAX))).toBe(false);
    expect(surveyCommentTooLong('好'.repeat(SURVEY_COMMENT_MAX + 1))).toBe(true);
    expect(surveyCommentTooLong(undefined)).toBe(false);
  });
});
