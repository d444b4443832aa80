import { beforeAll, describe, expect, it } from 'vitest';
import {
  EvidenceError,
  MAX_UPLOADS_PER_OWNER,
  presignUpload,
  putEvidence,
  type EvidenceDeps,
} from '../../store/evidence.ts';
import { createAwsDeps } from '../../store/clients.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { testEnv, uniqueId } from '../support/stack.ts';

/**
 * Found by a probe: one case took 70 uploads of 10 MB and would have taken any number. A case,
 * report or round takes at most MAX_UPLOADS_PER_OWNER uploads, however they come (presigned or
 * posted); another case is not affected.
 */
let deps: EvidenceDeps;
beforeAll(() => {
  const env = testEnv();
  deps = { env, aws: createAwsDeps(env) };
});

const reserveFor = (caseId: string) =>
  presignUpload(deps, {
    caseId,
    fileName: 'photo.jpg',
    contentType: 'image/jpeg',
    size: 1024,
    uploaderId: 'staff-zhou',
  });

describe('uploads one case takes', () => {
  it('stops at the most a case takes, by either way in, and names the limit', async () => {
    const caseId = uniqueId('ZG-CAP');
    for (let i = 0; i < MAX_UPLOADS_PER_OWNER; i++) await reserveFor(caseId);
    const presignRefused: unknown = await reserveFor(caseId).catch((e: unknown) => e);
    expect(presignRefused).toBeInstanceOf(EvidenceError);
    expect((presignRefused as EvidenceError).code).toBe('too_many');
    expect((presignRefused as EvidenceError).text.en).toContain(`${MAX_UPLOADS_PER_OWNER} uploads`);
    const file = new File([fakeFiles.jpeg()], 'photo.jpg', { type: 'image/jpeg' });
    const postRefused: unknown = await putEvidence(deps, { caseId, uploaderId: 'staff-zhou', file }).catch(
      (e: unknown) => e,
    );
    expect((postRefused as EvidenceError).code).toBe('too_many');
    // Another case still takes its own.
    const other = await putEvidence(deps, { caseId: uniqueId('ZG-CAP'), uploaderId: 'staff-zhou', file });
    expect(other.ref).toMatch(/^evidence:ev_/);
  });
});
