import { describe, expect, it } from 'vitest';
import { kpiPeriod } from '../../api/kpi-period.ts';
import { dashboardPeriod } from '../../api/pages/app/dashboard-data.ts';
import { kpisRoute } from '../../api/routes/kpis.ts';

const TZ = 'Asia/Shanghai';
// 2026-12-07 10:34 in Shanghai.
const NOW = new Date('2026-12-07T02:34:00Z');

describe('the KPI period (GET /api/kpis and the dashboard)', () => {
  it('defaults to the last 28 whole campus days up to and including today, not now − 28 × 24 h', () => {
    const p = kpiPeriod({}, TZ, NOW);
    expect(p).toEqual({
      fromDate: '2026-11-10',
      toDate: '2026-12-07',
      from: '2026-11-09T16:00:00.000Z',
      to: '2026-12-07T16:00:00.000Z',
      days: 28,
    });
  });

  it('is the dashboard’s own period', () => {
    expect(dashboardPeriod).toBe(kpiPeriod);
  });

  it('counts back from a given `to` date, or from the campus day an instant `to` closes', () => {
    expect(kpiPeriod({ to: '2026-03-31' }, TZ, NOW).from).toBe('2026-03-03T16:00:00.000Z');
    // An exclusive end at campus midnight closes the day before.
    const byInstant = kpiPeriod({ to: '2026-03-31T16:00:00Z' }, TZ, NOW);
    expect(byInstant).toMatchObject({ fromDate: '2026-03-04', toDate: '2026-03-31', days: 28 });
  });

  it('keeps the bounds it is given', () => {
    const p = kpiPeriod({ from: '2026-03-05T02:30:00Z', to: '2026-03-11' }, TZ, NOW);
    expect(p.from).toBe('2026-03-05T02:30:00.000Z');
    expect(p.to).toBe('2026-03-11T16:00:00.000Z');
  });

  it('is described so in the route’s OpenAPI description', () => {
    const d = JSON.stringify(kpisRoute.description);
    expect(d).toContain('28 whole campus-local days up to and including today');
    expect(d).toContain('最近 28 个整日');
  });
});
