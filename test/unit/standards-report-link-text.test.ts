import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../api/auth.ts';
import type { AppDeps } from '../../api/deps.ts';
import type { WebEnv } from '../../api/middleware/session.ts';
import { standardsPageRoutes } from '../../api/pages/app/standards-page.tsx';
import { reportLinkRoutes } from '../../api/routes/report-link-pages.tsx';

const viewer: Caller = {
  person: {
    id: 'wg-chen',
    name: '陈',
    email: 'chen@demo.edu.cn',
    roles: ['working_group'],
    language: 'zh-CN',
  },
  actor: { id: 'wg-chen', roles: ['working_group'] },
};

async function standardsPage(lang: 'zh-CN' | 'en') {
  const app = new Hono<WebEnv>();
  app.use('*', async (c, next) => {
    c.set('viewer', viewer);
    c.set('lang', lang);
    c.set('csrfToken', 'token');
    await next();
  });
  app.route('/', standardsPageRoutes({} as AppDeps));
  return (await app.request('/standards')).text();
}

describe('small text on the standards and report-link pages', () => {
  it('a failed check’s rule and severity read as one sentence, without a stop before the comma', async () => {
    const zh = await standardsPage('zh-CN');
    expect(zh).toContain('不合格时立案：');
    expect(zh).not.toMatch(/。，|。（/);
    expect(zh).toMatch(/24小时内完成（(一般|紧急|重大)）/);
    const en = await standardsPage('en');
    expect(en).not.toMatch(/\.,|\. \(/);
    expect(en).toMatch(/within 24 hours \((routine|urgent|major)\)/);
  });

  it('a failed check’s rule reads without a colon of its own after the line’s colon', async () => {
    const zhRules = [...(await standardsPage('zh-CN')).matchAll(/不合格时立案：([^（<]*)（/g)].map(
      (m) => m[1],
    );
    const enRules = [
      ...(await standardsPage('en')).matchAll(/A failed check opens a case: ([^(<]*) \(/g),
    ].map((m) => m[1]);
    expect(zhRules.length).toBeGreaterThan(0);
    expect(enRules.length).toBe(zhRules.length);
    expect(zhRules).toContain('天天安全保障问题24小时内分析原因、责任人，制定整改方案；零星维修24小时内完成');
    expect(enRules).toContain('Safety finding analysed within 24 hours, then fixed within 24 hours');
    for (const rule of [...zhRules, ...enRules]) expect(rule).not.toMatch(/[:：]/);
  });

  it('a bad report link points to the dashboard’s weekly page, not the JSON API', async () => {
    const app = reportLinkRoutes({
      signingKeys: { current: 'k1', keys: { k1: 'x'.repeat(32) } },
    } as unknown as AppDeps);
    const html = await (await app.request('/reports/not-a-token')).text();
    expect(html).toContain('/app/dashboard/weekly');
    expect(html).not.toContain('/api/reports/weekly');
  });
});
