import { describe, expect, it } from 'vitest';
import { periodBounds } from '../audit/export.ts';
import { ProblemError } from './middleware/problems.ts';
import { assertExportablePeriod, MAX_EXPORT_PERIOD_DAYS, periodDays } from './audit-export-cap.ts';

const refusal = (from: string, to: string, tz = 'Asia/Shanghai'): ProblemError | null => {
  try {
    assertExportablePeriod(periodBounds(from, to, tz), 'en');
    return null;
  } catch (err) {
    if (err instanceof ProblemError) return err;
    throw err;
  }
};

describe('the streamed period export’s cap', () => {
  it('takes a whole leap year of campus days, and a year of days where clocks change', () => {
    expect(MAX_EXPORT_PERIOD_DAYS).toBe(366);
    expect(refusal('2028-01-01', '2028-12-31')).toBeNull();
    expect(refusal('2026-03-01', '2027-03-01', 'Europe/London')).toBeNull();
    expect(refusal('2026-01-01T00:00:00Z', '2027-01-02T00:00:00Z')).toBeNull();
  });

  it('refuses a day more with a 400 that names the cap, the span and the job route', () => {
    const err = refusal('2026-01-01', '2027-01-02');
    expect(err?.type).toBe('validation');
    expect(err?.errors).toEqual([{ field: 'to', message: 'at most 366 days after from' }]);
    const detail = err?.detail as { zh: string; en: string };
    expect(detail.en).toContain('at most 366 days and this period spans 367');
    expect(detail.en).toContain('POST /api/audit/jobs');
    expect(detail.zh).toContain('一次导出最多 366 天，所请求的时段有 367 天');
    expect(detail.zh).toContain('POST /api/audit/jobs');
  });

  it('refuses years in one request', () => {
    expect(refusal('2001-01-01', '2099-12-31')).not.toBeNull();
    expect(periodDays({ from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' })).toBe(3653);
  });
});
