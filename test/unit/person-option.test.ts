import { describe, expect, it } from 'vitest';
import { personOptionLabel } from '../../domain/person-option.ts';

describe('a person as a pick-list option', () => {
  const wu = { id: 'staff-wu', name: '吴磊', roles: ['staff' as const], staffKind: 'repair' as const };
  const zhou = { id: 'staff-zhou', name: '周强', roles: ['staff' as const], staffKind: 'repair' as const };

  it('names the person, then their id and trade in the page’s language', () => {
    expect(personOptionLabel(wu, 'zh-CN')).toBe('吴磊（staff-wu，维修）');
    expect(personOptionLabel(wu, 'en')).toBe('吴磊 (staff-wu, repair)');
  });

  it('tells two people of one trade apart', () => {
    expect(personOptionLabel(zhou, 'en')).not.toBe(personOptionLabel(wu, 'en'));
  });

  it('says the role of someone without a trade, or the id alone', () => {
    expect(personOptionLabel({ id: 'sup-wang', name: '王主管', roles: ['supervisor'] }, 'zh-CN')).toBe(
      '王主管（sup-wang，主管）',
    );
    expect(personOptionLabel({ id: 'x-1', name: 'Ann', roles: [] }, 'en')).toBe('Ann (x-1)');
  });
});
