import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createdCaseSchema } from '../../api/schemas.ts';
import { fakeFiles, putTo } from '../support/evidence-files.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';

// What a careless client meets at the evidence routes: the right limit named, the media type
// read as the standard reads it, and a read-only role kept from adding files.
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
  headers: Record<string, string>;
  confirmUrl: string;
}

describe('evidence routes under careless input', () => {
  it('a JSON body over its cap is told it is the description that is too long, not a 10 MB file', async () => {
    const res = await call(s.app, 'POST', `/api/cases/${caseId}/evidence`, {
      as: 'staff-zhou',
      body: { fileName: 'x.jpg', contentType: 'image/jpeg', size: 10, pad: 'x'.repeat(300 * 1024) },
    });
    expect(res.status).toBe(413);
    const p = (await res.json()) as { detail: string };
    expect(p.detail).toContain('JSON');
    expect(p.detail).not.toContain('10 MB');
  });

  it('a media type in capitals is the same type; the upload goes through with the headers the answer gives', async () => {
    const file = fakeFiles.jpeg();
    const res = await call(s.app, 'POST', `/api/cases/${caseId}/evidence`, {
      as: 'staff-zhou',
      body: { fileName: 'IMG_0002.JPG', contentType: 'IMAGE/JPEG', size: file.length },
    });
    expect(res.status).toBe(201);
    const up = (await res.json()) as Presigned;
    expect(up.headers['Content-Type']).toBe('image/jpeg');
    expect((await putTo(up.uploadUrl, file, up.headers['Content-Type']!)).status).toBe(200);

    // An auditor reads the case but adds nothing to it, a confirmation included.
    const audited = await call(s.app, 'POST', up.confirmUrl, { as: 'audit-he' });
    expect(audited.status).toBe(403);
    const confirmed = await call(s.app, 'POST', up.confirmUrl, { as: 'staff-zhou' });
    expect(confirmed.status).toBe(200);
  });
});
