import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EvidenceError,
  MAX_EVIDENCE_BYTES,
  checkEvidence,
  confirmUpload,
  evidenceClient,
  evidenceRef,
  evidenceUrl,
  getEvidence,
  presignUpload,
  putEvidence,
  type EvidenceDeps,
} from '../../store/evidence.ts';
import { createAwsDeps } from '../../store/clients.ts';
import { fakeFiles, putTo, sha256 } from '../support/evidence-files.ts';
import { testEnv, uniqueId } from '../support/stack.ts';

/**
 * The evidence store against the real S3-compatible server the test stack runs
 * (VersityGW): what the signature of a presigned upload really enforces, and
 * what confirm and the re-hash check refuse.
 */
let deps: EvidenceDeps;
beforeAll(() => {
  const env = testEnv();
  deps = { env, aws: createAwsDeps(env) };
});

const caseId = () => uniqueId('ZG-EV');

async function presigned(file: Buffer, contentType: string, fileName = 'photo.jpg', forCase = caseId()) {
  return presignUpload(deps, {
    caseId: forCase,
    fileName,
    contentType,
    size: file.length,
    uploaderId: 'staff-zhou',
  });
}

async function refusal(p: Promise<unknown>): Promise<EvidenceError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EvidenceError);
  return err as EvidenceError;
}

describe('the store enforces what the upload URL was signed for', () => {
  it('accepts exactly the signed type and size, then confirm gives the reference', async () => {
    const file = fakeFiles.jpeg();
    const up = await presigned(file, 'image/jpeg');
    expect(up.headers).toEqual({ 'Content-Type': 'image/jpeg' });
    const signed = new URL(up.uploadUrl).searchParams.get('X-Amz-SignedHeaders')?.split(';');
    expect(signed).toEqual(expect.arrayContaining(['content-length', 'content-type', 'host']));
    expect(await putTo(up.uploadUrl, file, 'image/jpeg')).toMatchObject({ status: 200 });

    const done = await confirmUpload(deps, up.evidenceId);
    expect(done).toMatchObject({
      evidenceId: up.evidenceId,
      ref: `evidence:${up.evidenceId}#sha256=${sha256(file)}`,
      sha256: sha256(file),
      size: file.length,
      contentType: 'image/jpeg',
      fileName: 'photo.jpg',
    });
    // Idempotent: the same answer again, and the record says so.
    expect(await confirmUpload(deps, up.evidenceId)).toEqual(done);
    expect(await getEvidence(deps, up.evidenceId)).toMatchObject({
      status: 'confirmed',
      sha256: sha256(file),
    });

    const got = await fetch(await evidenceUrl(deps, up.evidenceId));
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await got.arrayBuffer()).equals(file)).toBe(true);
  });

  it('refuses another content type than the signed one', async () => {
    const file = fakeFiles.png();
    const up = await presigned(file, 'image/png', 'photo.png');
    for (const other of ['image/jpeg', 'text/html', 'application/octet-stream']) {
      const res = await putTo(up.uploadUrl, file, other);
      expect([other, res.status]).toEqual([other, 403]);
      expect(res.text).toContain('SignatureDoesNotMatch');
    }
    const err = await refusal(confirmUpload(deps, up.evidenceId));
    expect(err.code).toBe('not_uploaded');
  });

  it('refuses a body larger or smaller than the signed size, however large', async () => {
    const file = fakeFiles.jpeg(4096);
    const up = await presigned(file, 'image/jpeg');
    const larger = Buffer.concat([file, fakeFiles.jpeg(MAX_EVIDENCE_BYTES)]);
    for (const body of [larger, file.subarray(0, 4095), Buffer.concat([file, Buffer.from([0])])]) {
      // The store may answer 403 and close before a large body is all sent: the client then sees
      // the connection reset. Either way the upload was refused, which the confirm below checks.
      const res = await putTo(up.uploadUrl, body, 'image/jpeg').catch((err: unknown) => {
        const code = (err as { cause?: { code?: string } }).cause?.code;
        if (body.length > file.length && (code === 'ECONNRESET' || code === 'EPIPE')) return { status: 403 };
        throw err;
      });
      expect([body.length, res.status]).toEqual([body.length, 403]);
    }
    expect((await refusal(confirmUpload(deps, up.evidenceId))).code).toBe('not_uploaded');
  });

  it('refuses a URL whose signed parameters were edited (a longer expiry)', async () => {
    const file = fakeFiles.jpeg();
    const up = await presigned(file, 'image/jpeg');
    const edited = new URL(up.uploadUrl);
    edited.searchParams.set('X-Amz-Expires', '604800');
    expect((await putTo(edited.toString(), file, 'image/jpeg')).status).toBe(403);
  });
});

describe('presign refuses what may never be uploaded', () => {
  it.each([
    ['text/plain', 100, 'note.txt', 'unsupported_type', 'contentType'],
    ['image/gif', 100, 'x.gif', 'unsupported_type', 'contentType'],
    ['image/jpeg', MAX_EVIDENCE_BYTES + 1, 'big.jpg', 'too_large', 'size'],
    ['image/jpeg', 0, 'empty.jpg', 'empty', 'size'],
    ['image/jpeg', 100, 'photo.png', 'unsupported_type', 'fileName'],
    ['image/jpeg', 100, 'a/b.jpg', 'bad_name', 'fileName'],
    // A direction override makes photo\u202Egpj.png read otherwise on the page and in the download.
    ['image/png', 100, 'photo\u202Egpj.png', 'bad_name', 'fileName'],
    ['image/png', 100, 'x\uFFFD\uFFFD.png', 'bad_name', 'fileName'],
  ])('%s of %i bytes named %s → %s', async (contentType, size, fileName, code, field) => {
    const err = await refusal(
      presignUpload(deps, { caseId: caseId(), fileName, contentType, size, uploaderId: 'staff-zhou' }),
    );
    expect([err.code, err.field]).toEqual([code, field]);
    // The name is never quoted back with its invisible marks acting.
    expect(err.text.zh).not.toMatch(/[\u202A-\u202E]/);
    expect(err.text.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(err.text.en).toMatch(/[a-z]/);
  });

  it('accepts a file of exactly 10 MB, and a name without an extension (a phone camera’s)', async () => {
    await expect(
      presignUpload(deps, {
        caseId: caseId(),
        fileName: 'image',
        contentType: 'image/webp',
        size: MAX_EVIDENCE_BYTES,
        uploaderId: 'staff-zhou',
      }),
    ).resolves.toMatchObject({ method: 'PUT' });
  });
});

describe('confirm refuses bytes that are not the declared type', () => {
  it.each([
    ['text named .jpg', fakeFiles.text(), 'image/jpeg', 'photo.jpg', /不是 JPEG（也不是 PNG、WebP 或 PDF）/],
    ['a JPEG declared as PDF', fakeFiles.jpeg(), 'application/pdf', 'report.pdf', /内容是 JPEG.*PDF/],
    ['text declared as WebP', fakeFiles.text(), 'image/webp', 'x.webp', /不是 WebP/],
  ])('%s', async (_what, file, contentType, fileName, zh) => {
    const up = await presigned(file, contentType, fileName);
    // The signature fits (same declared type and size): only reading the bytes can tell.
    expect((await putTo(up.uploadUrl, file, contentType)).status).toBe(200);
    const err = await refusal(confirmUpload(deps, up.evidenceId));
    expect(err.code).toBe('mismatch');
    expect(err.text.zh).toMatch(zh);
    // Refused for good, and the file is gone from the store: a second confirm says a new upload is needed.
    const again = await refusal(confirmUpload(deps, up.evidenceId));
    expect(again.code).toBe('mismatch');
    expect(again.text.zh).toContain('请重新申请上传地址');
    expect(again.text.en).toContain('ask for a new upload URL');
    expect(await getEvidence(deps, up.evidenceId)).toMatchObject({ status: 'rejected' });
    expect((await refusal(evidenceUrl(deps, up.evidenceId))).code).toBe('not_confirmed');
  });

  it('keeps a photo uploaded as another photo type as the type its bytes are', async () => {
    for (const [file, declared, name, type, kept] of [
      [fakeFiles.png(), 'image/jpeg', 'photo.jpg', 'image/png', 'photo.png'],
      [fakeFiles.webp(), 'image/jpeg', 'IMG_7.JPG', 'image/webp', 'IMG_7.webp'],
      [fakeFiles.jpeg(), 'application/pdf', 'scan', 'image/jpeg', 'scan'],
    ] as const) {
      const up = await presigned(file, declared, name);
      expect((await putTo(up.uploadUrl, file, declared)).status).toBe(200);
      const done = await confirmUpload(deps, up.evidenceId);
      expect(done).toMatchObject({ contentType: type, fileName: kept, sha256: sha256(file) });
      expect(await getEvidence(deps, up.evidenceId)).toMatchObject({ contentType: type, fileName: kept });
      // The hash the reference carries is the stored file's: the audit's re-check passes.
      expect(await checkEvidence(deps, done.ref)).toMatchObject({ ok: true });
    }
  });

  it('accepts each real type: JPEG, PNG, WebP and PDF', async () => {
    const files = [
      [fakeFiles.jpeg(), 'image/jpeg', 'a.jpeg'],
      [fakeFiles.png(), 'image/png', 'b.PNG'],
      [fakeFiles.webp(), 'image/webp', 'c.webp'],
      [fakeFiles.pdf(), 'application/pdf', '整改报告.pdf'],
    ] as const;
    for (const [file, type, name] of files) {
      const up = await presigned(file, type, name);
      expect((await putTo(up.uploadUrl, file, type)).status).toBe(200);
      expect(await confirmUpload(deps, up.evidenceId)).toMatchObject({
        contentType: type,
        sha256: sha256(file),
      });
    }
  });
});

describe('the server-side upload (forms without JavaScript)', () => {
  it('stores and confirms a photo in one step', async () => {
    const file = fakeFiles.png();
    const done = await putEvidence(deps, {
      caseId: caseId(),
      uploaderId: 'staff-zhou',
      file: new File([file], '现场.png', { type: 'image/png' }),
    });
    expect(done).toMatchObject({ sha256: sha256(file), contentType: 'image/png', fileName: '现场.png' });
    expect(await checkEvidence(deps, done.ref)).toMatchObject({ ok: true });
  });

  it('refuses a fake extension before storing anything', async () => {
    const err = await refusal(
      putEvidence(deps, {
        caseId: caseId(),
        uploaderId: 'staff-zhou',
        file: new File([fakeFiles.text()], 'photo.jpg', { type: 'image/jpeg' }),
      }),
    );
    expect(err.code).toBe('mismatch');
  });
});

describe('checkEvidence re-hashes the stored file', () => {
  async function confirmedFile(forCase: string) {
    const file = fakeFiles.jpeg();
    const up = await presigned(file, 'image/jpeg', 'photo.jpg', forCase);
    expect((await putTo(up.uploadUrl, file, 'image/jpeg')).status).toBe(200);
    return { file, up, done: await confirmUpload(deps, up.evidenceId) };
  }

  it('passes an untouched file, for its own case', async () => {
    const id = caseId();
    const { done } = await confirmedFile(id);
    expect(await checkEvidence(deps, done.ref, { caseId: id })).toMatchObject({
      ok: true,
      sha256: done.sha256,
    });
  });

  it('a PUT through the upload URL after confirm cannot swap the file: the confirmed bytes were sealed', async () => {
    const { up, done } = await confirmedFile(caseId());
    const swap = fakeFiles.jpeg();
    expect((await putTo(up.uploadUrl, swap, 'image/jpeg')).status).toBe(200);
    expect(await checkEvidence(deps, done.ref)).toMatchObject({ ok: true, sha256: done.sha256 });
    const record = await getEvidence(deps, up.evidenceId);
    expect(record?.sealedKey).toBe(`sealed/${record!.key}.${done.sha256}`);
  });

  it('fails a file replaced or deleted in the store directly', async () => {
    const a = await confirmedFile(caseId());
    const record = await getEvidence(deps, a.up.evidenceId);
    const s3 = evidenceClient(deps.env);
    await s3.send(
      new PutObjectCommand({
        Bucket: deps.env.EVIDENCE_BUCKET,
        Key: record!.sealedKey,
        Body: fakeFiles.png(),
        ContentType: 'image/jpeg',
      }),
    );
    expect(await checkEvidence(deps, a.done.ref)).toMatchObject({ ok: false, problem: 'swapped' });
    await s3.send(new DeleteObjectCommand({ Bucket: deps.env.EVIDENCE_BUCKET, Key: record!.sealedKey }));
    expect(await checkEvidence(deps, a.done.ref)).toMatchObject({ ok: false, problem: 'missing' });
  });

  it('fails a reference whose hash was edited, one from another case, and nonsense', async () => {
    const id = caseId();
    const { up, done } = await confirmedFile(id);
    const forged = evidenceRef(up.evidenceId, sha256(Buffer.from('something else')));
    expect(await checkEvidence(deps, forged)).toMatchObject({ ok: false, problem: 'record_mismatch' });
    expect(await checkEvidence(deps, done.ref, { caseId: caseId() })).toMatchObject({
      ok: false,
      problem: 'other_case',
      found: id,
    });
    expect(await checkEvidence(deps, 'evidence:ev_nope')).toMatchObject({ ok: false, problem: 'malformed' });
    expect(await checkEvidence(deps, evidenceRef('ev_AAAAAAAAAAAAAAAA', done.sha256))).toMatchObject({
      ok: false,
      problem: 'unknown',
    });
  });
});
