import { describe, expect, it } from 'vitest';
import { roundName } from '../../domain/inspection.ts';

const a = { zh: 'A栋', en: 'Building A' };

describe('a round as people name it', () => {
  it.each([
    ['monthly', '2026-12', '2026年12月 月评（A栋）', 'Monthly evaluation, December 2026 (Building A)'],
    ['weekly', '2026-W49', '2026年第49周 周查（A栋）', 'Weekly check, week 49 of 2026 (Building A)'],
    ['daily', '2026-12-06', '2026年12月6日 日检（A栋）', 'Daily inspection, 6 December 2026 (Building A)'],
  ] as const)('%s %s', (kind, period, zh, en) => {
    expect(roundName({ kind, period }, a)).toEqual({ zh, en });
  });
});
