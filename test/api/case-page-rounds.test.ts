import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSessions } from '../support/page-sessions.ts';
import { signOffUpdate } from '../../workflows/rectification-case/messages.ts';
import { uniqueId } from '../support/stack.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * The case page's 整改与复查 section reads round by round: each review stands after the
 * rectification it judged (rectification 1, review 1, rectification 2, review 2), not every
 * rectification first and the reviews after them.
 */
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

async function post(path: string, personId: string, fields: Record<string, string>) {
  const who = await as(personId);
  return s.app.request(path, {
    method: 'POST',
    headers: { cookie: `rectify_session=${who.id}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: who.csrf }).toString(),
  });
}

describe('a case reviewed twice', () => {
  it('lists its rectifications and reviews by round', async () => {
    const opened = await post('/app/cases/new', 'sup-wang', {
      title: `rounds ${uniqueId('t')}`,
      description: '水龙头滴水',
      source: 'inspection',
      severity: 'routine',
      buildingId: 'bldg-a',
      floorId: 'a-f1',
      roomId: 'A101',
      assigneeId: 'staff-zhao',
    });
    expect(opened.status).toBe(303);
    const caseId = /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(opened.headers.get('location') ?? '')?.[1] ?? '';
    const path = `/app/cases/${caseId}`;
    const step = async (res: Promise<Response>) => expect((await res).status).toBe(303);
    await step(
      post(`${path}/root-cause`, 'sup-wang', {
        why1: '垫圈老化',
        causes: '垫圈老化',
        responsibleId: 'staff-zhao',
        plan: '更换垫圈',
      }),
    );
    await s.deps.temporal.workflow.getHandle(caseId).executeUpdate(signOffUpdate, {
      args: [{ actor: { id: 'staff-zhao', roles: ['staff'] }, decision: 'confirm' }],
    });
    await step(
      post(`${path}/rectification`, 'staff-zhao', { summary: '第一次更换', evidenceText: '维修单 1' }),
    );
    await step(post(`${path}/review`, 'sup-wang', { passed: 'false', notes: '仍在滴水' }));
    await step(
      post(`${path}/rectification`, 'staff-zhao', { summary: '第二次更换', evidenceText: '维修单 2' }),
    );
    await step(post(`${path}/review`, 'sup-wang', { passed: 'true', notes: '已修好' }));
    const html = await (
      await s.app.request(path, { headers: { cookie: `rectify_session=${(await as('sup-wang')).id}` } })
    ).text();
    expect([...html.matchAll(/data-work="([a-z]+-\d+)"/g)].map((m) => m[1])).toEqual([
      'rectification-1',
      'review-1',
      'rectification-2',
      'review-2',
    ]);
    const at = (text: string) => html.indexOf(text);
    expect(at('第 1 轮整改')).toBeLessThan(at('第 1 轮复查'));
    expect(at('第 1 轮复查')).toBeLessThan(at('第 2 轮整改'));
    expect(at('第 2 轮整改')).toBeLessThan(at('第 2 轮复查'));
  });
});
