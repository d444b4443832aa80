import { describe, expect, it } from 'vitest';
import { staffAssignee, type Person } from '../../domain/directory.ts';

const person = (id: string, roles: Person['roles'], staffKind?: Person['staffKind']): Person => ({
  id,
  name: id,
  email: `${id}@demo.edu.cn`,
  roles,
  language: 'zh-CN',
  staffKind,
});

const people = [
  person('sup', ['supervisor']),
  person('cleaner', ['staff'], 'cleaner'),
  person('manager', ['staff'], 'manager'),
  person('repair', ['staff'], 'repair'),
];

describe('staffAssignee: who a system-opened case goes to', () => {
  it('takes a preferred person who is on the staff, in directory order', () => {
    expect(staffAssignee({ people }, ['repair', 'cleaner'])?.id).toBe('cleaner');
    expect(staffAssignee({ people }, ['repair'])?.id).toBe('repair');
  });

  it('passes over a preferred person who is not staff, then takes the first manager', () => {
    expect(staffAssignee({ people }, ['sup'])?.id).toBe('manager');
    expect(staffAssignee({ people }, [])?.id).toBe('manager');
  });

  it('takes any staff member without a manager, and nobody without staff', () => {
    const noManager = people.filter((p) => p.id !== 'manager');
    expect(staffAssignee({ people: noManager }, [])?.id).toBe('cleaner');
    expect(staffAssignee({ people: [person('sup', ['supervisor'])] }, ['sup'])).toBeUndefined();
  });
});
