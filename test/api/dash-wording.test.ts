import { describe, expect, it } from 'vitest';
import { createSession } from '../../store/sessions.ts';
import { standards } from '../../domain/standards/catalogue.ts';
import { useApiStack } from './harness.ts';

/**
 * What a campus person reads on the dashboard and the standards page: fields named by the labels
 * the form shows, standards by the titles and numbers the school knows, never our seed files' numbers
 * or the catalogue's internal ids; the English page says once what it leaves in Chinese.
 */
const s = useApiStack();

async function page(path: string, personId: string, lang: 'zh-CN' | 'en') {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  const res = await s.app.request(path, {
    headers: { cookie: `rectify_session=${sess.id}`, 'accept-language': lang },
  });
  return { status: res.status, html: await res.text() };
}

/** The page's words as shown: the main part's text, without tags, attributes or style sheets. */
const shown = (html: string) =>
  html
    .slice(html.indexOf('<main'))
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'");

describe('the dashboard’s query errors', () => {
  it('name the fields by their labels, in English as in Chinese', async () => {
    const backwards = '/app/dashboard?from=2026-03-10&to=2026-03-01';
    const en = await page(backwards, 'wg-chen', 'en');
    expect(en.status).toBe(400);
    expect(shown(en.html)).toContain('The “From” date must be on or before the “To” date');
    expect(en.html).not.toContain('from must be on or before to');
    const zh = await page(backwards, 'wg-chen', 'zh-CN');
    expect(shown(zh.html)).toContain('开始日期须早于或等于结束日期');

    const bogus = await page('/app/dashboard?from=bogus', 'wg-chen', 'en');
    expect(bogus.status).toBe(400);
    expect(shown(bogus.html)).toMatch(/From: \S/);
    expect(shown(bogus.html)).not.toMatch(/\bfrom: /);
    const bogusZh = await page('/app/dashboard?from=bogus', 'wg-chen', 'zh-CN');
    expect(shown(bogusZh.html)).toMatch(/开始日期：\S/);
    const week = await page('/app/dashboard/weekly?week=2026-W99', 'wg-chen', 'en');
    expect(week.status).toBe(400);
    expect(shown(week.html)).toContain('Week: ');
    expect(shown(week.html)).not.toMatch(/\bweek: /);
  });
});

describe('developer wording', () => {
  const rawIds = standards.dimensions.flatMap((d) => d.items.map((i) => i.id));

  for (const lang of ['zh-CN', 'en'] as const)
    it(`is not on the standards page or in the KPI table (${lang})`, async () => {
      const std = await page('/app/standards', 'sup-wang', lang);
      expect(std.status).toBe(200);
      const dash = await page('/app/dashboard', 'sup-wang', lang);
      expect(dash.status).toBe(200);
      const kpis = dash.html.slice(dash.html.indexOf('<table data-kpis'), dash.html.indexOf('</table>'));
      expect(kpis).not.toBe('');
      for (const text of [shown(std.html), shown(kpis), shown(dash.html)]) {
        expect(text).not.toMatch(/\bseeds? 0\d\d/);
        for (const id of rawIds) expect(text).not.toContain(id);
      }
      // The standard by its own title; each item still reachable by its anchor.
      expect(shown(std.html)).toContain('学生公寓“6T”现场管理标准');
      expect(std.html).toContain('id="6t.safety.1"');
    });

  it('the English standards page says once that the goals stay in Chinese', async () => {
    const en = await page('/app/standards', 'sup-wang', 'en');
    expect(en.html.match(/data-goals-untranslated/g)).toHaveLength(1);
    expect(shown(en.html)).toContain('quoted in Chinese as the standard writes it');
    const zh = await page('/app/standards', 'sup-wang', 'zh-CN');
    expect(zh.html).not.toContain('data-goals-untranslated');
    // The goals themselves are the standard's words, kept as written.
    expect(en.html).toContain(standards.dimensions[0]!.goal.slice(0, 20));
  });
});
