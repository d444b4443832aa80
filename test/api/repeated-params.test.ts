import { describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { createSession } from '../../store/sessions.ts';
import { uniqueId } from '../support/stack.ts';
import { call, useApiStack } from './harness.ts';

/**
 * Requests a fuzz probe found read wrongly: a parameter or field given twice taken as one of its
 * values, and an API path with a trailing slash refused with the very method it names.
 */
const s = useApiStack();

async function session(personId: string) {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  return { cookie: `rectify_session=${sess.id}`, csrf: sess.csrfToken };
}

describe('a parameter given twice', () => {
  it('is a 400 naming it on GET /api/places, as on the declared routes', async () => {
    const res = await s.app.request('/api/places?buildingId=bldg-a&buildingId=bldg-b');
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors?: { field: string; message: string }[] };
    expect(problem.errors?.[0]).toEqual({
      field: 'buildingId',
      message: '参数 buildingId 重复了 2 次：只能给一次',
    });
    expect((await s.app.request('/api/places?buildingId=bldg-a')).status).toBe(200);
  });

  it('is refused on the dashboard, not read as its first building', async () => {
    const who = await session('wg-chen');
    const res = await s.app.request('/app/dashboard?buildingId=bldg-a&buildingId=bldg-b', {
      headers: { cookie: who.cookie },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('参数 buildingId 重复了 2 次：只能给一次');
  });

  it('is a 400 page naming it on the case list, not read as its first stage', async () => {
    const who = await session('sup-wang');
    const res = await s.app.request('/app/cases?stage=analysing&stage=assigned&sort=due', {
      headers: { cookie: who.cookie },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('地址中的参数 stage 给了 2 次，只能给一次');
    // The way on keeps the other parameters.
    expect(html).toContain('<a href="/app/cases?sort=due" data-without-repeated');
    const en = await s.app.request('/app/cases?lang=en&q=a&q=b&q=c', { headers: { cookie: who.cookie } });
    expect(en.status).toBe(400);
    expect(await en.text()).toContain('The address gives q 3 times; give it once');
    const once = await s.app.request('/app/cases?stage=analysing', { headers: { cookie: who.cookie } });
    expect(once.status).toBe(200);
  });

  it('is a 400 page on the other pages too (triage queue, workbench, weekly reports)', async () => {
    const who = await session('sup-wang');
    for (const path of [
      '/app/triage?buildingId=bldg-a&buildingId=bldg-b',
      '/app?lang=en&lang=zh-CN',
      '/app/dashboard/weekly?week=2026-W40&week=2026-W41',
    ]) {
      const res = await s.app.request(path, { headers: { cookie: who.cookie } });
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toContain('data-repeated-query');
    }
  });

  it('is refused in a triage decision, naming the field, and leaves the report in the queue', async () => {
    const form = new FormData();
    form.append('kind', 'repair');
    form.append('description', '走廊灯不亮');
    form.append('name', '王同学');
    form.append('contact', `${uniqueId('rep')}@students.demo.edu.cn`);
    const code = placeCode({ buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A105' });
    const sent = await s.app.request(`/r/${code}`, {
      method: 'POST',
      body: form,
      headers: { 'x-forwarded-for': '198.51.100.77' },
    });
    expect(sent.status).toBe(303);
    const token = /^\/t\/([A-Za-z0-9_-]{32})/.exec(sent.headers.get('location') ?? '')![1]!;
    const reportId = /RP-[0-9A-Z]{10}/.exec(await (await s.app.request(`/t/${token}`)).text())![0];
    const who = await session('sup-wang');
    const res = await s.app.request(`/app/triage/${reportId}`, {
      method: 'POST',
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `action=reject&action=case&reason=${encodeURIComponent('重复报告')}&_csrf=${who.csrf}`,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('字段 action 重复了 2 次：只能给一次');
    const tracking = await (await s.app.request(`/t/${token}`)).text();
    expect(tracking).not.toContain('不受理');
  });
});

describe('an API path with a trailing slash', () => {
  it('is sent to the path without it for a read, never a 405 naming the method it refuses', async () => {
    const res = await call(s.app, 'GET', '/api/cases/?limit=5', { as: 'sup-wang' });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/api/cases?limit=5');
    const head = await call(s.app, 'HEAD', '/api/cases/', { as: 'sup-wang' });
    expect(head.status).toBe(308);
  });

  it('is a 404 naming the path to use for any other method', async () => {
    const res = await call(s.app, 'POST', '/api/cases/', { as: 'sup-wang', body: {} });
    expect(res.status).toBe(404);
    const problem = (await res.json()) as { detail: string };
    expect(problem.detail).toContain('使用 /api/cases');
    expect(problem.detail).not.toContain('不接受');
    // A method the path does not take at all is still a 405 listing those it does.
    const put = await call(s.app, 'PUT', '/api/cases', { as: 'sup-wang', body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
  });
});
