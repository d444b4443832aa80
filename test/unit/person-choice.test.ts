import { describe, expect, it } from 'vitest';
import { personChoiceLabel, personChoiceLabels } from '../../domain/person-option.ts';

/**
 * The pages' pick-lists of people said each one's directory id ("赵伟（staff-zhao，管理）"), which
 * colleagues do not know each other by: a choice is a name with trade (or role) and department,
 * the id only its value.
 */
describe('a person as a choice on a page', () => {
  const zhao = {
    id: 'staff-zhao',
    name: '赵伟',
    email: 'zhao@example.edu.cn',
    roles: ['staff' as const],
    staffKind: 'manager' as const,
  };

  it('names the person and their trade, without the id', () => {
    expect(personChoiceLabel(zhao, 'zh-CN')).toBe('赵伟（管理）');
    expect(personChoiceLabel(zhao, 'en')).toBe('赵伟 (manager)');
    expect(personChoiceLabel({ name: '王主管', roles: ['supervisor'] }, 'zh-CN')).toBe('王主管（主管）');
    expect(personChoiceLabel({ name: 'Ann', roles: [] }, 'en')).toBe('Ann');
  });

  it('adds the department, and tells two alike apart by email, not id', () => {
    const dept = [{ id: 'cs', name: { zh: '计算机学院', en: 'School of Computer Science' } }];
    const twin = { ...zhao, id: 'staff-zhao2', email: 'zhao2@example.edu.cn' };
    const contact = {
      id: 'dept-cs',
      name: '刘老师',
      email: 'liu@example.edu.cn',
      roles: ['department_contact' as const],
      departmentId: 'cs',
    };
    const labels = personChoiceLabels([zhao, twin, contact], 'zh-CN', dept);
    expect(labels.get('dept-cs')).toBe('刘老师（院系联系人，计算机学院）');
    expect(labels.get('staff-zhao')).toBe('赵伟（管理） · zhao@example.edu.cn');
    expect(labels.get('staff-zhao2')).toBe('赵伟（管理） · zhao2@example.edu.cn');
    expect([...labels.values()].join()).not.toContain('staff-');
  });
});
