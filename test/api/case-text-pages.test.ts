import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../store/sessions.ts';
import { inspectionRoundKit } from '../support/inspection-rounds.ts';
import { uniqueId } from '../support/stack.ts';
import { startApiStack, tokenFor, type ApiStack } from './harness.ts';

/**
 * A failed 6T item's case stores its title and description in both languages ("… 不合格 /
 * …: failed", "标准要求 / Requirement: …"); the pages read them in the page's language, and the
 * JSON API returns them as stored.
 */
let s: ApiStack;
beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const { openRound, roundNow } = inspectionRoundKit(() => s.deps, { from: 31_000, span: 20_000 });

async function failedItemCase(note: string): Promise<string> {
  const id = await openRound();
  const res = await s.app.request(`/inspection/${id}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await tokenFor('sup-wang')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams([
      ['6t.safety.1.result', 'fail'],
      ['6t.safety.1.note', note],
      ['finish', 'false'],
    ]).toString(),
  });
  expect(res.status).toBe(303);
  const caseId = (await roundNow(id)).cases['6t.safety.1'];
  expect(caseId).toMatch(/^ZG-/);
  return caseId!;
}

const get = async (path: string) => {
  const res = path.startsWith('/api/')
    ? await s.app.request(path, { headers: { authorization: `Bearer ${await tokenFor('sup-wang')}` } })
    : await s.app.request(path, {
        headers: {
          cookie: `rectify_session=${(await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' })).id}`,
        },
      });
  expect(res.status, path).toBe(200);
  return res;
};

describe('a failed item’s case on the pages', () => {
  it('reads its title and description in the page’s language; the API keeps them as stored', async () => {
    const note = uniqueId('消防通道堆物');
    const caseId = await failedItemCase(note);
    const zh = await (await get(`/app/cases/${caseId}?lang=zh-CN`)).text();
    const en = await (await get(`/app/cases/${caseId}?lang=en`)).text();
    expect(zh).toContain(`${caseId} · 安全 1 消防管理 不合格`);
    expect(zh).not.toContain('Safety 1 Fire management: failed');
    expect(zh).toMatch(/日检（学生公寓A栋）：消防通道堆物/);
    expect(zh).toContain('标准要求：楼道畅通');
    expect(zh).not.toContain('Requirement:');
    expect(en).toContain(`${caseId} · Safety 1 Fire management: failed`);
    expect(en).not.toContain('不合格');
    expect(en).toMatch(/Daily inspection, [^<]*\(Dormitory A\): 消防通道堆物/);
    expect(en).toContain('Requirement: 楼道畅通');
    expect(en).not.toContain('标准要求');

    const list = await (await get(`/app/cases?lang=en&q=${caseId}`)).text();
    expect(list).toContain('>Safety 1 Fire management: failed</a>');

    const api = (await (await get(`/api/cases/${caseId}`)).json()) as { title: string; description: string };
    expect(api.title).toBe('安全 1 消防管理 不合格 / Safety 1 Fire management: failed');
    expect(api.description).toContain('标准要求 / Requirement: ');
  });

  it('shows a person’s own description as typed, even a line written "中文 / English"', async () => {
    const typed = `宿舍漏水 / leaking since Monday ${uniqueId('x')}`;
    const opened = await s.app.request('/api/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor('sup-wang')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'leak',
        description: typed,
        source: 'repair',
        severity: 'routine',
        location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
        assigneeId: 'staff-zhao',
      }),
    });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    for (const lang of ['zh-CN', 'en'])
      expect(await (await get(`/app/cases/${caseId}?lang=${lang}`)).text()).toContain(typed);
  });
});
