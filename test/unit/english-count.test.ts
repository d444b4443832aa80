import { describe, expect, it } from 'vitest';
import { enCount, enNumber } from '../../domain/english-count.ts';

describe('enCount', () => {
  it('agrees the noun with the number and groups thousands', () => {
    expect(enCount(0, 'case')).toBe('0 cases');
    expect(enCount(1, 'case')).toBe('1 case');
    expect(enCount(2, 'open case')).toBe('2 open cases');
    expect(enCount(1258, 'case')).toBe('1,258 cases');
    expect(enCount(1, 'data row')).toBe('1 data row');
  });

  it('writes a bare number the same way', () => {
    expect(enNumber(1258)).toBe('1,258');
    expect(enNumber(12)).toBe('12');
  });

  it('takes a plural that is not a plain s', () => {
    expect(enCount(1, 'KPI', 'KPIs')).toBe('1 KPI');
    expect(enCount(3, 'person', 'people')).toBe('3 people');
  });
});
