import { describe, expect, it } from 'vitest';
import { waitingLine } from '../../api/pages/app/triage-queue.tsx';

describe('the line over the triage queue', () => {
  it('says how many wait, and with a filter how many of them match', () => {
    expect(waitingLine(70, undefined)).toEqual({ zh: '共 70 条待分派', en: '70 waiting' });
    expect(waitingLine(70, { count: 1, read: 70 })).toEqual({
      zh: '待分派 70 条，其中 1 条符合筛选',
      en: '1 of 70 waiting reports matches',
    });
    expect(waitingLine(70, { count: 3, read: 70 }).en).toBe('3 of 70 waiting reports match');
    expect(waitingLine(1, { count: 0, read: 1 }).en).toBe('0 of 1 waiting report match');
  });

  it('says when the count stopped before the end of a long queue', () => {
    expect(waitingLine(720, { count: 12, read: 500 })).toEqual({
      zh: '待分派 720 条，已查看的前 500 条中 12 条符合筛选',
      en: '12 of the first 500 of 720 waiting reports match',
    });
  });

  it('writes English counts as enCount does, thousands grouped', () => {
    expect(waitingLine(1258, undefined).en).toBe('1,258 waiting');
    expect(waitingLine(1258, { count: 12, read: 500 }).en).toBe(
      '12 of the first 500 of 1,258 waiting reports match',
    );
    expect(waitingLine(2400, { count: 1200, read: 2400 }).en).toBe('1,200 of 2,400 waiting reports match');
    expect(waitingLine(1258, undefined).zh).toBe('共 1258 条待分派');
  });
});
