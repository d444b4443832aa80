import { describe, expect, it } from 'vitest';
import { kpiRatesChart } from '../../api/pages/charts.ts';
import { computeKpis, emptyTally } from '../../domain/kpi.ts';
import { inLang } from '../../domain/text.ts';

/**
 * The dashboard's KPI chart on a phone: every bar's label is whole, so each bar can be told from the
 * others. Cut to a width, the inspection rows all read "检查合格率：天..." and could not be.
 */
const rates = computeKpis(emptyTally(), { periodDays: 7, buildings: 1 })
  .filter((k) => k.unit === 'ratio')
  .map((k) => ({ ...k, value: 0.5 }));

/** The y-axis labels as drawn: each label's lines (right-aligned text at one row) joined, top to bottom. */
function axisLabels(svg: string): { text: string; y: number; lines: number }[] {
  const rows = new Map<number, string[]>();
  for (const m of svg.matchAll(
    /<text [^>]*text-anchor="end"[^>]*transform="translate\([\d.]+ ([\d.]+)\)"[^>]*>([^<]*)<\/text>/g,
  )) {
    const y = Number(m[1]);
    rows.set(y, [...(rows.get(y) ?? []), m[2]!]);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([y, parts]) => ({ text: parts.join(''), y, lines: parts.length }));
}

describe('the KPI rates chart’s labels', () => {
  for (const lang of ['zh-CN', 'en'] as const)
    for (const width of [360, 640])
      it(`are whole, distinct and clear of each other in ${lang} at ${width}px`, () => {
        const labels = axisLabels(kpiRatesChart(rates, lang, width)!);
        const expected = rates.map((k) => inLang(k.shortLabel ?? k.label, lang));
        expect(labels.map((l) => l.text)).toEqual(expected);
        expect(new Set(expected).size).toBe(expected.length);
        for (const l of labels) expect(l.text).not.toContain('...');
        // Each wrapped label fits the row it names: no two rows' lines overlap.
        const gap = Math.min(...labels.slice(1).map((l, i) => l.y - labels[i]!.y));
        const tallest = Math.max(...labels.map((l) => l.lines));
        expect(gap).toBeGreaterThanOrEqual(tallest * 14);
      });

  it('names an inspection row by its dimension’s short name', () => {
    const safety = rates.find((k) => k.id === 'inspection_pass_rate_safety')!;
    expect(safety.shortLabel).toEqual({ zh: '检查合格率：安全', en: 'Inspection pass rate: Safety' });
    expect(safety.label.zh).toBe('检查合格率：天天安全保障');
  });
});
