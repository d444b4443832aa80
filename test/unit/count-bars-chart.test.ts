import { describe, expect, it } from 'vitest';
import { countBarsChart } from '../../api/pages/charts.ts';

/**
 * The dashboard's "By building" chart: ECharts hid the labels that would overlap, so only 2 of the
 * demo campus's 6 buildings were named (not Dormitory A, the biggest bar). Every group is named,
 * whole words on a phone too.
 */
const names = {
  'zh-CN': ['学生公寓A栋', '学生公寓B栋', '第一食堂', '公寓洗衣房', '北门', '田径运动场'],
  en: ['Dormitory A', 'Dormitory B', 'Canteen 1', 'Dormitory laundry', 'North gate', 'Sports ground'],
} as const;
const series = [
  { name: 'cases', values: [9, 3, 2, 1, 0, 4], colour: '#0b57a4' },
  { name: 'overdue', values: [1, 0, 0, 0, 0, 0], colour: '#b45309' },
];
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('the count bars chart', () => {
  for (const lang of ['zh-CN', 'en'] as const)
    for (const width of [640, 360])
      it(`labels every bar group in ${lang} at ${width}px, words whole`, () => {
        const svg = countBarsChart({ zh: 't', en: 't' }, names[lang], series, lang, { width, height: 200 })!;
        const drawn = texts(svg);
        const all = drawn.join('').replace(/\s+/g, '');
        for (const n of names[lang]) expect(all, n).toContain(n.replace(/\s+/g, ''));
        if (lang === 'en') {
          const words = new Set(names.en.flatMap((n) => n.split(' ')));
          const labelWords = drawn
            .filter((t) => /[A-Za-z]/.test(t) && !series.some((s) => s.name === t))
            .flatMap((t) => t.trim().split(/\s+/));
          for (const w of labelWords) expect(words, w).toContain(w);
        }
      });
});
