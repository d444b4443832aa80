import { describe, expect, it } from 'vitest';
import { readRefusalText } from '../../api/pages/app/case-refused-page.tsx';

/**
 * A case page refused to its reader said the API's read rule, a clause starting lowercase
 * ("you may read cases of …"); a supervisor moved off the case's building was not told so.
 */
const rule = {
  zh: '只能查看：主管所管楼栋的案件、指派给本人或由本人负责的案件、本人网格内的案件；审计、管理员、工作小组和校领导可查看全部',
  en: 'you may read cases of buildings you supervise, cases assigned to you or that you are responsible for, and cases in your own grid; auditors, admins, the working group and leadership read everything',
};
const A = { zh: '学生公寓A栋', en: 'Dormitory A' };
const B = { zh: '学生公寓B栋', en: 'Dormitory B' };

describe('why a case page is refused', () => {
  it('a supervisor moved off the case’s building is told so, and where they are now', () => {
    const t = readRefusalText(
      { caseId: 'ZG-2026-000007', building: A, supervisorOf: [B], supervisedBefore: true },
      rule,
    );
    expect(t.zh).toBe(
      '您已不再主管学生公寓A栋（案件 ZG-2026-000007 所在楼栋，您现在主管学生公寓B栋），因此不能再查看此案件。如仍需跟进，请联系该楼栋现在的主管或管理员。',
    );
    expect(t.en).toMatch(
      /^You no longer supervise Dormitory A, where case ZG-2026-000007 is \(you now supervise Dormitory B\)/,
    );
  });

  it('a supervisor of other buildings is told the case is not in theirs, then the rule as a sentence', () => {
    const t = readRefusalText({ caseId: 'ZG-2026-000007', building: A, supervisorOf: [B] }, rule);
    expect(t.zh).toBe(
      `案件 ZG-2026-000007 在学生公寓A栋，不是您主管的楼栋（您主管：学生公寓B栋），您不能查看。${rule.zh}。`,
    );
    expect(t.en).toBe(
      `Case ZG-2026-000007 is in Dormitory A, which you do not supervise (you supervise Dormitory B), so you cannot see it. You${rule.en.slice(3)}.`,
    );
  });

  it('anyone else: which case, then the rule, each a sentence', () => {
    const t = readRefusalText({ caseId: 'ZG-2026-000007', building: A }, rule);
    expect(t.en).toBe(`You cannot see case ZG-2026-000007. You${rule.en.slice(3)}.`);
    expect(t.zh).toBe(`您不能查看案件 ZG-2026-000007。${rule.zh}。`);
  });
});
