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

/** The SVG's shapes by their row (centre y): target marks' and bars' right edges, value labels' left. */
function rowsOf(svg: string) {
  const marks = [
    ...svg.matchAll(/transform="matrix\(([\d.]+),0,0,[\d.]+,([\d.]+),([\d.]+)\)" fill="#7f1d1d"/g),
  ].map((m) => ({ right: Number(m[2]) + Number(m[1]), y: Number(m[3]) }));
  const bars = [
    ...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)l([\d.]+) 0l0 14l-[\d.]+ 0Z" fill="#(?:0b57a4|b91c1c)"/g),
  ].map((m) => ({ right: Number(m[1]) + Number(m[3]), y: Number(m[2]) + 7 }));
  const values = [
    ...svg.matchAll(
      /text-anchor="start"[^>]*transform="translate\(([\d.]+) ([\d.]+)\)"[^>]*>([\d.]+%)<\/text>/g,
    ),
  ].map((m) => ({ left: Number(m[1]), y: Number(m[2]), text: m[3]! }));
  return { marks, bars, values };
}

describe('the KPI rates chart’s values and ticks', () => {
  // Each value just short of its target: its bar ends a few pixels before the target's mark.
  const short = rates.map((k) => ({
    ...k,
    value: k.target !== null && k.target >= 0.02 ? k.target - 0.02 : 0.5,
  }));

  for (const lang of ['zh-CN', 'en'] as const)
    for (const width of [360, 640])
      it(`writes each value clear of its bar and its target mark in ${lang} at ${width}px`, () => {
        const { marks, bars, values } = rowsOf(kpiRatesChart(short, lang, width)!);
        expect(values).toHaveLength(short.length);
        expect(bars).toHaveLength(short.length);
        expect(marks.length).toBeGreaterThan(0);
        const near = <T extends { y: number }>(list: T[], y: number) =>
          list.filter((x) => Math.abs(x.y - y) < 1);
        for (const v of values) {
          for (const edge of [...near(marks, v.y), ...near(bars, v.y)])
            expect(v.left - edge.right, `${v.text} at y ${v.y}`).toBeGreaterThanOrEqual(3);
        }
      });

  for (const lang of ['zh-CN', 'en'] as const)
    it(`keeps the 100% tick on a phone in ${lang}`, () => {
      const ticks = [
        ...kpiRatesChart(rates, lang, 360)!.matchAll(/text-anchor="middle"[^>]*>([^<]*)<\/text>/g),
      ].map((m) => m[1]);
      expect(ticks.at(0)).toBe('0%');
      expect(ticks.at(-1)).toBe('100%');
    });
});
