import { describe, expect, it } from 'vitest';
import { renderCaseExport, type CaseExport } from '../../audit/export.ts';
import type { CaseVerification } from '../../audit/verify.ts';
import type { AuditEntry } from '../../domain/hash-chain.ts';

/**
 * The audit CSV for spreadsheets: `at` stays the stored UTC instant (programs read it), and the
 * campus-clock time every page shows sits beside it under a header that names the zone.
 */
const entry = (seq: number, at: string): AuditEntry => ({
  caseId: 'ZG-2026-000001',
  seq,
  at,
  actor: { id: 'sup-wang' },
  action: 'commented',
  payload: { payload: { text: 'x' } },
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
});
const exported: CaseExport = {
  caseId: 'ZG-2026-000001',
  case: null,
  verification: { caseId: 'ZG-2026-000001', ok: true, count: 2 } as CaseVerification,
  // 23:30 UTC on 1 March is already 2 March on the campus clock.
  trail: [entry(1, '2026-03-01T23:30:05.000Z'), entry(2, '2026-07-01T12:00:00.000Z')],
};

async function csv(tz?: string): Promise<string[][]> {
  let text = '';
  for await (const piece of renderCaseExport(exported, 'csv', '2026-12-07T00:00:00.000Z', tz)) text += piece;
  return text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((row) => row.split(','));
}

describe('the audit CSV’s times', () => {
  it('keeps `at` in UTC and adds the campus time, Asia/Shanghai by default, its header naming the zone', async () => {
    const [head, first, second] = await csv();
    const at = head!.indexOf('at');
    const local = head!.indexOf('at_local (Asia/Shanghai)');
    expect(local).toBeGreaterThan(-1);
    expect(first![at]).toBe('2026-03-01T23:30:05.000Z');
    expect(first![local]).toBe('2026-03-02 07:30:05');
    expect(second![local]).toBe('2026-07-01 20:00:00');
  });

  it('on the configured campus clock', async () => {
    const [head, , summer] = await csv('Europe/London');
    const local = head!.indexOf('at_local (Europe/London)');
    expect(local).toBeGreaterThan(-1);
    expect(summer![local]).toBe('2026-07-01 13:00:00');
  });
});
