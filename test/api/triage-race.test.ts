import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { claimTriage, getReport } from '../../store/reports.ts';
import { createSession } from '../../store/sessions.ts';
import { uniqueId } from '../support/stack.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * Two supervisors of one building decide the same scanned-code report at once: the first opens a
 * case; the second is told who decided it and how, with a link to the case, not asked to correct
 * and resubmit, and the report's card and forms are not offered to them again.
 */
let s: ApiStack;
let address = 0;

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const code = placeCode({ buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A206' });

async function reported(description: string): Promise<string> {
  const f = new FormData();
  f.append('kind', 'repair');
  f.append('description', description);
  const res = await s.app.request(`/r/${code}`, {
    method: 'POST',
    body: f,
    headers: { 'x-forwarded-for': `198.51.100.${++address}` },
  });
  expect(res.status).toBe(303);
  const token = /^\/t\/([A-Za-z0-9_-]{32})\?new=1$/.exec(res.headers.get('location') ?? '')![1]!;
  return /RP-[0-9A-Z]{10}/.exec(await (await s.app.request(`/t/${token}`)).text())![0];
}

async function decide(personId: string, reportId: string, fields: Record<string, string>, lang = 'zh-CN') {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  const body = new URLSearchParams({ ...fields, _csrf: sess.csrfToken });
  return s.app.request(`/app/triage/${reportId}`, {
    method: 'POST',
    body,
    headers: {
      cookie: `rectify_session=${sess.id}`,
      accept: 'text/html',
      'accept-language': lang,
      'content-type': 'application/x-www-form-urlencoded',
    },
  });
}

/** The page's summary: its lead over links, or its only line. */
const lead = (html: string) =>
  (/class="summary-lead">([^<]*)</.exec(html) ??
    /class="flash error" role="alert">([^<]*)</.exec(html))?.[1] ?? '';
const cardOf = (html: string, reportId: string) => html.includes(`<article class="card" id="${reportId}"`);
const toCase = { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' };

describe('two supervisors open a case from the same report 150 ms apart', () => {
  it('the second is told who opened which case, with its link, and sees no card for the report', async () => {
    const reportId = await reported(`A206 灯管闪烁 ${uniqueId('race')}`);
    const first = decide('sup-wang', reportId, toCase);
    await new Promise((r) => setTimeout(r, 150));
    const second = await decide('sup-smith', reportId, toCase);
    expect((await first).status).toBe(303);
    const caseId = (await getReport(s.deps.aws, reportId))!.caseId!;
    expect(caseId).toMatch(/^ZG-\d{4}-\d{6}$/);
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(lead(html)).toBe(
      `报告 ${reportId} 已由王建国处理：已立案 ${caseId}。您这次的提交没有执行，这份报告无需再分派。`,
    );
    expect(html).not.toContain('请更正后重新提交');
    expect(html).toContain(`<a href="/app/cases/${caseId}">查看案件 ${caseId}</a>`);
    expect(cardOf(html, reportId)).toBe(false);
    expect(html).not.toContain(`action="/app/triage/${reportId}"`);
  });

  it('in English, a rejection lost to the case: opened case … by name', async () => {
    const reportId = await reported(`A206 door ${uniqueId('race')}`);
    const first = decide('sup-smith', reportId, toCase);
    await new Promise((r) => setTimeout(r, 150));
    const second = await decide('sup-wang', reportId, { action: 'reject', reason: 'duplicate' }, 'en');
    expect((await first).status).toBe(303);
    const caseId = (await getReport(s.deps.aws, reportId))!.caseId!;
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(lead(html)).toBe(
      `Report ${reportId} was already decided: Anna Smith opened case ${caseId}. Your decision was not applied; the report needs nothing more.`,
    );
    expect(html).toContain(`<a href="/app/cases/${caseId}">Open case ${caseId}</a>`);
    expect(cardOf(html, reportId)).toBe(false);
    expect((await getReport(s.deps.aws, reportId))!.status).toBe('case');
  });

  it('a decision sent after the report was rejected says so, with the reason', async () => {
    const reportId = await reported(`A206 重复 ${uniqueId('race')}`);
    expect((await decide('sup-wang', reportId, { action: 'reject', reason: '与昨日报告重复' })).status).toBe(
      303,
    );
    const late = await decide('sup-smith', reportId, toCase);
    expect(late.status).toBe(409);
    const html = await late.text();
    expect(lead(html)).toBe(
      `报告 ${reportId} 已由王建国处理：不予受理（原因：与昨日报告重复）。您这次的提交没有执行，这份报告无需再分派。`,
    );
    expect(cardOf(html, reportId)).toBe(false);
  });

  it('a decision still under way elsewhere after a few seconds: who is deciding it, and the way to its outcome', async () => {
    const reportId = await reported(`A206 插座 ${uniqueId('race')}`);
    // Anna Smith's decision holds the report and has not been recorded yet.
    expect(await claimTriage(s.deps.aws, reportId, 'sup-smith')).not.toBeNull();
    const res = await decide('sup-wang', reportId, toCase);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(lead(html)).toBe(`报告 ${reportId} 正由Anna Smith处理（刚刚提交），您这次的提交没有执行。`);
    expect(html).toContain(`<a href="/app/triage/${reportId}">稍后打开，查看处理结果</a>`);
    expect(cardOf(html, reportId)).toBe(false);
    expect((await getReport(s.deps.aws, reportId))!.status).toBe('received');
  });
});
