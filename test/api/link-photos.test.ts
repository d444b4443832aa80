import { describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { createSession } from '../../store/sessions.ts';
import { getReport } from '../../store/reports.ts';
import {
  caseViewQuery,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { uniqueId } from '../support/stack.ts';
import { actionPath, call, useApiStack, waitForEmail } from './harness.ts';

/**
 * The photos of a scanned report on the email-link pages (issue 14): triage writes them into the
 * case's description as `照片 / Photos: evidence:…#sha256=…`; the staff sign-off page and the
 * reporter's rating page show the photos, never that reference.
 */
const s = useApiStack();

const description = (html: string) =>
  /<th>描述<div class="alt" lang="en">Description<\/div><\/th><td>([\s\S]*?)<\/td>/.exec(html)?.[1] ?? '';

/** A scanned report with a photo, made a case of for staff-zhou. */
async function reportedWithPhoto(email: string) {
  const f = new FormData();
  f.append('kind', 'repair');
  f.append('description', '洗手池堵塞');
  f.append('contact', email);
  f.append('photo', new File([fakeFiles.jpeg()], 'sink.jpg', { type: 'image/jpeg' }));
  const code = placeCode({ buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A105' });
  const res = await s.app.request(`/r/${code}`, {
    method: 'POST',
    body: f,
    headers: { 'x-forwarded-for': `192.0.2.${Math.floor(Math.random() * 200) + 1}` },
  });
  const token = /^\/t\/([A-Za-z0-9_-]{32})/.exec(res.headers.get('location') ?? '')![1]!;
  const reportId = /RP-[0-9A-Z]{10}/.exec(await (await s.app.request(`/t/${token}`)).text())![0];
  const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
  await s.app.request(`/app/triage/${reportId}`, {
    method: 'POST',
    headers: {
      cookie: `rectify_session=${sess.id}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    },
    body: new URLSearchParams({
      action: 'case',
      assigneeId: 'staff-zhou',
      severity: 'routine',
      _csrf: sess.csrfToken,
    }),
  });
  const saved = (await getReport(s.deps.aws, reportId))!;
  return { caseId: saved.caseId!, ref: saved.evidence[0]! };
}

/** The page's images load: each signed address answers with the photo, and the page's policy allows it. */
async function expectPhotoShown(res: Response, html: string) {
  const cell = description(html);
  expect(cell).toContain('洗手池堵塞');
  expect(cell).not.toContain('evidence:');
  expect(cell).not.toContain('sha256');
  expect(cell).not.toContain('照片 / Photos');
  const src = /<img src="([^"]+)" alt="报告照片 1"/.exec(cell)?.[1]?.replaceAll('&amp;', '&');
  expect(src).toBeDefined();
  const photo = await fetch(src!);
  expect(photo.status).toBe(200);
  expect(photo.headers.get('content-type')).toBe('image/jpeg');
  expect(res.headers.get('content-security-policy')).toContain(`img-src ${new URL(src!).origin}`);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
}

describe('a scanned report’s photo on the email-link pages', () => {
  it('the staff sign-off page and the reporter’s rating page show it, not its reference', async () => {
    const email = `${uniqueId('ph')}@students.demo.edu.cn`;
    const { caseId, ref } = await reportedWithPhoto(email);
    expect((await s.deps.temporal.workflow.getHandle(caseId).query(caseViewQuery)).description).toContain(
      ref,
    );
    const rc = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
      as: 'sup-wang',
      body: { causes: ['异物堵塞'], responsibleId: 'staff-zhou', plan: '疏通' },
    });
    expect(rc.status).toBe(200);
    const signOff = actionPath(
      await waitForEmail((e) => e.subject.includes(caseId) && e.subject.includes('待签字')),
    );
    const staffPage = await s.app.request(signOff);
    expect(staffPage.status).toBe(200);
    await expectPhotoShown(staffPage, await staffPage.text());

    const h = s.deps.temporal.workflow.getHandle(caseId);
    const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };
    const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
    await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
    await h.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: zhou, summary: '已疏通', evidence: ['x.jpg'] }],
    });
    await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: '合格' }] });
    const rating = actionPath(
      await waitForEmail(
        (e) => e.to.includes(email) && e.subject.includes(caseId) && /\/actions\//.test(e.text),
      ),
    );
    const reporterPage = await s.app.request(rating);
    expect(reporterPage.status).toBe(200);
    await expectPhotoShown(reporterPage, await reporterPage.text());
  });
});
