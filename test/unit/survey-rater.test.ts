import { describe, expect, it } from 'vitest';
import type { Person } from '../../domain/directory.ts';
import { raterConflict, reporterInvolved, reporterPersonId } from '../../domain/survey-rater.ts';

const person = (id: string, email: string): Person => ({
  id,
  name: id,
  email,
  roles: ['staff'],
  language: 'zh-CN',
});
const dir = {
  people: [
    person('sup-wang', 'Wang@Campus.edu.cn'),
    person('staff-zhou', 'zhou@campus.edu.cn'),
    person('staff-wu', 'wu@campus.edu.cn'),
    person('staff-li', 'li@campus.edu.cn'),
  ],
};
const base = { openedBy: 'sup-wang', assigneeId: 'staff-zhou', responsibleId: 'staff-wu' };

describe('who may not rate a case', () => {
  it.each([
    ['wang@campus.edu.cn', 'sup-wang', 'the opener (case and spaces do not hide them)'],
    [' ZHOU@campus.edu.cn ', 'staff-zhou', 'the assignee'],
    ['wu@campus.edu.cn', 'staff-wu', 'the responsible staff member'],
  ])('%s is refused: %s (%s)', (email, id) => {
    const refusal = raterConflict(dir, { ...base, reporter: { email } });
    expect(refusal?.en).toContain(id);
    expect(refusal?.zh).toContain('不能评价');
  });

  it('a reporter outside the case, someone of the directory not on it, or no reporter at all is fine', () => {
    expect(raterConflict(dir, { ...base, reporter: { email: 'student@stu.campus.edu.cn' } })).toBeNull();
    expect(raterConflict(dir, { ...base, reporter: { email: 'li@campus.edu.cn' } })).toBeNull();
    expect(raterConflict(dir, base)).toBeNull();
    expect(
      raterConflict(dir, { ...base, responsibleId: undefined, reporter: { email: 'wu@campus.edu.cn' } }),
    ).toBeNull();
  });
});

describe('the reporter pinned at opening', () => {
  it('is the directory person with their email, whatever its case and spaces, or nobody', () => {
    expect(reporterPersonId(dir, ' WANG@campus.edu.cn')).toBe('sup-wang');
    expect(reporterPersonId(dir, 'student@stu.campus.edu.cn')).toBeUndefined();
    expect(reporterPersonId(dir, undefined)).toBeUndefined();
    expect(reporterPersonId(dir, '  ')).toBeUndefined();
  });

  it.each([
    ['sup-wang', true],
    ['staff-zhou', true],
    ['staff-wu', true],
    ['staff-li', false],
  ])('%s as the reporter: involved %s', (personId, involved) => {
    expect(reporterInvolved({ ...base, reporter: { email: 'x@campus.edu.cn', personId } })).toBe(involved);
  });

  it('a case without a pinned person (opened before, or a reporter outside the directory) is never involved', () => {
    expect(reporterInvolved({ ...base, reporter: { email: 'wang@campus.edu.cn' } })).toBe(false);
    expect(reporterInvolved(base)).toBe(false);
  });
});
