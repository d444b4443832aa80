import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { getReport } from '../../store/reports.ts';
import { createSession } from '../../store/sessions.ts';
import {
  caseViewQuery,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';
import { actionPath, call, startApiStack, type ApiStack } from './harness.ts';

/**
 * What triage does with a scanned-code report and what its reporter hears after: the queue shows
 * a safety hazard before routine repairs; a case opened from an English report speaks English to
 * its reporter; a reporter whose report was merged into a case is told its result, once.
 */
let s: ApiStack;
let address = 0;
const nextAddress = () => `198.51.100.${++address}`;

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const roomCode = (roomId: string) => placeCode({ buildingId: 'bldg-a', floorId: 'a-f2', roomId });

function report(code: string, fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return s.app.request(`/r/${code}`, {
    method: 'POST',
    body: f,
    headers: { 'x-forwarded-for': nextAddress() },
  });
}

/** Reports through the public form; its tracking token and report id. */
async function reported(code: string, fields: Record<string, string>) {
  const res = await report(code, fields);
  expect(res.status).toBe(303);
  const token = /^\/t\/([A-Za-z0-9_-]{32})\?new=1$/.exec(res.headers.get('location') ?? '')![1]!;
  const page = await (await s.app.request(`/t/${token}`)).text();
  return { token, reportId: /RP-[0-9A-Z]{10}/.exec(page)![0] };
}

async function asPerson(personId: string, path: string, init: RequestInit = {}) {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  const body = init.body instanceof URLSearchParams ? init.body : undefined;
  if (body) body.set('_csrf', sess.csrfToken);
  return s.app.request(path, {
    ...init,
    headers: {
      cookie: `rectify_session=${sess.id}`,
      accept: 'text/html',
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
  });
}

const triage = (reportId: string, fields: Record<string, string>) =>
  asPerson('sup-wang', `/app/triage/${reportId}`, { method: 'POST', body: new URLSearchParams(fields) });

async function openCase(reportId: string): Promise<string> {
  expect(
    (await triage(reportId, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' })).status,
  ).toBe(303);
  return (await getReport(s.deps.aws, reportId))!.caseId!;
}

const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };

/** Runs a case to its passed review. */
async function toReview(caseId: string) {
  const h = s.deps.temporal.workflow.getHandle(caseId);
  await h.executeUpdate(submitRootCauseUpdate, {
    args: [{ actor: sup, causes: ['老化'], responsibleId: 'staff-zhou', plan: '更换' }],
  });
  await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
  await h.executeUpdate(reportRectificationUpdate, {
    args: [{ actor: zhou, summary: '已更换灯管', evidence: ['x.jpg'] }],
  });
  await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: '复查合格' }] });
  return h;
}

describe('the triage page', () => {
  it('shows a safety hazard before the routine repairs that came in earlier', async () => {
    const word = uniqueId('order');
    const repairs: string[] = [];
    for (let i = 0; i < 3; i++)
      repairs.push(
        (await reported(roomCode('A204'), { kind: 'repair', description: `${word} 报修 ${i}` })).reportId,
      );
    const hazard = (await reported(roomCode('A204'), { kind: 'safety', description: `${word} 插座冒烟` }))
      .reportId;
    const html = await (await asPerson('sup-wang', `/app/triage?q=${encodeURIComponent(word)}`)).text();
    const shown = [...html.matchAll(/<article class="card" id="(RP-[0-9A-Z]{10})"/g)].map((m) => m[1]);
    expect(shown).toEqual([hazard, ...repairs]);
  });
});

describe('a case opened from an English report', () => {
  it('keeps the reporter’s language: the case says en, and their rating page opens in English', async () => {
    const email = `${uniqueId('en')}@example.org`;
    const { reportId } = await reported(roomCode('A205'), {
      kind: 'repair',
      description: 'The lamp is broken',
      contact: email,
      lang: 'en',
    });
    const caseId = await openCase(reportId);
    const res = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { reporter?: { language?: string } }).reporter?.language).toBe('en');
    await toReview(caseId);
    const rating = async () =>
      (await sentEmails((e) => e.to.includes(email) && e.subject.includes(caseId)))[0];
    await expect.poll(rating, { timeout: 30_000 }).toBeDefined();
    const page = await (await s.app.request(actionPath((await rating())!))).text();
    expect(page).toContain('<html lang="en"');
  });
});

describe('a reporter whose report was merged into a case', () => {
  it('is told once when the case’s review passes, with their tracking page; the case’s own reporter is not told twice', async () => {
    const own = `${uniqueId('own')}@students.demo.edu.cn`;
    const other = `${uniqueId('merged')}@example.org`;
    const first = await reported(roomCode('A206'), {
      kind: 'repair',
      description: '走廊灯坏了',
      contact: own,
    });
    const caseId = await openCase(first.reportId);
    const merged = await reported(roomCode('A206'), {
      kind: 'repair',
      description: 'The corridor light is out',
      contact: other,
      lang: 'en',
    });
    // The case's own reporter again, and someone who left no email.
    const again = await reported(roomCode('A206'), {
      kind: 'repair',
      description: '灯还是不亮',
      contact: own,
    });
    const anonymous = await reported(roomCode('A206'), { kind: 'repair', description: '走廊一片黑' });
    for (const r of [merged, again, anonymous])
      expect((await triage(r.reportId, { action: 'merge', caseId })).status).toBe(303);

    const h = await toReview(caseId);
    const result = () =>
      sentEmails(
        (e) => e.to.includes(other) && e.subject.includes(merged.reportId) && e.subject.includes('review'),
      );
    await expect.poll(async () => (await result()).length, { timeout: 30_000 }).toBe(1);
    const mail = (await result())[0]!;
    // English first, as the report was made; the tracking page where they rate is linked.
    expect(mail.subject).toBe(
      `[Rectify] ${merged.reportId} The problem was dealt with and passed review / 【整改】${merged.reportId} 问题已处理，复查合格`,
    );
    expect(mail.text).toContain('rate it on your report’s page');
    expect(mail.text).toContain(`/t/${merged.token}`);
    expect(mail.text).toContain(caseId);

    // The case's own reporter rates from the case's mail: their merged report is not told again.
    await expect
      .poll(async () => (await sentEmails((e) => e.to.includes(own) && e.subject.includes(caseId))).length, {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    expect(
      await sentEmails((e) => e.subject.includes(again.reportId) && e.subject.includes('复查合格')),
    ).toEqual([]);

    // The case closes on its reporter's rating: the merged reporter is not told a second time.
    expect(
      (
        await s.app.request(`/t/${first.token}/survey`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ attitude: '5', quality: '5', cleanup: '5' }),
        })
      ).status,
    ).toBe(303);
    await expect.poll(async () => (await h.query(caseViewQuery)).stage, { timeout: 20_000 }).toBe('closed');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await result()).toHaveLength(1);
  });
});
