import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createdCaseSchema } from '../../api/schemas.ts';
import { readChain } from '../../store/audit-chain.ts';
import { checkEvidence, evidenceClient, getEvidence } from '../../store/evidence.ts';
import { createSession } from '../../store/sessions.ts';
import { fakeFiles, putTo, sha256 } from '../support/evidence-files.ts';
import {
  actionPath,
  call,
  formFields,
  newCaseBody,
  postForm,
  startApiStack,
  tokenFor,
  waitForEmail,
  type ApiStack,
} from './harness.ts';

let s: ApiStack;
let caseId: string;
beforeAll(async () => {
  s = await startApiStack();
  const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
  expect(res.status).toBe(201);
  caseId = createdCaseSchema.parse(await res.json()).caseId;
});
afterAll(async () => {
  await s?.stop();
});

interface Presigned {
  evidenceId: string;
  uploadUrl: string;
  method: string;
  headers: Record<string, string>;
  confirmUrl: string;
}
interface Confirmed {
  ref: string;
  sha256: string;
  size: number;
  contentType: string;
}
interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

const presign = (as: string, body: unknown, id = caseId, headers: Record<string, string> = {}) =>
  call(s.app, 'POST', `/api/cases/${id}/evidence`, { as, body, headers });

/** presign → PUT to the store → confirm, through the API as a person. */
async function upload(as: string, file: Buffer, contentType: string, fileName: string) {
  const res = await presign(as, { fileName, contentType, size: file.length });
  expect(res.status).toBe(201);
  const up = (await res.json()) as Presigned;
  const put = await putTo(up.uploadUrl, file, contentType);
  expect(put.status).toBe(200);
  const confirm = await call(s.app, 'POST', up.confirmUrl, { as });
  return { up, confirm };
}

describe('uploading a photo to a case', () => {
  it('presign → PUT → confirm gives the reference; GET redirects to the file', async () => {
    const file = fakeFiles.jpeg();
    const { up, confirm } = await upload('staff-zhou', file, 'image/jpeg', 'IMG_0001.jpg');
    expect(up).toMatchObject({
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      confirmUrl: `/api/evidence/${up.evidenceId}/confirm`,
    });
    expect(confirm.status).toBe(200);
    expect(await confirm.json()).toMatchObject({
      ref: `evidence:${up.evidenceId}#sha256=${sha256(file)}`,
      sha256: sha256(file),
      size: file.length,
      contentType: 'image/jpeg',
    });
    const view = await call(s.app, 'GET', `/api/evidence/${up.evidenceId}`, { as: 'sup-wang' });
    expect(view.status).toBe(302);
    const got = await fetch(view.headers.get('location')!);
    expect(Buffer.from(await got.arrayBuffer()).equals(file)).toBe(true);
  });

  it('a PUT to the upload URL after the confirm cannot swap the file', async () => {
    const file = fakeFiles.png();
    const { up, confirm } = await upload('staff-zhou', file, 'image/png', 'before.png');
    const { ref, sha256: hash } = (await confirm.json()) as Confirmed;
    // Other bytes of the same type and size: what the URL's signature still allows for its 10 minutes.
    const other = Buffer.from(file);
    other[other.length - 1] = other[other.length - 1]! ^ 0xff;
    expect((await putTo(up.uploadUrl, other, 'image/png')).status).toBe(200);
    const view = await call(s.app, 'GET', `/api/evidence/${up.evidenceId}`, { as: 'sup-wang' });
    const got = Buffer.from(await (await fetch(view.headers.get('location')!)).arrayBuffer());
    expect(got.equals(file)).toBe(true);
    expect(sha256(got)).toBe(hash);
    // Confirming again answers the same reference, and the file still checks out against it.
    const again = await call(s.app, 'POST', up.confirmUrl, { as: 'staff-zhou' });
    expect(((await again.json()) as Confirmed).ref).toBe(ref);
    expect(await checkEvidence(s.deps, ref, { caseId })).toMatchObject({ ok: true });
  });

  it('a step may cite only files confirmed for its own case, as confirmed', async () => {
    const file = fakeFiles.jpeg();
    const { confirm } = await upload('staff-zhou', file, 'image/jpeg', 'mine.jpg');
    const { ref } = (await confirm.json()) as Confirmed;
    const other = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    const otherId = createdCaseSchema.parse(await other.json()).caseId;
    const rectify = (id: string, evidence: string[]) =>
      call(s.app, 'POST', `/api/cases/${id}/rectification?lang=en`, {
        as: 'staff-zhou',
        body: { summary: '已更换 replaced', evidence },
      });
    const foreign = await rectify(otherId, [ref]);
    expect(foreign.status).toBe(422);
    const problem = (await foreign.json()) as Problem;
    expect(problem.errors?.[0]?.field).toBe('evidence');
    expect(problem.detail).toContain('another case');
    const forged = ref.replace(/sha256=[0-9a-f]+/, `sha256=${'0'.repeat(64)}`);
    expect((await rectify(caseId, [forged])).status).toBe(422);
    // A well-formed reference to no file, and one to a file never confirmed.
    expect((await rectify(caseId, ['evidence:ev_nosuchfile000000#sha256=' + '0'.repeat(64)])).status).toBe(
      422,
    );
    const pending = (await (
      await presign('staff-zhou', { fileName: 'later.jpg', contentType: 'image/jpeg', size: 2048 })
    ).json()) as Presigned;
    expect((await rectify(caseId, [`evidence:${pending.evidenceId}#sha256=${'0'.repeat(64)}`])).status).toBe(
      422,
    );
    // Something that opens as a reference but names no file of ours is refused too, not kept as text.
    expect((await rectify(caseId, [`evidence:nonexistent#sha256=${'0'.repeat(64)}`])).status).toBe(422);
    expect((await rectify(caseId, ['EVIDENCE:ev_x'])).status).toBe(422);
    // A reference is one wherever it sits: in the summary too.
    const inText = await call(s.app, 'POST', `/api/cases/${caseId}/rectification`, {
      as: 'staff-zhou',
      body: { summary: `见照片 ${forged}`, evidence: ['工单 WO-1234'] },
    });
    expect(inText.status).toBe(422);
    // Its own file as confirmed passes the check; the case then refuses the step for its stage (409).
    expect((await rectify(caseId, [ref, '工单 WO-1234'])).status).toBe(409);
  });

  it('the store refuses a PUT of another type or size than was asked for', async () => {
    const file = fakeFiles.png();
    const res = await presign('staff-zhou', {
      fileName: 'a.png',
      contentType: 'image/png',
      size: file.length,
    });
    const up = (await res.json()) as Presigned;
    expect((await putTo(up.uploadUrl, file, 'image/jpeg')).status).toBe(403);
    expect((await putTo(up.uploadUrl, Buffer.concat([file, file]), 'image/png')).status).toBe(403);
    const confirm = await call(s.app, 'POST', up.confirmUrl, { as: 'staff-zhou' });
    expect(confirm.status).toBe(409);
    expect(((await confirm.json()) as Problem).detail).toMatch(/尚未上传/);
  });

  it('confirm keeps a photo as the type its bytes are: a PNG or WebP uploaded as a .jpg', async () => {
    for (const [file, type, name] of [
      [fakeFiles.png(), 'image/png', 'photo.png'],
      [fakeFiles.webp(), 'image/webp', 'photo.webp'],
    ] as const) {
      const { up, confirm } = await upload('staff-zhou', file, 'image/jpeg', 'photo.jpg');
      expect(confirm.status, type).toBe(200);
      expect(await confirm.json()).toMatchObject({ sha256: sha256(file), contentType: type, fileName: name });
      const record = await getEvidence(s.deps, up.evidenceId);
      expect(record).toMatchObject({ contentType: type, fileName: name, status: 'confirmed' });
      // Kept under the real type's extension, as that type, and still the bytes its hash vouches for.
      expect(record?.sealedKey).toMatch(new RegExp(`\\.${name.split('.')[1]}\\.${sha256(file)}$`));
      const head = await evidenceClient(s.deps.env).send(
        new HeadObjectCommand({ Bucket: s.deps.env.EVIDENCE_BUCKET, Key: record!.sealedKey }),
      );
      expect(head.ContentType).toBe(type);
      expect(await checkEvidence(s.deps, `evidence:${up.evidenceId}#sha256=${sha256(file)}`)).toMatchObject({
        ok: true,
      });
    }
  });

  it('confirm answers 422 when the bytes are no accepted type (text under a .jpg)', async () => {
    {
      const { confirm } = await upload('staff-zhou', fakeFiles.text(), 'image/jpeg', 'photo.jpg');
      expect(confirm.status).toBe(422);
      expect(confirm.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = (await confirm.json()) as Problem;
      expect(body.detail).toMatch(/JPEG/);
      // The refusal names the file, as the person chose it: which of several uploads it is.
      expect(body.detail).toContain('文件 photo.jpg 的内容不是 JPEG');
      expect(body.errors?.[0]?.field).toBe('file');
    }
    {
      // A photo's bytes uploaded under a PDF's name and type: what it claims is not what it is.
      const { confirm } = await upload('staff-zhou', fakeFiles.png(), 'application/pdf', '整改报告.pdf');
      expect(confirm.status).toBe(422);
      const body = (await confirm.json()) as Problem;
      expect(body.detail).toBe('文件 整改报告.pdf 的内容是 PNG，与声明的 PDF 不符；请按实际类型重新上传');
      expect(body.errors?.[0]?.field).toBe('file');
    }
    // A PNG's signature before bytes that are no PNG: refused by its name, not served as an image.
    const { confirm } = await upload('staff-zhou', fakeFiles.signatureOnlyPng(), 'image/png', 'fake.png');
    expect(confirm.status).toBe(422);
    const body = (await confirm.json()) as Problem;
    expect(body.detail).toContain('文件 fake.png 不是可读的 PNG 图片');
    expect(body.errors?.[0]?.field).toBe('file');
  });

  it('refuses a wrong type, an oversize file and an unknown case with bilingual problems', async () => {
    const cases: [unknown, string, number, RegExp, RegExp][] = [
      [
        { fileName: 'a.txt', contentType: 'text/plain', size: 10 },
        caseId,
        400,
        /不支持的文件类型/,
        /not accepted/,
      ],
      [
        { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10 * 1024 * 1024 + 1 },
        caseId,
        413,
        /不能超过 10 MB/,
        /at most 10 MB/,
      ],
      [
        { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10 },
        'ZG-2099-999999999',
        404,
        /不存在/,
        /no case/,
      ],
      [{ fileName: 'a.jpg', contentType: 'image/jpeg' }, caseId, 400, /错误/, /problem/],
    ];
    for (const [body, id, status, zh, en] of cases) {
      const res = await presign('staff-zhou', body, id);
      expect([id, status]).toEqual([id, res.status]);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as Problem).detail).toMatch(zh);
      const english = await presign('staff-zhou', body, id, { 'accept-language': 'en' });
      expect(((await english.json()) as Problem).detail).toMatch(en);
    }
    const noJson = await call(s.app, 'POST', `/api/cases/${caseId}/evidence`, {
      as: 'staff-zhou',
      raw: '{}',
    });
    expect(noJson.status).toBe(415);
  });

  it('only people who may read the case: others get 403 on the case and 404 on its files', async () => {
    const { up } = await upload('sup-wang', fakeFiles.jpeg(), 'image/jpeg', 'a.jpg');
    const res = await presign('staff-zhao', { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10 });
    expect(res.status).toBe(403);
    for (const [method, path] of [
      ['GET', `/api/evidence/${up.evidenceId}`],
      ['POST', `/api/evidence/${up.evidenceId}/confirm`],
    ] as const) {
      expect([path, (await call(s.app, method, path, { as: 'sup-li' })).status]).toEqual([path, 404]);
    }
    expect((await call(s.app, 'GET', `/api/evidence/${up.evidenceId}`, { as: 'audit-he' })).status).toBe(302);
    expect((await s.app.request(`/api/evidence/${up.evidenceId}`)).status).toBe(401);
  });

  it('adding files takes a part in the case: not an auditor, and not once the case is over', async () => {
    const ask = { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10 };
    const auditor = await presign('audit-he', ask);
    expect(auditor.status).toBe(403);
    expect(((await auditor.json()) as Problem).detail).toContain('审计等只读角色不能');
    const form = new FormData();
    form.set('file', new File([fakeFiles.jpeg()], 'a.jpg', { type: 'image/jpeg' }));
    const viaForm = await s.app.request(`/api/cases/${caseId}/evidence/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor('audit-he')}` },
      body: form,
    });
    expect(viaForm.status).toBe(403);
    // Leadership may comment on a case, so it may add files to it; the assignee too.
    expect((await presign('lead-huang', ask)).status).toBe(201);
    expect((await presign('staff-zhou', ask)).status).toBe(201);
    const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    const closing = createdCaseSchema.parse(await opened.json()).caseId;
    const withdrawn = await call(s.app, 'POST', `/api/cases/${closing}/withdraw`, {
      as: 'sup-wang',
      body: { reason: '重复登记' },
    });
    expect(withdrawn.status).toBe(200);
    const late = await presign('sup-wang', ask, closing);
    expect(late.status).toBe(409);
    expect(((await late.json()) as Problem).detail).toContain('不能再执行任何步骤');
  });

  it('the multipart fallback stores, checks and confirms in one request', async () => {
    const file = fakeFiles.webp();
    const form = new FormData();
    form.set('file', new File([file], '现场.webp', { type: 'image/webp' }));
    const res = await call(s.app, 'POST', `/api/cases/${caseId}/evidence/upload`, { as: 'staff-zhou' });
    expect(res.status).toBe(415);
    const token = await tokenFor('staff-zhou');
    const ok = await s.app.request(`/api/cases/${caseId}/evidence/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ sha256: sha256(file), contentType: 'image/webp' });
    const fake = new FormData();
    fake.set('file', new File([fakeFiles.text()], 'photo.jpg', { type: 'image/jpeg' }));
    const refused = await s.app.request(`/api/cases/${caseId}/evidence/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: fake,
    });
    expect(refused.status).toBe(422);
    // A PNG a phone named .jpg (its browser declares JPEG): kept as the PNG it is.
    const png = fakeFiles.png();
    const misnamed = new FormData();
    misnamed.set('file', new File([png], 'IMG_2001.jpg', { type: 'image/jpeg' }));
    const asPng = await s.app.request(`/api/cases/${caseId}/evidence/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: misnamed,
    });
    expect(asPng.status).toBe(201);
    expect(await asPng.json()).toMatchObject({
      sha256: sha256(png),
      contentType: 'image/png',
      fileName: 'IMG_2001.png',
    });
    // Two files in one upload: said, not the second dropped unsaid.
    const two = new FormData();
    two.append('file', new File([fakeFiles.webp()], 'a.webp', { type: 'image/webp' }));
    two.append('file', new File([fakeFiles.webp()], 'b.webp', { type: 'image/webp' }));
    const twice = await s.app.request(`/api/cases/${caseId}/evidence/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: two,
    });
    expect(twice.status).toBe(400);
    const twiceProblem = (await twice.json()) as Problem;
    expect(twiceProblem.detail).toContain('每次只能上传一个文件');
    expect(twiceProblem.errors?.[0]?.field).toBe('file');
    // A body cut off mid-part, or a multipart without its boundary: the sender's fault, a 400.
    for (const [type, body] of [
      ['multipart/form-data; boundary=zz', '--zz\r\ncontent-disposition: form-data; name="file"; filena'],
      ['multipart/form-data', 'garbage'],
    ] as const) {
      const cut = await s.app.request(`/api/cases/${caseId}/evidence/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        body,
      });
      expect(cut.status).toBe(400);
      expect(((await cut.json()) as Problem).detail).toContain('表单无法读取');
    }
  });
});

describe('the web pages’ session works too', () => {
  it('with the session cookie and its CSRF token; without the token a POST is refused', async () => {
    const session = await createSession(s.deps.aws, { personId: 'staff-zhou', via: 'link' });
    const cookie = `rectify_session=${session.id}`;
    const body = JSON.stringify({ fileName: 'a.jpg', contentType: 'image/jpeg', size: 2048 });
    const post = (headers: Record<string, string>) =>
      s.app.request(`/api/cases/${caseId}/evidence`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body,
      });
    const refused = await post({});
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Problem).detail).toMatch(/CSRF/);
    const ok = await post({ 'x-csrf-token': session.csrfToken });
    expect(ok.status).toBe(201);
    const up = (await ok.json()) as Presigned;
    const file = fakeFiles.jpeg(2048);
    expect((await putTo(up.uploadUrl, file, 'image/jpeg')).status).toBe(200);
    const confirm = await s.app.request(up.confirmUrl, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': session.csrfToken },
    });
    expect(confirm.status).toBe(200);
    const view = await s.app.request(`/api/evidence/${up.evidenceId}`, { headers: { cookie } });
    expect(view.status).toBe(302);
  });
});

describe('a swapped photo fails the case’s verification', () => {
  it('the rectification cites the photo; verify passes, then fails once the file is swapped', async () => {
    const opened = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    const id = createdCaseSchema.parse(await opened.json()).caseId;
    const rc = await call(s.app, 'POST', `/api/cases/${id}/root-cause`, {
      as: 'sup-wang',
      body: { causes: ['阀芯老化'], responsibleId: 'staff-zhou', plan: '更换阀芯' },
    });
    expect(rc.status).toBe(200);
    const mail = await waitForEmail((e) => e.subject.includes(id) && e.subject.includes('待签字'));
    const page = await s.app.request(actionPath(mail));
    const signed = await postForm(s.app, actionPath(mail), {
      ...formFields(await page.text()),
      choice: 'confirm',
    });
    expect(signed.status).toBe(200);

    const before = fakeFiles.jpeg();
    const res = await presign(
      'staff-zhou',
      { fileName: '整改后.jpg', contentType: 'image/jpeg', size: before.length },
      id,
    );
    const up = (await res.json()) as Presigned;
    expect((await putTo(up.uploadUrl, before, 'image/jpeg')).status).toBe(200);
    const { ref } = (await (
      await call(s.app, 'POST', up.confirmUrl, { as: 'staff-zhou' })
    ).json()) as Confirmed;
    const rect = await call(s.app, 'POST', `/api/cases/${id}/rectification`, {
      as: 'staff-zhou',
      body: { summary: '已更换阀芯', evidence: [ref] },
    });
    expect(rect.status).toBe(200);
    // The hash is in the audit chain through the step's own payload.
    const entries = await readChain(s.deps.aws.ddb, s.deps.aws.tables, id);
    const citing = entries.find((e) => JSON.stringify(e.payload).includes(ref));
    expect(citing?.action).toBe('rectification_reported');

    const verify = async () => {
      const r = await call(s.app, 'GET', `/api/audit/verify?caseId=${id}`, { as: 'audit-he' });
      expect(r.status).toBe(200);
      return (await r.json()) as {
        ok: boolean;
        broken: unknown;
        count: number;
        evidence: {
          checked: number;
          broken: { seq: number; ref: string; problem: string; found?: string }[];
        };
      };
    };
    // The step does not wait for its mail: let the review requests' email_sent entries land
    // first, so both verifications below see the same chain.
    let seen = -1;
    await vi.waitFor(
      async () => {
        const chain = await readChain(s.deps.aws.ddb, s.deps.aws.tables, id);
        const settled =
          chain.length === seen &&
          chain.some(
            (e) => e.action === 'email_sent' && JSON.stringify(e.payload).includes('review_request'),
          );
        seen = chain.length;
        expect(settled).toBe(true);
      },
      { timeout: 15_000, interval: 500 },
    );
    const intact = await verify();
    expect(intact).toMatchObject({ ok: true, broken: null, evidence: { checked: 1, broken: [] } });

    // Someone with write access to the bucket replaces the photo: same name, type and size.
    const after = fakeFiles.jpeg(before.length);
    const record = await getEvidence(s.deps, up.evidenceId);
    // Where the confirmed bytes are kept (sealed at confirm, out of the upload URL's reach).
    expect(record?.sealedKey).toMatch(/^sealed\//);
    await evidenceClient(s.deps.env).send(
      new PutObjectCommand({
        Bucket: s.deps.env.EVIDENCE_BUCKET,
        Key: record!.sealedKey,
        Body: after,
        ContentType: 'image/jpeg',
      }),
    );
    const swapped = await verify();
    // The chain itself is still intact; the file it vouches for is not.
    expect(swapped).toMatchObject({
      ok: false,
      broken: null,
      count: intact.count,
      evidence: { checked: 1, broken: [{ seq: citing!.seq, ref, problem: 'swapped', found: sha256(after) }] },
    });
    const history = await call(s.app, 'GET', `/api/cases/${id}/history`, { as: 'audit-he' });
    expect(((await history.json()) as { verification: { ok: boolean } }).verification.ok).toBe(false);
  });
});
