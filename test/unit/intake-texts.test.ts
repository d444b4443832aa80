import { describe, expect, it } from 'vitest';
import {
  categoryLabel,
  emergencyAdvice,
  ratingWords,
  reportCaseTitle,
  reportKindInfo,
  reportReasonIn,
  speltAspects,
  surveyComment,
  unrecordedPromise,
} from '../../domain/intake.ts';

describe('the survey comment stored on the case', () => {
  it('names each aspect in both languages, Chinese first, then the reporter’s words', () => {
    const text = surveyComment({ attitude: 5, quality: 2, cleanup: 4 }, '又坏了');
    expect(text).toBe(
      '服务态度 Attitude 5/5，维修质量 Quality of the work 2/5，现场清理 Clean-up afterwards 4/5；又坏了',
    );
  });

  it('is read back, as are comments stored before in Chinese only', () => {
    expect(speltAspects(surveyComment({ attitude: 5, quality: 2, cleanup: 4 }))).toEqual({
      attitude: 5,
      quality: 2,
      cleanup: 4,
    });
    expect(speltAspects('服务态度 3/5，维修质量 1/5，现场清理 2/5；漏水')).toEqual({
      attitude: 3,
      quality: 1,
      cleanup: 2,
    });
    expect(speltAspects('很好')).toBeUndefined();
  });
});

describe('the reporter’s words given back with their rating', () => {
  it('are what follows the aspect scores, in comments stored now or before', () => {
    expect(ratingWords(surveyComment({ attitude: 5, quality: 2, cleanup: 4 }, '又坏了'))).toBe('又坏了');
    expect(ratingWords('服务态度 3/5，维修质量 1/5，现场清理 2/5；漏水')).toBe('漏水');
  });
  it('are the whole comment of a rating that spells no aspects, and nothing when there are none', () => {
    expect(ratingWords('很好')).toBe('很好');
    expect(ratingWords(surveyComment({ attitude: 5, quality: 5, cleanup: 5 }))).toBeUndefined();
    expect(ratingWords(undefined)).toBeUndefined();
  });
});

describe('the kind a student chooses', () => {
  it('"complaint" says it is about staff, as triage files it, in the case title and category too', () => {
    expect(reportKindInfo.complaint.category).toBe('staff');
    expect(reportKindInfo.complaint.label).toEqual({ zh: '投诉（员工服务）', en: 'Complaint about staff' });
    expect(reportCaseTitle(reportKindInfo.complaint.label, '宿管态度差')).toBe(
      '投诉（员工服务）：宿管态度差',
    );
    expect(reportCaseTitle(reportKindInfo.complaint.label, 'rude at the desk')).toBe(
      'Complaint about staff: rude at the desk',
    );
    expect(categoryLabel('staff')?.en).toBe('Complaint about staff');
  });
  it('in immediate danger is told to call, naming no number nobody configured', () => {
    expect(emergencyAdvice.zh).toContain('119');
    expect(emergencyAdvice.en).toContain('campus security or 119');
  });
});

describe('a promise on the tracking page nobody recorded as kept', () => {
  const arrival = { id: 'on_site_arrival' as const };
  it('is "arrival not recorded" once the case closed, not "cancelled"', () => {
    expect(unrecordedPromise({ ...arrival, state: 'cancelled' }, 'closed')).toEqual({
      zh: '未登记到场',
      en: 'Arrival not recorded',
    });
  });
  it('is "arrival not recorded" once the repair is reported, not "pending"', () => {
    expect(unrecordedPromise({ ...arrival, state: 'pending' }, 'reviewing')?.zh).toBe('未登记到场');
    expect(unrecordedPromise({ ...arrival, state: 'pending' }, 'follow_up')?.zh).toBe('未登记到场');
  });
  it('leaves the clock’s own word while the work goes on, once kept or late, and for a withdrawn case', () => {
    expect(unrecordedPromise({ ...arrival, state: 'pending' }, 'rectifying')).toBeUndefined();
    expect(
      unrecordedPromise({ ...arrival, state: 'met', metAt: '2026-01-01T00:00:00Z' }, 'closed'),
    ).toBeUndefined();
    expect(unrecordedPromise({ ...arrival, state: 'breached' }, 'closed')).toBeUndefined();
    expect(unrecordedPromise({ ...arrival, state: 'cancelled' }, 'withdrawn')).toBeUndefined();
  });
  it('says so for another promise only once the case is past its review', () => {
    const done = { id: 'small_repair_done' as const };
    expect(unrecordedPromise({ ...done, state: 'pending' }, 'reviewing')).toBeUndefined();
    expect(unrecordedPromise({ ...done, state: 'cancelled' }, 'closed')).toEqual({
      zh: '未登记完成',
      en: 'Not recorded as kept',
    });
  });
});

describe('a report’s reason on the tracking page', () => {
  const merged = '与案件 CASE-1 为同一问题 / the same problem as case CASE-1';
  it('is said in the reader’s language when triage wrote it in both', () => {
    expect(reportReasonIn(merged, 'zh-CN')).toBe('与案件 CASE-1 为同一问题');
    expect(reportReasonIn(merged, 'en')).toBe('the same problem as case CASE-1');
  });
  it('is shown as written when it is in one language', () => {
    expect(reportReasonIn('重复报告', 'en')).toBe('重复报告');
  });
});
