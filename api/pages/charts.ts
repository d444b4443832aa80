import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { DEFAULT_TEXT_WIDTH_MAP } from 'zrender/lib/core/platform.js';
import type { KpiValue } from '../../domain/kpi.ts';
import { inLang, type Bilingual, type Lang } from '../../domain/text.ts';

/**
 * Small charts drawn on the server as SVG with Apache ECharts' server-side
 * renderer: the page carries no chart script, works without JavaScript and
 * prints. Every chart is an `<svg role="img">` named by its caption, and the
 * figures it shows are also in a table beside it, so nothing depends on seeing it.
 */

export interface ChartSize {
  width: number;
  height: number;
}

// Same palette as the layout: contrast-checked blue for values, dark red for targets.
const VALUE_COLOUR = '#0b57a4';
const MISSED_COLOUR = '#b91c1c';
const TARGET_COLOUR = '#7f1d1d';
const TEXT_COLOUR = '#1b1f24';
const FONT = 'system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif';

/*
 * Without a canvas ECharts sizes text from Arial's widths, but the page draws it in the
 * reader's own sans-serif, up to a fifth wider on Linux and Android (DejaVu, Noto): axis
 * labels sized to Arial ran off the chart's left edge. Latin text is measured a fifth wider,
 * so labels are wrapped and spaced for the widest; CJK characters are one em in every font.
 */
const LATIN_WIDTH_MARGIN = 1.2;
const textWidth = (text: string, size: number) => {
  let width = 0;
  for (const ch of text) {
    const arial = DEFAULT_TEXT_WIDTH_MAP[ch];
    width += arial === undefined ? size : arial * size * LATIN_WIDTH_MARGIN;
  }
  return width;
};
echarts.setPlatformAPI({
  measureText(text = '', font = '12px sans-serif') {
    return { width: textWidth(text, Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12)) };
  },
});

const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders an ECharts option to an SVG string named `label`; the instance is disposed at once. */
export function renderChart(option: EChartsOption, size: ChartSize, label: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT, color: TEXT_COLOUR }, ...option });
    const svg = chart.renderToSVGString();
    // The SVG is drawn responsively (width 100%) and announced as one image with a name.
    return svg.replace(
      /^<svg width="\d+" height="\d+"/,
      `<svg role="img" aria-label="${escapeAttr(label)}" focusable="false" preserveAspectRatio="xMinYMin meet" style="width:100%;height:auto;max-width:${size.width}px"`,
    );
  } finally {
    chart.dispose();
  }
}

const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;

const LABEL_FONT_PX = 12;
/** Charts narrower than this (the phone's drawing) get fewer ticks on their value axis. */
const NARROW_CHART = 480;
const TARGET_MARK_WIDTH = 3;
/** Clear space between a target mark (or a bar's end) and the value written beside it. */
const VALUE_LABEL_GAP = 5;
const LABEL_LINE_HEIGHT = 14;
/** How far a category label is turned when its words cannot wrap into its slot (radians). */
const LABEL_TURN = Math.PI / 6;

/**
 * How many lines a 12 px label takes when wrapped at `width`, as ECharts' 'break' wraps it: Latin
 * words kept whole (moved to the next line), CJK characters one at a time. Measured as the chart
 * measures text (setPlatformAPI above), so the rows are made as tall as the labels drawn in them.
 */
function wrappedLines(text: string, width: number): number {
  let lines = 1;
  let used = 0;
  for (const token of text.match(/[A-Za-z0-9%.,:;'’()-]+|\s+|./gsu) ?? []) {
    const w = textWidth(token, LABEL_FONT_PX);
    if (used + w <= width || used === 0) {
      used += w;
      continue;
    }
    lines += 1;
    used = /^\s+$/u.test(token) ? 0 : w;
  }
  return lines;
}

/** The KPIs measured as rates, each bar against its target (a red tick); missed targets in red. */
export function kpiRatesChart(kpis: readonly KpiValue[], lang: Lang, width = 640): string | null {
  const rates = kpis.filter((k) => k.unit === 'ratio' && k.value !== null);
  if (rates.length === 0) return null;
  // Bottom to top in ECharts' category axis: reverse so the chart reads in the table's order.
  const rows = [...rates].reverse();
  // Narrow (phone) charts give the labels less room. Cut short, labels sharing a start ("检查合格率：天…")
  // could not be told apart: each wraps onto as many lines as it needs, and its row is made tall enough.
  // At least ten CJK characters, so that a short name ("检查合格率：检查评估") keeps to one line.
  const labelWidth = Math.round(lang === 'en' ? width * 0.38 : Math.max(10 * LABEL_FONT_PX, width * 0.3));
  const names = rows.map((k) => inLang(k.shortLabel ?? k.label, lang));
  const lines = Math.max(1, ...names.map((n) => wrappedLines(n, labelWidth)));
  const rowHeight = Math.max(28, lines * LABEL_LINE_HEIGHT + 8);
  const height = 40 + rows.length * rowHeight;
  const label = inLang({ zh: '各项比率指标与目标', en: 'Rate KPIs against their targets' }, lang);
  return renderChart(
    {
      // Room on the right for a value written past a target at 100% ("87.5%" beside the last tick).
      grid: { left: 8, right: 56, top: 8, bottom: 24, containLabel: true },
      xAxis: {
        type: 'value',
        min: 0,
        max: 1,
        // On a phone the plot is about 160 px: at fifths "80%" and "100%" overlap and ECharts drops
        // the 100% tick, the one the targets are read against. Quarters leave room for both.
        interval: width < NARROW_CHART ? 0.25 : 0.2,
        axisLabel: { formatter: (v: number) => pct(v) },
      },
      yAxis: {
        type: 'category',
        data: names,
        axisLabel: { width: labelWidth, overflow: 'break', lineHeight: LABEL_LINE_HEIGHT },
      },
      series: [
        {
          type: 'bar',
          barWidth: 14,
          data: rows.map((k) => ({
            value: k.value ?? 0,
            itemStyle: { color: k.met === false ? MISSED_COLOUR : VALUE_COLOUR },
          })),
        },
        {
          // The target of each row as a short vertical mark.
          type: 'scatter',
          symbol: 'rect',
          symbolSize: [TARGET_MARK_WIDTH, 20],
          itemStyle: { color: TARGET_COLOUR },
          data: rows.map((k) => k.target ?? null),
          z: 3,
        },
        {
          // Each bar's value, written past its bar and past its target mark, whichever ends further
          // right: from the bar's own end, a value just short of its target was drawn over the mark.
          type: 'scatter',
          symbolSize: 0,
          // A scatter's default opacity (0.8) would fade its label: the value reads as a bar's did.
          itemStyle: { opacity: 1 },
          silent: true,
          data: rows.map((k) => ({
            value: Math.max(k.value ?? 0, k.target ?? 0),
            label: { formatter: pct(k.value ?? 0) },
          })),
          label: { show: true, position: 'right', distance: TARGET_MARK_WIDTH / 2 + VALUE_LABEL_GAP },
          z: 4,
        },
      ],
    },
    { width, height },
    label,
  );
}

export interface TrendPoint {
  label: string;
  value: number | null;
}

/** One rate over consecutive periods (weeks), with its target as a dashed line. */
export function rateTrendChart(
  title: Bilingual,
  points: readonly TrendPoint[],
  target: number | null,
  lang: Lang,
  size: ChartSize = { width: 320, height: 180 },
): string | null {
  if (points.every((p) => p.value === null)) return null;
  return renderChart(
    {
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: points.map((p) => p.label), axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => pct(v) } },
      series: [
        {
          type: 'line',
          data: points.map((p) => p.value),
          connectNulls: false,
          symbolSize: 6,
          itemStyle: { color: VALUE_COLOUR },
          lineStyle: { color: VALUE_COLOUR, width: 2 },
          ...(target === null
            ? {}
            : {
                markLine: {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { color: TARGET_COLOUR, type: 'dashed' },
                  label: {
                    position: 'insideEndTop',
                    formatter: `${inLang({ zh: '目标', en: 'target' }, lang)} ${pct(target)}`,
                  },
                  data: [{ yAxis: target }],
                },
              }),
        },
      ],
    },
    size,
    inLang(title, lang),
  );
}

/** Counts per category as bars (e.g. open, overdue and breached cases per building). */
export function countBarsChart(
  title: Bilingual,
  categories: readonly string[],
  series: readonly { name: string; values: readonly number[]; colour: string }[],
  lang: Lang,
  size: ChartSize = { width: 480, height: 200 },
): string | null {
  if (categories.length === 0) return null;
  // Every group is named: ECharts hides category labels that would overlap (only 2 of 6 buildings
  // were), so each label is drawn (interval 0) and wrapped to its group's slot, the chart made
  // taller by the lines the longest takes. The slot is the plot's width (less the value axis's
  // room) over the groups, with a little space between neighbours.
  // Where a word is wider than the slot (English on a phone) it would be cut mid-word: the labels
  // are turned instead, whole, and the chart made taller by the longest one's drop.
  const slot = Math.max(3 * LABEL_FONT_PX, Math.floor((size.width - 56) / categories.length) - 6);
  const wordsFit = categories.every((c) =>
    (c.match(/[A-Za-z0-9%.,:;'’()-]+/gu) ?? []).every((w) => textWidth(w, LABEL_FONT_PX) <= slot),
  );
  const lines = wordsFit ? Math.max(1, ...categories.map((c) => wrappedLines(c, slot))) : 1;
  const drop = wordsFit
    ? (lines - 1) * LABEL_LINE_HEIGHT
    : Math.ceil(Math.max(...categories.map((c) => textWidth(c, LABEL_FONT_PX))) * Math.sin(LABEL_TURN));
  const height = size.height + drop;
  return renderChart(
    {
      legend: { top: 0, textStyle: { color: TEXT_COLOUR } },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: [...categories],
        axisLabel: {
          interval: 0,
          hideOverlap: false,
          fontSize: LABEL_FONT_PX,
          ...(wordsFit
            ? { width: slot, overflow: 'break' as const, lineHeight: LABEL_LINE_HEIGHT }
            : { rotate: (LABEL_TURN * 180) / Math.PI }),
        },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((s) => ({
        type: 'bar' as const,
        name: s.name,
        data: [...s.values],
        itemStyle: { color: s.colour },
        label: { show: true, position: 'top' as const },
      })),
    },
    { width: size.width, height },
    inLang(title, lang),
  );
}

/**
 * Several rates over the same periods as lines, one per series (e.g. a pass rate per 6T
 * dimension). Rates are often equal (two dimensions both at 100% in a week), and equal points
 * drawn alike hide one another: each series has its own marker shape, shown in the legend too,
 * and points that coincide in a period are set side by side.
 */
/** One shape per series, in the order of the dimensions; the legend draws the same shapes. */
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'emptyCircle', 'emptyRect'] as const;
const SYMBOL_SIZE = 7;
/** Horizontal distance between the markers of equal points in one week (px). */
export const COINCIDENT_SPREAD = 7;
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

export function multiRateTrendChart(
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
