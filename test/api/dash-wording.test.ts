import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../store/sessions.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * What a campus person reads on the dashboard: fields named by the labels the form shows them with.
 */
let s: ApiStack;
beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

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
