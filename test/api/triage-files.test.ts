import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { putEvidence } from '../../store/evidence.ts';
import { newReportId, saveReport } from '../../store/reports.ts';
import { createSession } from '../../store/sessions.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { startApiStackOn, type ApiStack } from './harness.ts';

/**
 * A triage card shows a report's photos as thumbnails and any other file (a PDF kept by a report
 * from before reports took photos only) as a link to open: as an image it could not load.
 * Own tables, so the queue holds only this file's report.
 */
const tables = ownTables(uniqueId('triagef'));
let s: ApiStack;

beforeAll(async () => {
  s = await startApiStackOn(tables);
});
afterAll(async () => {
  await s?.stop();
});

describe('the files of a report on its triage card', () => {
  it('a photo is a thumbnail, a PDF a link to open', async () => {
    const reportId = newReportId();
    const [photo, pdf] = await Promise.all([
      putEvidence(s.deps, {
        caseId: reportId,
        uploaderId: 'reporter',
        file: new File([new Uint8Array(fakeFiles.jpeg())], 'door.jpg', { type: 'image/jpeg' }),
      }),
      putEvidence(s.deps, {
        caseId: reportId,
        uploaderId: 'reporter',
        file: new File([new Uint8Array(fakeFiles.pdf())], 'notice.pdf', { type: 'application/pdf' }),
      }),
    ]);
    const location = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' };
    await saveReport(s.deps.aws, {
      reportId,
      placeCode: placeCode(location),
      location,
      kind: 'repair',
      description: '门锁坏了',
      evidence: [photo.ref, pdf.ref],
      receivedAt: new Date().toISOString(),
    });
    const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const html = await (
      await s.app.request('/app/triage', { headers: { cookie: `rectify_session=${sess.id}` } })
    ).text();
    const base = `/app/triage/${reportId}/photos`;
    expect(html).toContain(`<img src="${base}/${photo.evidenceId}"`);
    expect(html).toContain(
      `<a href="${base}/${pdf.evidenceId}" class="file" data-evidence-file="application/pdf">附件 · PDF</a>`,
    );
    expect(html).not.toContain(`<img src="${base}/${pdf.evidenceId}"`);
  });
  it('counts a report’s photos as each language reads a count: 照片 1 张, 1 photo, 2 photos', async () => {
    const location = { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A103' };
    const report = async (photos: number) => {
      const reportId = newReportId();
      const refs = await Promise.all(
        Array.from({ length: photos }, (_, i) =>
          putEvidence(s.deps, {
            caseId: reportId,
            uploaderId: 'reporter',
            file: new File([new Uint8Array(fakeFiles.jpeg())], `p${i}.jpg`, { type: 'image/jpeg' }),
          }),
        ),
      );
      await saveReport(s.deps.aws, {
        reportId,
        placeCode: placeCode(location),
        location,
        kind: 'repair',
        description: '水龙头漏水',
        evidence: refs.map((r) => r.ref),
        receivedAt: new Date().toISOString(),
      });
      return reportId;
    };
    const [one, two] = [await report(1), await report(2)];
    const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    /** The card's line under the description (number, time, photos), in the asked language, as text. */
    const counts = async (lang: string) => {
      const html = await (
        await s.app.request(`/app/triage?lang=${lang}`, { headers: { cookie: `rectify_session=${sess.id}` } })
      ).text();
      const line = (id: string) =>
        new RegExp(`<article[^>]* id="${id}"[\\s\\S]*?<p class="muted">([\\s\\S]*?)</p>`)
          .exec(html)?.[1]
          ?.replace(/<[^>]+>/g, '');
      return [line(one), line(two)];
    };
    const [zhOne, zhTwo] = await counts('zh-CN');
    expect(zhOne).toMatch(/ · 照片 1 张$/);
    expect(zhTwo).toMatch(/ · 照片 2 张$/);
    const [enOne, enTwo] = await counts('en');
    expect(enOne).toMatch(/ · 1 photo$/);
    expect(enTwo).toMatch(/ · 2 photos$/);
    // Rejecting is not the card's main act: its button is the secondary one, opening a case the primary.
    const page = await (
      await s.app.request('/app/triage', { headers: { cookie: `rectify_session=${sess.id}` } })
    ).text();
    const card = new RegExp(`<article[^>]* id="${one}"[\\s\\S]*?</article>`).exec(page)?.[0] ?? '';
    expect(card).toMatch(/<button type="submit" class="secondary">\s*不予受理\s*<\/button>/);
    expect(card).toMatch(/<button type="submit">\s*立案\s*<\/button>/);
  });
});
