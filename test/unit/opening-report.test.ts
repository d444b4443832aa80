import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evidenceRefsIn } from '../../audit/evidence-check.ts';
import { checkOpening } from '../../audit/opening-check.ts';
import { GENESIS_HASH, payloadForStorage, type AuditEntry } from '../../domain/hash-chain.ts';
import { openingReport } from '../../domain/opening-report.ts';
import { textSha256 } from '../../domain/text-sha256.ts';

// The first audit entry of a case carries the report it was opened with (title, the description's
// hash, the photos it cites): the workflow hashes it in plain code, the audit check with node:crypto.

const nodeSha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
const photo = (c: string) => `evidence:ev_${c.repeat(16)}#sha256=${'ab'.repeat(32)}`;

describe('textSha256', () => {
  it('is node:crypto’s SHA-256 of the UTF-8 text, whatever its length and script', () => {
    const texts = [
      '',
      'abc',
      'A101 卫生间水龙头持续漏水',
      '表情 😀 and 𠮷',
      // Lone surrogates, which node encodes as U+FFFD.
      'broken \ud83d here \ude00 and at the end \ud83d',
      // Around the block boundaries (55, 56 and 64 bytes of padding).
      ...[54, 55, 56, 57, 63, 64, 65, 119, 120, 128].map((n) => 'x'.repeat(n)),
      '巡查发现灭火器压力不足。'.repeat(420),
    ];
    for (const t of texts) expect([t.length, textSha256(t)]).toEqual([t.length, nodeSha256(t)]);
  });
});

describe('openingReport', () => {
  it('carries the title, the description’s hash and each file the description cites once, in order', () => {
    const a = photo('A');
    const b = photo('B');
    const description = `巡查发现 A 栋一层灭火器压力不足\n照片 / Photos: ${a} ${b}\n见 ${a}`;
    expect(openingReport({ title: '灭火器过期', description })).toEqual({
      title: '灭火器过期',
      descriptionSha256: nodeSha256(description),
      evidence: [a, b],
    });
    expect(openingReport({ title: 't', description: 'no photo' }).evidence).toEqual([]);
  });
});

const detected = (payload: unknown, seq = 1): AuditEntry => ({
  caseId: 'ZG-2099-000001',
  seq,
  at: '2099-01-01T00:00:00.000Z',
  actor: { id: 'sup-wang' },
  action: 'detected',
  payload: payloadForStorage(payload),
  prevHash: GENESIS_HASH,
  hash: '0'.repeat(64),
});

describe('checkOpening', () => {
  const record = { title: '楼道灭火器过期', description: `压力不足\n照片 / Photos: ${photo('A')}` };
  const entries = [detected({ source: 'inspection', severity: 'routine', ...openingReport(record) })];

  it('finds the opening photos among the files the entries cite', () => {
    expect(evidenceRefsIn(entries)).toEqual([{ ref: photo('A'), seq: 1 }]);
  });

  it('passes a record that still holds the report as recorded', () => {
    expect(checkOpening(entries, record)).toEqual({ seq: 1, changed: [] });
  });

  it('names the title and the description a record no longer holds as recorded', () => {
    const swapped = { ...record, description: record.description.replace(photo('A'), photo('B')) };
    expect(checkOpening(entries, swapped)).toEqual({
      seq: 1,
      changed: [
        {
          field: 'description',
          expected: nodeSha256(record.description),
          found: nodeSha256(swapped.description),
        },
      ],
    });
    expect(checkOpening(entries, { ...record, title: '已处理' })?.changed).toEqual([
      { field: 'title', expected: '楼道灭火器过期', found: '已处理' },
    ]);
  });

  it('has nothing to compare for a case opened before entries carried the report, or without a record', () => {
    expect(checkOpening([detected({ source: 'inspection', severity: 'routine' })], record)).toBeNull();
    expect(checkOpening(entries, null)).toBeNull();
    expect(checkOpening([], record)).toBeNull();
  });
});
