import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { parseEvidenceRef } from '../../store/evidence.ts';
import { getReport } from '../../store/reports.ts';
import { createSession } from '../../store/sessions.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { call, startApiStackOn, type ApiStack } from './harness.ts';

/**
 * A second student's report merged into an open case on the triage page (the probe's B208 light):
 * its photo is the case's to read for whoever may read the case, and shown beside the report on
 * the case page; the trail names the merge as one, not as a comment the supervisor typed; the
 * audit search finds the case by either report's number. Own tables: the queue is this file's.
 */
const tables = ownTables(uniqueId('merged'));
let s: ApiStack;
let address = 0;

beforeAll(async () => {
  s = await startApiStackOn(tables);
});
afterAll(async () => {
  await s?.stop();
});

const roomCode = (roomId: string) => placeCode({ buildingId: 'bldg-a', floorId: 'a-f2', roomId });

async function session(personId: string) {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  return { cookie: `rectify_session=${sess.id}`, csrf: sess.csrfToken };
}

/** Reports with one photo through the public form; the report id and its photo's reference. */
async function reported(roomId: string, description: string) {
  const form = new FormData();
  form.append('kind', 'repair');
  form.append('description', description);
  form.append('photo', new File([new Uint8Array(fakeFiles.jpeg())], 'lamp.jpg', { type: 'image/jpeg' }));
  const res = await s.app.request(`/r/${roomCode(roomId)}`, {
    method: 'POST',
    body: form,
    headers: { 'x-forwarded-for': `198.51.100.${++address}` },
  });
  expect(res.status).toBe(303);
  const token = /^\/t\/([A-Za-z0-9_-]{32})\?new=1$/.exec(res.headers.get('location') ?? '')![1]!;
  const page = await (await s.app.request(`/t/${token}`)).text();
  const reportId = /RP-[0-9A-Z]{10}/.exec(page)![0];
  const ref = (await getReport(s.deps.aws, reportId))!.evidence[0]!;
  return { reportId, ref, evidenceId: parseEvidenceRef(ref)!.evidenceId };
}

async function triage(reportId: string, fields: Record<string, string>) {
  const who = await session('sup-wang');
  const res = await s.app.request(`/app/triage/${reportId}`, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: who.csrf }),
  });
  expect(res.status).toBe(303);
}

async function page(personId: string, path: string) {
  const res = await s.app.request(path, { headers: { cookie: (await session(personId)).cookie } });
  expect(res.status, path).toBe(200);
  return res.text();
}

const opened = (evidenceId: string, as: string) => call(s.app, 'GET', `/api/evidence/${evidenceId}`, { as });

describe('a scanned report merged into an open case', () => {
  let first: Awaited<ReturnType<typeof reported>>;
  let merged: Awaited<ReturnType<typeof reported>>;
  let caseId: string;

  beforeAll(async () => {
    const word = uniqueId('lamp');
    first = await reported('A207', `${word} 灯一闪一闪`);
    await triage(first.reportId, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
    caseId = (await getReport(s.deps.aws, first.reportId))!.caseId!;
    merged = await reported('A207', `${word} 的灯不亮了`);
    await triage(merged.reportId, { action: 'merge', caseId });
  });

  it('has its photo readable by whoever may read the case, and by no one else', async () => {
    for (const reader of ['staff-zhou', 'sup-wang', 'audit-he']) {
      const res = await opened(merged.evidenceId, reader);
      expect(res.status, reader).toBe(302);
      expect(res.headers.get('location')).toContain(parseEvidenceRef(merged.ref)!.sha256);
    }
    expect((await opened(merged.evidenceId, 'staff-lee')).status).toBe(404);
  });

  it('does not open a report’s photo to a case the report was not merged into', async () => {
    // Waiting for triage, then rejected: its photo belongs to no case, whatever a text cites.
    const loose = await reported('A207', `${uniqueId('other')} 门把手松了`);
    const cite = await call(s.app, 'POST', `/api/cases/${caseId}/comments`, {
      as: 'sup-wang',
      body: { text: `见 ${loose.ref}` },
    });
    expect(cite.status).toBeLessThan(500);
    expect((await opened(loose.evidenceId, 'sup-wang')).status).toBe(404);
    await triage(loose.reportId, { action: 'reject', reason: '不是本处问题' });
    expect((await opened(loose.evidenceId, 'sup-wang')).status).toBe(404);
  });

  it('shows its photo beside the report on the case page', async () => {
    const html = await page('staff-zhou', `/app/cases/${caseId}`);
    const row = new RegExp(`<div data-report="${merged.reportId}">([\\s\\S]*?)</div></div>`).exec(html)?.[1];
    expect(row).toContain(`<img src="/api/evidence/${merged.evidenceId}"`);
    expect(row).toContain(`alt="${merged.reportId} 照片 1"`);
    // The opening report's photo stays in the description, not listed twice.
    const source = new RegExp(`<div data-report="${first.reportId}">([\\s\\S]*?)</div>`).exec(html)?.[1];
    expect(source).not.toContain('<img');
  });

  it('names the merge as a merge in the trail, in the page’s language', async () => {
    const zh = await page('audit-he', `/app/cases/${caseId}`);
    expect(zh).toContain('<strong>并入扫码报告</strong>');
    expect(zh).toMatch(
      new RegExp(
        `<strong>并入扫码报告</strong> · [^<]* · <time[^>]*>[^<]*</time><div>${merged.reportId}：\\S+ 的灯不亮了</div>`,
      ),
    );
    const en = await page('audit-he', `/app/cases/${caseId}?lang=en`);
    expect(en).toContain('<strong>Scanned report merged</strong>');
  });

  it('is found by the audit search by its number, as the report that opened the case is', async () => {
    for (const q of [merged.reportId, merged.reportId.toLowerCase(), first.reportId]) {
      const html = await page('audit-he', `/app/audit?q=${encodeURIComponent(q)}`);
      expect(html, q).toContain(`<tr data-case="${caseId}">`);
    }
  });
});
