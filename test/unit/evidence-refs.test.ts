import { describe, expect, it } from 'vitest';
import { evidenceRefsIn } from '../../audit/evidence-check.ts';
import { GENESIS_HASH, type AuditEntry } from '../../domain/hash-chain.ts';
import { evidenceRef, parseEvidenceRef, sniffType } from '../../store/evidence.ts';
import { fakeFiles } from '../support/evidence-files.ts';

const h = (c: string) => c.repeat(64);
const entry = (seq: number, payload: unknown): AuditEntry => ({
  caseId: 'ZG-2099-000001',
  seq,
  at: '2099-01-01T00:00:00.000Z',
  actor: { id: 'staff-zhou' },
  action: 'rectification_reported',
  payload,
  prevHash: GENESIS_HASH,
  hash: h('0'),
});

describe('evidence references', () => {
  it('round-trip and refuse anything else', () => {
    const ref = evidenceRef('ev_AAAAAAAAAAAAAAAA', h('a'));
    expect(parseEvidenceRef(ref)).toEqual({ evidenceId: 'ev_AAAAAAAAAAAAAAAA', sha256: h('a') });
    for (const bad of [`${ref} `, ref.replace('sha256', 'md5'), ref.slice(0, -1), 'photo-1.jpg', `x${ref}`])
      expect([bad, parseEvidenceRef(bad)]).toEqual([bad, null]);
  });

  it('are found anywhere in the payloads, once each, at the first entry citing them', () => {
    const a = evidenceRef('ev_AAAAAAAAAAAAAAAA', h('a'));
    const b = evidenceRef('ev_BBBBBBBBBBBBBBBB', h('b'));
    const entries = [
      entry(1, { payload: { note: 'evidence: see the photo on the wall' } }),
      entry(2, { payload: { summary: '已更换', evidence: [a, 'photo-1.jpg'] } }),
      entry(3, { payload: { notes: `复查照片 ${b}，对照 ${a}` } }),
      entry(4, { payload: { evidence: ['evidence:ev_CCCCCCCCCCCCCCCC#sha256=short'] } }),
    ];
    expect(evidenceRefsIn(entries)).toEqual([
      { ref: a, seq: 2 },
      { ref: b, seq: 3 },
      // A claimed reference that cannot be checked is reported rather than skipped.
      { ref: 'evidence:ev_CCCCCCCCCCCCCCCC#sha256=short', seq: 4 },
    ]);
  });
});

describe('sniffType', () => {
  it('knows each accepted type by its first bytes and nothing else', () => {
    expect(sniffType(fakeFiles.jpeg())).toBe('image/jpeg');
    expect(sniffType(fakeFiles.png())).toBe('image/png');
    expect(sniffType(fakeFiles.webp())).toBe('image/webp');
    expect(sniffType(fakeFiles.pdf())).toBe('application/pdf');
    expect(sniffType(fakeFiles.text())).toBeNull();
    expect(sniffType(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull();
    expect(sniffType(new Uint8Array())).toBeNull();
  });
});
