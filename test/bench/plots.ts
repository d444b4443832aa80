import * as echarts from 'echarts';

/** A small server-rendered SVG chart (ECharts SSR), for docs/benchmarks.md. */
function render(option: echarts.EChartsOption, width = 640, height = 320): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** Step latency distribution of both sides: one box per side from the bench's samples. */
export function latencyPlot(sides: { name: string; stepMs: number[] }[]): string {
  const box = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
    return [q(0), q(0.25), q(0.5), q(0.75), q(0.99)];
  };
  return render({
    title: { text: 'Step latency (ms): min, quartiles, p99', left: 'center', textStyle: { fontSize: 14 } },
    xAxis: { type: 'category', data: sides.map((s) => s.name) },
    yAxis: { type: 'value', name: 'ms' },
    series: [{ type: 'boxplot', data: sides.map((s) => box(s.stepMs)) }],
  });
}

/** History bytes after each step of one case, both sides. */
export function historyPlot(sides: { name: string; bytesPerStep: number[] }[]): string {
  const steps = Math.max(...sides.map((s) => s.bytesPerStep.length));
  return render({
    title: { text: 'History size after each step (bytes)', left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: steps }, (_, i) => (i === steps - 1 ? 'end' : `${i + 1}`)),
    },
    yAxis: { type: 'value', name: 'bytes' },
    series: sides.map((s) => ({ type: 'line', name: s.name, data: s.bytesPerStep })),
  });
}
