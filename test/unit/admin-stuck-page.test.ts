import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../api/auth.ts';
import type { AppDeps } from '../../api/deps.ts';
import type { WebEnv } from '../../api/middleware/session.ts';
import { stuckPageRoutes } from '../../api/pages/app/admin-stuck.tsx';

/**
 * The failed automatic steps page when nothing is waiting: it says so (the stack test, on a
 * Temporal other files share, cannot count on an empty list).
 */
const admin: Caller = {
  person: {
    id: 'admin-xu',
    name: '徐管理',
    email: 'xu.admin@demo.edu.cn',
    roles: ['admin'],
    language: 'zh-CN',
  },
  actor: { id: 'admin-xu', roles: ['admin'] },
};
// A Temporal client whose visibility lists no stuck case.
const noStuckCases = {
  workflow: {
    list: () => ({ async *[Symbol.asyncIterator]() {} }),
  },
} as unknown as Client;

function pageApp(lang: 'zh-CN' | 'en') {
  const app = new Hono<WebEnv>();
  app.use('*', async (c, next) => {
    c.set('viewer', admin);
    c.set('lang', lang);
    c.set('csrfToken', 'token');
    await next();
  });
  stuckPageRoutes(app, { temporal: noStuckCases, env: { CAMPUS_TZ: 'Asia/Shanghai' } } as unknown as AppDeps);
  return app;
}

describe('the failed automatic steps page with nothing waiting', () => {
  it('says there is nothing waiting, in the reader’s language', async () => {
    const zh = await pageApp('zh-CN').request('/admin/stuck');
    expect(zh.status).toBe(200);
    const html = await zh.text();
    expect(html).toContain('data-stuck-empty');
    expect(html).toContain('目前没有待处理的失败操作。');
    expect(html).not.toContain('<form method="post" action="/app/admin/stuck/');
    const en = await (await pageApp('en').request('/admin/stuck')).text();
    expect(en).toContain('Nothing is waiting: no automatic step has failed.');
  });
});

describe('the failed steps page’s name', () => {
  it('is the nav link’s, in its title and heading, in both languages', async () => {
    const zh = await (await pageApp('zh-CN').request('/admin/stuck')).text();
    expect(zh).toContain('<title>失败操作 · ');
    expect(zh).toContain('<h1>失败操作</h1>');
    expect(zh).toMatch(/<a[^>]*href="\/app\/admin\/stuck"[^>]*>失败操作<\/a>/);
    expect(zh).not.toContain('待处理的自动操作');
    const en = await (await pageApp('en').request('/admin/stuck')).text();
    expect(en).toContain('<title>Failed steps · ');
    expect(en).toContain('<h1>Failed steps</h1>');
    expect(en).toMatch(/<a[^>]*href="\/app\/admin\/stuck"[^>]*>Failed steps<\/a>/);
  });
});
