import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { renderChart, type ChartSize } from '../charts.ts';

/**
 * The 6T pass-rate trend, one line per dimension. Rates are often equal (two dimensions both at
 * 100% in a week), and equal points drawn alike hide one another: one dot looked missing. Each
 * dimension has its own marker shape, shown in the legend too, and points that coincide in a
 * week are set side by side.
 */

/** One shape per series, in the order of the dimensions; the legend draws the same shapes. */
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'emptyCircle', 'emptyRect'] as const;
const SYMBOL_SIZE = 7;
/** Horizontal distance between the markers of equal points in one week (px). */
export const COINCIDENT_SPREAD = 7;
const TEXT_COLOUR = '#1b1f24';

const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;

/**
 * For each series and label, how far its marker is moved sideways: 0 unless other series have
 * the same value at that label, then spread evenly around the true position.
 */
export function coincidentOffsets(series: readonly (readonly (number | null)[])[]): number[][] {
  const out = series.map((values) => values.map(() => 0));
  const labels = Math.max(0, ...series.map((v) => v.length));
  for (let i = 0; i < labels; i++) {
    const groups = new Map<number, number[]>();
    series.forEach((values, s) => {
      const v = values[i];
      if (v === null || v === undefined) return;
      const key = Math.round(v * 1000);
      groups.set(key, [...(groups.get(key) ?? []), s]);
    });
    for (const members of groups.values())
      members.forEach((s, j) => {
        out[s]![i] = (j - (members.length - 1) / 2) * COINCIDENT_SPREAD;
      });
  }
  return out;
}

export function inspectionTrendChart(
  title: Bilingual,
  labels: readonly string[],
  series: readonly { name: string; values: readonly (number | null)[] }[],
  lang: Lang,
  size: ChartSize = { width: 480, height: 220 },
): string | null {
  if (series.every((s) => s.values.every((v) => v === null))) return null;
  const offsets = coincidentOffsets(series.map((s) => s.values));
  return renderChart(
    {
      legend: { top: 0, textStyle: { color: TEXT_COLOUR, fontSize: 10 }, itemWidth: 18, itemHeight: 8 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: [...labels], axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => pct(v) } },
      series: series.map((s, i) => ({
        type: 'line' as const,
        name: s.name,
        symbol: SYMBOLS[i % SYMBOLS.length],
        symbolSize: SYMBOL_SIZE,
        showAllSymbol: true,
        data: s.values.map((value, j) =>
          value === null ? null : { value, symbolOffset: [offsets[i]?.[j] ?? 0, 0] },
        ),
        connectNulls: true,
      })),
    },
    size,
    inLang(title, lang),
  );
}
