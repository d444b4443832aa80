import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { createSession } from '../../store/sessions.ts';
import {
  claimTriage,
  newReportId,
  releaseTriage,
  saveReport,
  TRIAGE_CLAIM_MS,
  triageQueue,
} from '../../store/reports.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { startApiStackOn, type ApiStack } from './harness.ts';

/**
 * A report whose triage decision has been taken but not recorded yet (a case opening, its
 * claim live) is not waiting: the queue's count and its cards agree (what is counted is what
 * is listed), and the report is shown apart as being decided, by whom. Own tables, so the queue
 * holds only this file's reports.
 */
let s: ApiStack;

beforeAll(async () => {
  s = await startApiStackOn(ownTables(uniqueId('triaged')));
});
afterAll(async () => {
  await s?.stop();
});

const location = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };

async function seed(minute: number, description: string): Promise<string> {
  const { report } = await saveReport(s.deps.aws, {
    reportId: newReportId(),
    placeCode: placeCode(location),
    location,
    kind: 'cleanliness',
    description,
    evidence: [],
    receivedAt: new Date(Date.parse('2026-11-02T01:00:00.000Z') + minute * 60_000).toISOString(),
  });
  return report.reportId;
}

async function open(personId: string, lang = 'zh-CN') {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  const res = await s.app.request('/app/triage', {
    headers: { cookie: `rectify_session=${sess.id}`, 'accept-language': lang },
  });
  expect(res.status).toBe(200);
  return res.text();
}

async function decide(personId: string, reportId: string, fields: Record<string, string>) {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  return s.app.request(`/app/triage/${reportId}`, {
    method: 'POST',
    body: new URLSearchParams({ ...fields, _csrf: sess.csrfToken }),
    headers: {
      cookie: `rectify_session=${sess.id}`,
      accept: 'text/html',
      'accept-language': 'zh-CN',
      'content-type': 'application/x-www-form-urlencoded',
    },
  });
}

const cards = (html: string) =>
  [...html.matchAll(/<article class="card" id="(RP-[0-9A-Z]{10})"/g)].map((m) => m[1]);
const waiting = (html: string) => /data-waiting="(\d+)"/.exec(html)?.[1];
const beingDecided = (html: string) =>
  [...html.matchAll(/data-deciding-report="(RP-[0-9A-Z]{10})"/g)].map((m) => m[1]);

describe('a report whose decision is under way', () => {
  const ids: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) ids.push(await seed(i, `走廊垃圾 ${i}`));
  });

  it('is neither counted nor offered as waiting, and shows who is deciding it', async () => {
    const [r1, r2, r3] = ids as [string, string, string];
    // Anna Smith has taken r2 (her case is opening): it is not recorded yet.
    const claim = await claimTriage(s.deps.aws, r2, 'sup-smith');
    expect(claim).not.toBeNull();

    const zh = await open('wg-chen');
    expect(cards(zh)).toEqual([r1, r3]);
    expect(waiting(zh)).toBe('2');
    expect(zh).toContain('共 2 条待分派');
    expect(beingDecided(zh)).toEqual([r2]);
    expect(zh).toContain('处理中（1）');
    expect(zh).toContain('正由Anna Smith处理');

    const en = await open('sup-smith', 'en');
    expect(cards(en)).toEqual([r1, r3]);
    expect(en).toContain('2 waiting');
    expect(en).toContain('Being decided (1)');
    expect(en).toContain('being decided by you');

    // The store says the same: what it counts is what it pages through.
    const page = await triageQueue(s.deps.aws, ['bldg-a']);
    expect(page.total).toBe(page.reports.length);
    expect(page.reports.map((r) => r.reportId)).toEqual([r1, r3]);
    expect(page.deciding.map((d) => [d.report.reportId, d.by])).toEqual([[r2, 'sup-smith']]);

    // Someone else deciding it meanwhile is told who holds it; their page still counts what it lists.
    const lost = await decide('sup-wang', r2, { action: 'reject', reason: '重复' });
    expect(lost.status).toBe(409);
    const after = await lost.text();
    expect(cards(after)).toEqual([r1, r3]);
    expect(waiting(after)).toBe('2');

    // A decision that did not go through gives the report back: it waits again.
    await releaseTriage(s.deps.aws, r2, claim!);
    const back = await open('wg-chen');
    expect(cards(back)).toEqual([r1, r2, r3]);
    expect(waiting(back)).toBe('3');
    expect(beingDecided(back)).toEqual([]);
    expect(back).not.toContain('处理中（');
  });

  it('waits again once its claim has run out (the deciding process died)', async () => {
    const [r1, r2, r3] = ids as [string, string, string];
    expect(
      await claimTriage(s.deps.aws, r1, 'sup-wang', Date.now() - TRIAGE_CLAIM_MS - 1_000),
    ).not.toBeNull();
    const html = await open('wg-chen');
    expect(cards(html)).toEqual([r1, r2, r3]);
    expect(waiting(html)).toBe('3');
    expect(beingDecided(html)).toEqual([]);
  });

  it('leaves the count once decided', async () => {
    const [r1, r2, r3] = ids as [string, string, string];
    expect((await decide('sup-wang', r1, { action: 'reject', reason: '已清理' })).status).toBe(303);
    const html = await open('wg-chen');
    expect(cards(html)).toEqual([r2, r3]);
    expect(waiting(html)).toBe('2');
  });
});
