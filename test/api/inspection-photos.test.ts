import { describe, expect, it } from 'vitest';
import { checklistFor } from '../../domain/inspection.ts';
import { getEvidence, parseEvidenceRef } from '../../store/evidence.ts';
import { recordChecksUpdate } from '../../workflows/inspection-round/messages.ts';
import { createSession } from '../../store/sessions.ts';
import { fakeFiles, sha256 } from '../support/evidence-files.ts';
import { inspectionRoundKit } from '../support/inspection-rounds.ts';
import { call, useApiStack, tokenFor } from './harness.ts';

/**
 * Photos taken on the checklist page (/inspection/{roundId}) for a failed item: posted with the
 * form (multipart), stored in the evidence store, handed to the case the failure opens, cited in
 * its description, and served to whoever reads the case. What is refused comes back on the page,
 * which asks for the photos again (a page cannot keep the files chosen).
 */
const s = useApiStack();

const [failed, passed] = checklistFor('daily').map((i) => i.id) as [string, string];
const { openRound, roundNow } = inspectionRoundKit(() => s.deps, { from: 25_000, span: 1_000 });

/** The page's form as a phone sends it: multipart, through the page session (or a bearer token). */
async function postPhotos(
  id: string,
  fields: [string, string][],
  files: { item: string; file: File }[],
  o: { bearer?: boolean; query?: string } = {},
) {
  const headers: Record<string, string> = { accept: 'text/html' };
  const form = new FormData();
  if (o.bearer) headers.authorization = `Bearer ${await tokenFor('sup-wang')}`;
  else {
    const session = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    headers.cookie = `rectify_session=${session.id}`;
    form.append('_csrf', session.csrfToken);
  }
  for (const [k, v] of fields) form.append(k, v);
  for (const f of files) form.append(`${f.item}.photos[]`, f.file);
  return s.app.request(`/inspection/${id}${o.query ?? ''}`, { method: 'POST', headers, body: form });
}

const jpeg = (name = 'IMG_0001.jpg', bytes: Uint8Array = fakeFiles.jpeg()) =>
  new File([bytes], name, { type: 'image/jpeg' });

/** One item's fieldset on the page. */
function itemBlock(html: string, itemId: string): string {
  const start = html.indexOf(`id="item-${itemId}"`);
  expect(start, `item ${itemId} on the page`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</fieldset>', start));
}

describe('photos from the phone on the checklist page', () => {
  it('offers a camera input on each open item of a multipart form', async () => {
    const id = await openRound();
    const html = await (await call(s.app, 'GET', `/inspection/${id}`, { as: 'sup-wang' })).text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(itemBlock(html, failed)).toMatch(
      new RegExp(
        `<input type="file" id="photos-${failed}" name="${failed}\\.photos\\[\\]" accept="image/\\*" multiple=""`,
      ),
    );
  });

  it('stores a failed item’s photos, hands them to the case it opens, which cites and serves them', async () => {
    const id = await openRound();
    const bytes = [fakeFiles.jpeg(), fakeFiles.png()];
    const res = await postPhotos(
      id,
      [
        [`${failed}.result`, 'fail'],
        [`${failed}.note`, '灭火器压力不足'],
        [`${passed}.result`, 'pass'],
        ['finish', 'false'],
      ],
      [
        { item: failed, file: jpeg('IMG_0001.jpg', bytes[0]) },
        { item: failed, file: new File([bytes[1]!], 'IMG_0002.png', { type: 'image/png' }) },
      ],
    );
    expect(res.status).toBe(303);
    const round = await roundNow(id);
    const caseId = round.cases[failed];
    expect(caseId).toMatch(/^ZG-/);
    // The finding cites the files as evidence references, each with its bytes' hash.
    const photos = round.results.find((r) => r.itemId === failed)?.photos ?? [];
    expect(photos).toHaveLength(2);
    const refs = photos.map((p) => parseEvidenceRef(p));
    expect(refs.map((r) => r?.sha256)).toEqual(bytes.map((b) => sha256(b)));
    // Each file is the case's own now, as a step's photos are.
    for (const r of refs) {
      const record = await getEvidence(s.deps, r!.evidenceId);
      expect(record).toMatchObject({ caseId, status: 'confirmed', uploaderId: 'sup-wang' });
    }
    expect(round.results.find((r) => r.itemId === passed)?.photos).toBeUndefined();

    // The case opened from the failed item lists them in its description.
    const view = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
    expect(view.status).toBe(200);
    expect(((await view.json()) as { description: string }).description).toContain(
      `照片 / Photos: ${photos.join(' ')}`,
    );
    const session = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const cookie = `rectify_session=${session.id}`;
    const casePage = await (await s.app.request(`/app/cases/${caseId}`, { headers: { cookie } })).text();
    const shown = casePage.slice(casePage.indexOf('data-description-photos'));
    for (const r of refs) expect(shown).toContain(`src="/api/evidence/${r!.evidenceId}"`);

    // GET /api/evidence/{id} serves the bytes that were posted.
    const served = await call(s.app, 'GET', `/api/evidence/${refs[0]!.evidenceId}`, { as: 'sup-wang' });
    expect(served.status).toBe(302);
    const file = await fetch(served.headers.get('location') ?? '');
    expect(file.status).toBe(200);
    expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(sha256(bytes[0]!));

    // The checklist shows them beside the item, which its case now handles.
    const page = await (await s.app.request(`/inspection/${id}`, { headers: { cookie } })).text();
    const block = itemBlock(page, failed);
    expect(block).toContain('data-photos=""');
    for (const r of refs) expect(block).toContain(`src="/api/evidence/${r!.evidenceId}"`);
    expect(block).not.toContain('type="file"');
  });

  it('refuses photos for an item that did not fail, saving nothing, and asks for them again', async () => {
    const id = await openRound();
    const res = await postPhotos(
      id,
      [
        [`${failed}.result`, 'pass'],
        ['finish', 'false'],
      ],
      [{ item: failed, file: jpeg() }],
    );
    expect(res.status).toBe(400);
    const block = itemBlock(await res.text(), failed);
    expect(block).toContain('照片只随不合格项提交');
    expect(block).toContain('data-photos-again=""');
    expect(block).toContain('所选照片未能保留，请重新选择照片</p>');
    expect(block).not.toContain('the photos chosen could not be kept');
    // What was chosen stays chosen; the photos are the one thing to choose again.
    expect(block).toMatch(/value="pass" checked=""/);
    expect(await roundNow(id)).toMatchObject({ results: [], cases: {} });
  });

  it('asks for photos again as a field error: beside their input, which it describes, and in the summary linking to it', async () => {
    const id = await openRound();
    // The photos are in order; the other item's missing note refuses the post.
    const res = await postPhotos(
      id,
      [
        [`${failed}.result`, 'fail'],
        [`${failed}.note`, '门锁损坏'],
        [`${passed}.result`, 'fail'],
        ['finish', 'false'],
      ],
      [{ item: failed, file: jpeg() }],
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    const block = itemBlock(html, failed);
    const again = `photos-${failed}-again`;
    const esc = (x: string) => x.replace(/[.[\]]/g, '\\$&');
    // The input is described by its hint and the notice, and marked; the notice follows it.
    expect(block).toMatch(
      new RegExp(
        `<input type="file" id="photos-${esc(failed)}"[^>]* aria-describedby="photos-${esc(failed)}-hint ${esc(again)}" aria-invalid="true"/?><p class="field-error" id="${esc(again)}" data-photos-again="">所选照片未能保留`,
      ),
    );
    // The summary is the page's one alert: the notice is read with its input, not announced apart.
    expect(block).not.toContain('role="alert"');
    const summary = /data-problem="">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(summary).toMatch(
      new RegExp(
        `<li data-field="${esc(failed)}\\.photos\\[\\]"><a href="#photos-${esc(failed)}">[^<]+ — 所选照片未能保留，请重新选择照片</a></li>`,
      ),
    );
    // The item whose note is missing is listed for that; it had no photos to choose again.
    expect(summary).toContain(`href="#item-${passed}"`);
    expect(summary).not.toContain(`href="#photos-${passed}"`);
    expect(itemBlock(html, passed)).not.toContain('data-photos-again');
  });

  it('refuses what is not a photo, too many photos and a file too large, as the case page does', async () => {
    const id = await openRound();
    const fields: [string, string][] = [
      [`${failed}.result`, 'fail'],
      [`${failed}.note`, '门锁损坏'],
      ['finish', 'false'],
    ];
    // A text file sent as a JPEG: its bytes say otherwise.
    const fake = await postPhotos(id, fields, [{ item: failed, file: jpeg('x.jpg', fakeFiles.text()) }], {
      query: '?lang=en',
    });
    expect(fake.status).toBe(400);
    const fakeBlock = itemBlock(await fake.text(), failed);
    expect(fakeBlock).toContain('photo x.jpg: only photos are taken here');
    expect(fakeBlock).toContain('the photos chosen could not be kept: choose the photos again</p>');
    expect(fakeBlock).not.toContain('所选照片未能保留');
    // A PDF is a file the case page takes, not a photo.
    const pdf = await postPhotos(id, fields, [
      { item: failed, file: new File([fakeFiles.pdf()], 'a.pdf', { type: 'application/pdf' }) },
    ]);
    expect(pdf.status).toBe(400);
    expect(itemBlock(await pdf.text(), failed)).toContain('只能上传照片');
    const many = await postPhotos(
      id,
      fields,
      Array.from({ length: 6 }, (_, i) => ({ item: failed, file: jpeg(`p${i}.jpg`) })),
      { bearer: true },
    );
    expect(many.status).toBe(400);
    expect(itemBlock(await many.text(), failed)).toContain('每项最多 5 张照片（选了 6 张）');
    const large = await postPhotos(id, fields, [
      { item: failed, file: jpeg('big.jpg', fakeFiles.jpeg(10 * 1024 * 1024 + 1)) },
    ]);
    expect(large.status).toBe(400);
    expect(itemBlock(await large.text(), failed)).toContain('每个文件不能超过 10 MB');
    // Nothing was recorded and no case opened: the failure waits for a post that can be taken.
    expect(await roundNow(id)).toMatchObject({ results: [], cases: {} });
  });

  it('refuses photos for an item whose case is open: they go on the case', async () => {
    const id = await openRound();
    const first = await postPhotos(
      id,
      [
        [`${failed}.result`, 'fail'],
        [`${failed}.note`, '地面湿滑'],
        ['finish', 'false'],
      ],
      [],
    );
    expect(first.status).toBe(303);
    const caseId = (await roundNow(id)).cases[failed];
    const again = await postPhotos(id, [['finish', 'false']], [{ item: failed, file: jpeg() }]);
    expect(again.status).toBe(400);
    expect(itemBlock(await again.text(), failed)).toContain(`已立案 ${caseId}：此项的照片请在案件页面上传`);
  });

  it('a round takes as photos only its own stored files: another case’s file is neither cited nor taken', async () => {
    const a = await openRound();
    const posted = await postPhotos(
      a,
      [
        [`${failed}.result`, 'fail'],
        [`${failed}.note`, '应急灯不亮'],
        ['finish', 'false'],
      ],
      [{ item: failed, file: jpeg() }],
    );
    expect(posted.status).toBe(303);
    const theirs = (await roundNow(a)).cases[failed];
    const ref = (await roundNow(a)).results[0]?.photos?.[0] ?? '';
    // A client talking to Temporal directly, past the API's schema, names that file on another round.
    const b = await openRound();
    await expect(
      s.deps.temporal.workflow.getHandle(b).executeUpdate(recordChecksUpdate, {
        args: [
          {
            by: 'sup-wang',
            results: [{ itemId: failed, result: 'fail', note: '借用照片', photos: [ref] }],
            finish: false,
          },
        ],
      }),
    ).rejects.toThrow();
    expect(await roundNow(b)).toMatchObject({ results: [], cases: {} });
    expect(await getEvidence(s.deps, parseEvidenceRef(ref)!.evidenceId)).toMatchObject({ caseId: theirs });
  });
});

describe('photos from an API client', () => {
  const upload = async (id: string, file: File, as = 'sup-wang') => {
    const form = new FormData();
    form.append('file', file);
    return s.app.request(`/api/inspections/${id}/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor(as)}` },
      body: form,
    });
  };
  const results = (id: string, body: unknown) =>
    call(s.app, 'POST', `/api/inspections/${id}/results?lang=en`, { as: 'sup-wang', body });

  it('uploads a photo for the round and cites it on a failed item; the case takes it as it opens', async () => {
    const id = await openRound();
    const bytes = fakeFiles.jpeg();
    const up = await upload(id, jpeg('IMG_0100.jpg', bytes));
    expect(up.status).toBe(201);
    const { ref } = (await up.json()) as { ref: string };
    expect(parseEvidenceRef(ref)?.sha256).toBe(sha256(bytes));

    const res = await results(id, {
      results: [{ itemId: failed, result: 'fail', note: '灭火器压力不足', photos: [ref] }],
      finish: false,
    });
    expect(res.status).toBe(200);
    const round = await roundNow(id);
    const caseId = round.cases[failed];
    expect(caseId).toMatch(/^ZG-/);
    expect(round.results.find((r) => r.itemId === failed)?.photos).toEqual([ref]);
    expect(await getEvidence(s.deps, parseEvidenceRef(ref)!.evidenceId)).toMatchObject({ caseId });
    const view = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
    expect(((await view.json()) as { description: string }).description).toContain(`照片 / Photos: ${ref}`);
  });

  it('refuses a cited photo that is not the round’s, not on a failure, or with another hash (422 by field)', async () => {
    const id = await openRound();
    const other = await openRound();
    const mine = ((await (await upload(id, jpeg())).json()) as { ref: string }).ref;
    const theirs = ((await (await upload(other, jpeg('IMG_9.jpg'))).json()) as { ref: string }).ref;
    const forged = mine.replace(/sha256=[0-9a-f]{64}/, `sha256=${'0'.repeat(64)}`);
    const res = await results(id, {
      results: [
        { itemId: failed, result: 'fail', note: '灭火器压力不足', photos: [theirs, forged] },
        { itemId: passed, result: 'pass', photos: [mine] },
      ],
      finish: false,
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors).toEqual([
      { field: 'results.0.photos', message: `not a confirmed photo uploaded for this round: ${theirs}` },
      { field: 'results.0.photos', message: `the sha256 in the reference is not the photo's: ${forged}` },
      { field: 'results.1.photos', message: expect.stringContaining('go with a failed item') as unknown },
    ]);
    // Nothing was taken: no case, no result.
    expect(await roundNow(id)).toMatchObject({ results: [], cases: {} });
    // Only the round's assignees upload, and only photos.
    expect((await upload(id, jpeg(), 'sup-li')).status).toBe(403);
    const pdf = await upload(id, new File([fakeFiles.pdf()], 'a.pdf', { type: 'application/pdf' }));
    expect(pdf.status).toBe(400);
  });

  it('the document describes the checklist form as multipart, with the per-item photo field and its limits', async () => {
    const doc = (await (await s.app.request('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
    };
    const form = doc.paths['/inspection/{roundId}']?.post?.requestBody?.content['multipart/form-data'];
    const text = JSON.stringify(form);
    expect(text).toContain('{itemId}.photos[]');
    expect(text).toContain('{itemId}.result');
    expect(text).toContain('10 MB each');
    expect(doc.paths['/api/inspections/{roundId}/photos']?.post?.requestBody?.content).toHaveProperty(
      'multipart/form-data',
    );
  });
});
