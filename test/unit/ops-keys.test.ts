import { describe, expect, it } from 'vitest';
import { opsKey, opsPartition } from '../../store/keys.ts';

/**
 * The keys are the stored format: rows already in a table are read by them. These pin the
 * kinds that were spelled in their own modules until they moved here, to the exact strings
 * those modules wrote, so the move changed no row's address.
 */
describe('ops-table keys kept where they were', () => {
  it('inspection rounds, their building list and the case a failed item opened', () => {
    expect(opsKey.inspectionRound('inspection.daily.bldg-a.2017-06-07')).toEqual({
      pk: 'INSPROUND#inspection.daily.bldg-a.2017-06-07',
      sk: '-',
    });
    expect(opsKey.inspectionListEntry('bldg-a', '2017-06-05', 'weekly')).toEqual({
      pk: 'INSPECTIONS#bldg-a',
      sk: '2017-06-05#weekly',
    });
    expect(opsPartition.inspectionList('bldg-a')).toBe('INSPECTIONS#bldg-a');
    expect(opsKey.inspectionCase('r1', '6t.safety.1')).toEqual({ pk: 'INSPCASE#r1', sk: '6t.safety.1' });
  });

  it('evidence records and the secret-bearing rows (keyed by the hash they are given)', () => {
    expect(opsKey.evidence('ev1')).toEqual({ pk: 'EVIDENCE#ev1', sk: '-' });
    expect(opsKey.session('h')).toEqual({ pk: 'SESSION#h', sk: '-' });
    expect(opsKey.loginLink('h')).toEqual({ pk: 'LOGINLINK#h', sk: '-' });
    expect(opsKey.oidcRequest('h')).toEqual({ pk: 'OIDCREQ#h', sk: '-' });
  });
});
