import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../api/app.ts';
import { listCases } from '../../store/case-lists.ts';
import { getEvidence } from '../../store/evidence.ts';
import { fakeFiles, sha256 } from '../support/evidence-files.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { uniqueId } from '../support/stack.ts';
import { call, startApiStack, type ApiStack } from './harness.ts';

/**
 * A supervisor opens a case from the new-case page with the photos taken on the walk: the form
 * posts them with the other fields, the case opens citing them on its description's photo line,
 * the case page shows them as its own, and each reads back as the bytes that were sent. A file
 * that is no photo, or too large, is refused beside the photo field with everything typed kept.
 */
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const fields = (over: Record<string, string> = {}) => ({
  title: `楼道灭火器过期 ${uniqueId('p')}`,
  description: '巡查发现 A 栋一层灭火器压力不足',
  source: 'inspection',
  severity: 'routine',
  buildingId: 'bldg-a',
  floorId: 'a-f1',
  roomId: 'A101',
  assigneeId: 'staff-zhao',
  ...over,
});

async function postNewCase(
  personId: string,
  values: Record<string, string>,
  files: File[],
  o: { lang?: string; kept?: string[] } = {},
) {
  const who = await as(personId);
  const form = new FormData();
  for (const [k, v] of Object.entries(values)) form.append(k, v);
  for (const ref of o.kept ?? []) form.append('keptPhotos', ref);
  form.append('_csrf', who.csrf);
  for (const f of files) form.append('photos', f);
  return s.app.request('/app/cases/new', {
    method: 'POST',
    headers: { cookie: `rectify_session=${who.id}`, 'accept-language': o.lang ?? 'zh-CN' },
    body: form,
  });
}

/** `followed`: the redirect whose flash cookie the page is asked with, to read its message. */
async function get(path: string, personId: string, followed?: Response) {
  const flash = (followed?.headers.get('set-cookie') ?? '').split(';')[0];
  const cookie = [`rectify_session=${(await as(personId)).id}`, ...(flash ? [flash] : [])].join('; ');
  return s.app.request(path, { headers: { cookie } });
}

async function casesTitled(title: string) {
  const found = await listCases(s.deps.aws.ddb, s.deps.aws.tables, {
    filters: { buildingId: 'bldg-a' },
    limit: 1000,
    keep: (v) => v.title === title,
  });
  return found.items;
}

/** A photo stored by a post the opening refused, as its form offers it again (ticked). */
async function keptRef(): Promise<string> {
  const refused = await postNewCase('sup-wang', fields({ assigneeId: 'staff-nobody' }), [
    new File([new Uint8Array(fakeFiles.jpeg())], 'walk.jpg', { type: 'image/jpeg' }),
  ]);
  expect(refused.status).toBe(422);
  const kept = [...(await refused.text()).matchAll(/name="keptPhotos" value="(evidence:[^"]+)"/g)];
  expect(kept).toHaveLength(1);
  return kept[0]![1]!;
}

const photoError = (html: string) => /id="f-photos-error">([^<]*)</.exec(html)?.[1];
const valueOf = (html: string, name: string) =>
  new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ??
  new RegExp(`value="([^"]*)"[^>]*name="${name}"`).exec(html)?.[1];

describe('photos on the new-case form', () => {
  it('offers a photo input that can take a picture, in a multipart form', async () => {
    const html = await (await get('/app/cases/new', 'sup-wang')).text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toMatch(/<input[^>]*name="photos"[^>]*type="file"[^>]*capture="environment"[^>]*multiple/);
  });

  it('opens the case with the photos, shows them as its own, and keeps each file as sent', async () => {
    const jpeg = fakeFiles.jpeg(4096);
    const png = fakeFiles.png(3000);
    const res = await postNewCase('sup-wang', fields(), [
      new File([new Uint8Array(jpeg)], 'walk-1.jpg', { type: 'image/jpeg' }),
      new File([new Uint8Array(png)], 'walk-2.png', { type: 'image/png' }),
    ]);
    expect(res.status).toBe(303);
    const caseId = /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    expect(caseId).not.toBe('');

    const html = await (await get(`/app/cases/${caseId}`, 'sup-wang', res)).text();
    expect(html).toContain(`案件 ${caseId} 已创建，附照片 2 张`);
    const shown = /<div data-description-photos[^>]*>([\s\S]*?)<\/div>\s*<\/div>/.exec(html)?.[1] ?? '';
    const ids = [...shown.matchAll(/<img src="\/api\/evidence\/(ev_[A-Za-z0-9_-]{16})"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    // The references are shown as pictures, not as text in the description.
    expect(html).not.toMatch(/照片 \/ Photos: evidence:/);

    // The case's JSON cites them on its description, as triage cites a report's photos.
    const json = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
    expect(json.status).toBe(200);
    const { description } = (await json.json()) as { description: string };
    expect(description).toContain('巡查发现 A 栋一层灭火器压力不足');
    for (const id of ids) expect(description).toContain(`evidence:${id}#sha256=`);

    const sent = [sha256(jpeg), sha256(png)];
    for (const id of ids) {
      const record = await getEvidence(s.deps, id);
      expect(record?.caseId).toBe(caseId);
      expect(record?.status).toBe('confirmed');
      const read = await get(`/api/evidence/${id}`, 'sup-wang');
      expect(read.status).toBe(302);
      const bytes = new Uint8Array(await (await fetch(read.headers.get('location') ?? '')).arrayBuffer());
      expect(sent).toContain(sha256(bytes));
    }
  });

  it('refuses a file that is not a photo beside the photo field, keeping what was typed', async () => {
    const values = fields();
    const res = await postNewCase('sup-wang', values, [
      new File([new Uint8Array(fakeFiles.pdf())], 'notes.pdf', { type: 'application/pdf' }),
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(photoError(html)).toMatch(/^「notes\.pdf」：只能上传照片（JPEG、PNG 或 WebP）/);
    expect(photoError(html)).toContain('其他内容已保留，请重新选择照片');
    // The formats are named once, not again after the refusal that names them.
    expect(photoError(html)!.match(/JPEG/g)).toHaveLength(1);
    expect(html).toContain('没有新建案件，请修改：照片');
    expect(valueOf(html, 'title')).toBe(values.title);
    expect(html).toContain(values.description);
  });

  it('refuses a photo over 10 MB, in English for an English page, keeping the title', async () => {
    const values = fields();
    const res = await postNewCase(
      'sup-wang',
      values,
      [new File([new Uint8Array(fakeFiles.jpeg(10 * 1024 * 1024 + 1))], 'big.jpg', { type: 'image/jpeg' })],
      { lang: 'en' },
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(photoError(html)).toMatch(
      /^“big\.jpg”: the file is too large \(10 MB\): each file may be at most 10 MB/,
    );
    expect(photoError(html)).toContain('choose the photos again');
    expect(photoError(html)).not.toContain('Each must be');
    expect(valueOf(html, 'title')).toBe(values.title);
  });

  it('refuses a fourth photo, and a form too large to read with a page', async () => {
    const photo = (n: number, size?: number) =>
      new File([new Uint8Array(fakeFiles.jpeg(size))], `p${n}.jpg`, { type: 'image/jpeg' });
    const values = fields();
    const four = await postNewCase(
      'sup-wang',
      values,
      [1, 2, 3, 4].map((n) => photo(n)),
    );
    expect(four.status).toBe(400);
    const html = await four.text();
    expect(photoError(html)).toBe('最多 3 张照片（本次 4 张）；其他内容已保留，请重新选择照片');
    expect(valueOf(html, 'title')).toBe(values.title);
    const huge = await postNewCase(
      'sup-wang',
      fields(),
      [1, 2, 3, 4].map((n) => photo(n, 8 * 1024 * 1024)),
    );
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('class="flash error"');
  });

  it('offers photos already stored again when the case could not be opened, then opens it with them', async () => {
    const values = fields({ assigneeId: 'staff-nobody' });
    const jpeg = fakeFiles.jpeg();
    // An assignee gone from the directory (a page left open) is refused only by the opening itself,
    // after the photos were stored.
    const refused = await postNewCase('sup-wang', values, [
      new File([new Uint8Array(jpeg)], 'walk.jpg', { type: 'image/jpeg' }),
    ]);
    const html = await refused.text();
    expect(refused.status).toBe(422);
    expect(valueOf(html, 'title')).toBe(values.title);
    const kept = [...html.matchAll(/name="keptPhotos" value="(evidence:[^"]+)"/g)].map((m) => m[1]!);
    expect(kept).toHaveLength(1);
    expect(html).toContain('已保存的照片 1：walk.jpg');
    const res = await postNewCase('sup-wang', { ...values, assigneeId: 'staff-zhao' }, [], { kept });
    expect(res.status).toBe(303);
    const caseId = /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    const id = /ev_[A-Za-z0-9_-]{16}/.exec(kept[0]!)?.[0] ?? '';
    expect((await getEvidence(s.deps, id))?.caseId).toBe(caseId);
  });

  it('keeps the chosen photos of a form refused for another field, and opens the case with them', async () => {
    // The assignee left unchosen: the form comes back for that field alone, its photo not lost.
    const values = fields({ assigneeId: '' });
    const jpeg = fakeFiles.jpeg(2048);
    const refused = await postNewCase('sup-wang', values, [
      new File([new Uint8Array(jpeg)], 'walk.jpg', { type: 'image/jpeg' }),
    ]);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('没有新建案件，请修改：负责人');
    expect(html).not.toContain('没有新建案件，请修改：负责人、照片');
    expect(photoError(html)).toBeUndefined();
    expect(valueOf(html, 'title')).toBe(values.title);
    const kept = [...html.matchAll(/name="keptPhotos" value="(evidence:[^"]+)" checked/g)].map((m) => m[1]!);
    expect(kept).toHaveLength(1);
    expect(html).toContain('以下照片已保存，再次提交时一并附上，无需重新选择');
    expect(html).toContain('已保存的照片 1：walk.jpg（取消勾选则不附上）');
    expect(await casesTitled(values.title!)).toHaveLength(0);

    const res = await postNewCase('sup-wang', { ...values, assigneeId: 'staff-zhao' }, [], { kept });
    expect(res.status).toBe(303);
    const caseId = /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    const page = await (await get(`/app/cases/${caseId}`, 'sup-wang', res)).text();
    expect(page).toContain(`案件 ${caseId} 已创建，附照片 1 张`);
    const id = /ev_[A-Za-z0-9_-]{16}/.exec(kept[0]!)?.[0] ?? '';
    const record = await getEvidence(s.deps, id);
    expect(record?.caseId).toBe(caseId);
    expect(record?.sha256).toBe(sha256(jpeg));
  });

  it('says in English that the photos are kept, and a photo unticked stays out of the case', async () => {
    const values = fields({ assigneeId: '' });
    const refused = await postNewCase(
      'sup-wang',
      values,
      [
        new File([new Uint8Array(fakeFiles.jpeg())], 'a.jpg', { type: 'image/jpeg' }),
        new File([new Uint8Array(fakeFiles.png())], 'b.png', { type: 'image/png' }),
      ],
      { lang: 'en' },
    );
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('No case was opened; correct: Assignee');
    expect(html).toContain('These photos are stored and go with the form when you submit it again');
    const kept = [...html.matchAll(/name="keptPhotos" value="(evidence:[^"]+)" checked/g)].map((m) => m[1]!);
    expect(kept).toHaveLength(2);
    // b.png unticked: only a.jpg is sent again.
    const res = await postNewCase('sup-wang', { ...values, assigneeId: 'staff-zhao' }, [], {
      kept: [kept[0]!],
    });
    expect(res.status).toBe(303);
    const caseId = /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    const page = await (await get(`/app/cases/${caseId}`, 'sup-wang', res)).text();
    expect(page).toContain(`案件 ${caseId} 已创建，附照片 1 张`);
  });

  it('says on the photo field, and in the summary, when the photos of a refused form could not be kept', async () => {
    // The same stack with an evidence store that refuses every write.
    const broken = createApp({ ...s.deps, env: { ...s.deps.env, EVIDENCE_BUCKET: 'no-such-bucket' } });
    const who = await as('sup-wang');
    const form = new FormData();
    for (const [k, v] of Object.entries(fields({ assigneeId: '' }))) form.append(k, v);
    form.append('_csrf', who.csrf);
    form.append('photos', new File([new Uint8Array(fakeFiles.jpeg())], 'walk.jpg', { type: 'image/jpeg' }));
    const res = await broken.request('/app/cases/new', {
      method: 'POST',
      headers: { cookie: `rectify_session=${who.id}`, 'accept-language': 'zh-CN' },
      body: form,
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(photoError(html)).toBe('所选照片未能保留，请重新选择照片');
    expect(html).toContain('没有新建案件，请修改：负责人、照片');
    expect(html).toContain('<a href="#f-photos">所选照片未能保留，请重新选择照片</a>');
    expect(html).toMatch(
      /<input id="f-photos" name="photos" aria-describedby="[^"]*f-photos-error" aria-invalid="true"/,
    );
    expect(html).not.toMatch(/name="keptPhotos" value=/);
  });

  it('keeps the photos of a form refused for a title left empty', async () => {
    const res = await postNewCase('sup-wang', fields({ title: '' }), [
      new File([new Uint8Array(fakeFiles.jpeg())], 'walk.jpg', { type: 'image/jpeg' }),
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('没有新建案件，请修改：问题标题');
    expect([...html.matchAll(/name="keptPhotos" value="evidence:[^"]+" checked/g)]).toHaveLength(1);
  });

  it('keeps the photos of a form taken for a repeat, and opens the confirmed case with them', async () => {
    const values = fields({ idempotencyKey: randomUUID() });
    const first = await postNewCase('sup-wang', values, []);
    expect(first.status).toBe(303);
    const firstId = /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(first.headers.get('location') ?? '')?.[1] ?? '';
    // Back, then the same case again with a photo: a fresh page, a fresh key.
    const jpeg = fakeFiles.jpeg();
    const again = { ...values, idempotencyKey: randomUUID() };
    const asked = await postNewCase('sup-wang', again, [
      new File([new Uint8Array(jpeg)], 'walk.jpg', { type: 'image/jpeg' }),
    ]);
    expect(asked.status).toBe(409);
    const html = await asked.text();
    expect(html).toContain(`data-repeat-of="${firstId}"`);
    const kept = [...html.matchAll(/name="keptPhotos" value="(evidence:[^"]+)" checked/g)].map((m) => m[1]!);
    expect(kept).toHaveLength(1);
    expect(html).toContain('已保存的照片 1：walk.jpg');
    const res = await postNewCase('sup-wang', { ...again, openAnyway: firstId }, [], { kept });
    expect(res.status).toBe(303);
    const caseId = /\/app\/cases\/(ZG-\d{4}-\d+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    expect(caseId).not.toBe(firstId);
    const page = await (await get(`/app/cases/${caseId}`, 'sup-wang', res)).text();
    expect(page).toContain(`案件 ${caseId} 已创建，附照片 1 张`);
    const id = /ev_[A-Za-z0-9_-]{16}/.exec(kept[0]!)?.[0] ?? '';
    const record = await getEvidence(s.deps, id);
    expect(record?.caseId).toBe(caseId);
    expect(record?.sha256).toBe(sha256(jpeg));
  });

  it('lets only one of two forms posted at once open a case with the same kept photo', async () => {
    const ref = await keptRef();
    const a = fields({ idempotencyKey: randomUUID() });
    const b = fields({ idempotencyKey: randomUUID() });
    const answers = await Promise.all([
      postNewCase('sup-wang', a, [], { kept: [ref] }),
      postNewCase('sup-wang', b, [], { kept: [ref] }),
    ]);
    // The loser lost the claim (409), or, on a slow machine, came to the photo only once the
    // winner's case already had it (400, a photo no longer to be used): either way it opens nothing.
    const statuses = answers.map((r) => r.status).sort();
    expect([
      [303, 409],
      [303, 400],
    ]).toContainEqual(statuses);
    const lost = answers.findIndex((r) => r.status !== 303);
    const loser = lost === 0 ? a : b;
    const winner = lost === 0 ? b : a;
    const html = await answers[lost]!.text();
    expect(photoError(html)).toMatch(
      statuses[1] === 409
        ? /之前保存的照片已被另一次提交使用，本次没有新建案件/
        : /之前保存的照片有的已不能使用/,
    );
    expect(valueOf(html, 'title')).toBe(loser.title);
    expect(html).toContain(loser.description);
    // The photo another case took is not offered again.
    expect(html).not.toContain(ref);
    expect(await casesTitled(loser.title!)).toHaveLength(0);
    const opened = await casesTitled(winner.title!);
    expect(opened).toHaveLength(1);
    const id = /ev_[A-Za-z0-9_-]{16}/.exec(ref)?.[0] ?? '';
    expect((await getEvidence(s.deps, id))?.caseId).toBe(opened[0]?.caseId);
  });

  it('opens one case when the same form with a kept photo is posted twice at once', async () => {
    const ref = await keptRef();
    const values = fields({ idempotencyKey: randomUUID() });
    const answers = await Promise.all([
      postNewCase('sup-wang', values, [], { kept: [ref] }),
      postNewCase('sup-wang', values, [], { kept: [ref] }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([303, 303]);
    expect(answers[0]!.headers.get('location')).toBe(answers[1]!.headers.get('location'));
    expect(await casesTitled(values.title!)).toHaveLength(1);
  });

  it('refuses a chosen photo that is empty, naming it, instead of dropping it unsaid', async () => {
    const values = fields();
    const res = await postNewCase('sup-wang', values, [new File([], 'blank.jpg', { type: 'image/jpeg' })]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(photoError(html)).toMatch(/^「blank\.jpg」：文件为空/);
    expect(valueOf(html, 'title')).toBe(values.title);
    expect(html).toContain(values.description);
    expect(await casesTitled(values.title!)).toHaveLength(0);
  });

  it('says a plain form over its limit has too much text, not too many photos', async () => {
    const who = await as('sup-wang');
    const res = await s.app.request('/app/cases/new', {
      method: 'POST',
      headers: {
        cookie: `rectify_session=${who.id}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ ...fields({ description: 'x'.repeat(1100 * 1024) }), _csrf: who.csrf }),
    });
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain('提交的文字过长');
    expect(html).not.toContain('照片');
  });

  it('checks the chosen photos in the browser against the server’s limits before the form is sent', async () => {
    const html = await (await get('/app/cases/new', 'sup-wang')).text();
    expect(html).toContain('id="f-photos-check"');
    const script = /var c=(\{.*\});/.exec(html)?.[1] ?? '{}';
    const config = JSON.parse(script) as { max: number; bytes: number; said: Record<string, string> };
    expect(config.max).toBe(3);
    expect(config.bytes).toBe(10 * 1024 * 1024);
    expect(config.said.count).toContain('最多 3 张照片');
    expect(config.said.size).toContain('超过 10 MB');
    expect(html).toContain("addEventListener('submit'");
  });
});
