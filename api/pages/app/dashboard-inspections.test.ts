import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import type { BuildingDimensionScore, WeekDimensionPoint } from '../../../domain/inspection-scores.ts';
import { standards, type DimensionKey } from '../../../domain/standards/catalogue.ts';
import { InspectionScores } from './dashboard-inspections.tsx';

const dims = standards.dimensions.map((d) => d.key);
const rates = (v: (number | null)[]) =>
  Object.fromEntries(dims.map((d, i) => [d, v[i] ?? null])) as Record<DimensionKey, number | null>;
// Service and management both at 100% in W50: the probe's week where one dot looked missing.
const trend: WeekDimensionPoint[] = [
  { week: '2026-W49', rates: rates([0.8, 0.7, 0.75, 0.9, 0.6, null]) },
  { week: '2026-W50', rates: rates([0.94, 1, 1, 0.9, 0.88, null]) },
];
const scores: BuildingDimensionScore[] = dims.map((dimension) => ({
  buildingId: 'bldg-a',
  dimension,
  rate: 1,
  passed: 8,
  failed: 0,
  na: 0,
}));

const render = () =>
  String(
    jsx(InspectionScores, {
      lang: 'zh-CN',
      scores,
      trend,
      buildingName: () => '学生公寓A栋',
      idPrefix: 'dash',
    }),
  );

/** The chart's data markers as drawn: series, week, shape (outline and fill) and centre. */
const markers = (html: string) =>
  [
    ...html.matchAll(
      /<path d="([^"]*)" transform="matrix\([^,]*,0,0,[^,]*,([\d.]+),([\d.]+)\)" fill="([^"]*)"[^>]*ecmeta_series_index="(\d+)" ecmeta_data_index="(\d+)" ecmeta_ssr_type="chart"/g,
    ),
  ].map((m) => ({
    shape: `${m[1]} ${m[4]}`,
    x: Number(m[2]),
    y: Number(m[3]),
    series: Number(m[5]),
    week: Number(m[6]),
  }));

describe('the dashboard’s 6T inspection scores on a phone', () => {
  it('draws two dimensions at the same rate in one week as two visible markers, of different shapes', () => {
    const w50 = markers(render()).filter((m) => m.week === 1);
    const service = w50.find((m) => m.series === 1);
    const management = w50.find((m) => m.series === 2);
    if (!service || !management) throw new Error('a marker of W50 is not drawn');
    expect(service.y).toBe(management.y);
    expect(Math.abs(service.x - management.x)).toBeGreaterThanOrEqual(6);
    expect(service.shape).not.toBe(management.shape);
    // Every dimension has its own shape.
    expect(new Set(w50.map((m) => m.shape)).size).toBe(w50.length);
  });

  it('keeps a rate with its % and a building’s name on one line, the tables scrolling in their own box', () => {
    const html = render();
    for (const table of ['data-inspection-table', 'data-inspection-weeks']) {
      expect(html).toMatch(
        new RegExp(
          `<div class="table-wrap" role="region" tabindex="0" aria-label="[^"]+"><table ${table}="true" style="white-space:nowrap">`,
        ),
      );
    }
  });
});
