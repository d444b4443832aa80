import { beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { appendAudit } from '../../store/audit-chain.ts';
import { seedCase, testView } from '../support/audit-fixtures.ts';
import { seedDemo, sentEmails, testDeps, uniqueId } from '../support/stack.ts';

const deps = testDeps();
const acts = createActivities(deps);

beforeAll(async () => {
  await seedDemo(deps);
});

/** A case of the demo campus recorded as opened: room A101 of Dormitory A, assigned to 周强. */
async function recordedCase(prefix: string): Promise<string> {
  const caseId = uniqueId(prefix);
  await seedCase(deps, caseId, 1);
  return caseId;
}

describe('what a case mail reads from the case record', () => {
  it('the escalation names whom the case is assigned to, in both languages', async () => {
    const caseId = await recordedCase('ZG-ESC');
    await acts.sendCaseEmail({
      caseId,
      title: '水龙头漏水',
      stage: 'analysing',
      round: 1,
      kind: 'escalation',
      key: 'grid_l1',
      to: { personIds: ['sup-wang'] },
      due: new Date(Date.now() - 3_600_000).toISOString(),
      detail: 'grid_l1',
    });
    const [mail] = await sentEmails((e) => e.subject.includes(caseId));
    expect(mail?.to).toEqual(['wang.jianguo@demo.edu.cn']);
    expect(mail?.text).toContain('当前经办人：周强。');
    expect(mail?.text).toContain('It is assigned to 周强.');
  });

  it('an escalation reaches the building’s supervisors too, once each per breach, one on the rung once', async () => {
    const caseId = await recordedCase('ZG-ESCSUP');
    const rung = (level: string, personIds: string[], round = 1) =>
      acts.sendCaseEmail({
        caseId,
        title: '水龙头漏水',
        stage: 'analysing',
        round,
        kind: 'escalation',
        key: level,
        to: { personIds },
        due: new Date(Date.now() - 3_600_000).toISOString(),
        detail: level,
      });
    const to = async () => (await sentEmails((e) => e.subject.includes(caseId))).flatMap((m) => m.to).sort();
    // Dormitory A's supervisors are 王建国 and Anna Smith; 王建国 also sits on this (made-up) rung.
    const first = await rung('grid_l3', ['grid-a1c1', 'sup-wang']);
    expect([...first.sent].sort()).toEqual(['grid-a1c1', 'sup-smith', 'sup-wang']);
    expect(await to()).toEqual(
      ['grid.a1c1@demo.edu.cn', 'anna.smith@demo.edu.cn', 'wang.jianguo@demo.edu.cn'].sort(),
    );
    // The next rung of the same breach: its own people only, the supervisors told already.
    const second = await rung('grid_l2', ['grid-a1f']);
    expect(second.sent).toEqual(['grid-a1f']);
    expect([...second.alreadySent].sort()).toEqual(['sup-smith', 'sup-wang']);
    // A breach of a later round is news again.
    const again = await rung('grid_l3', ['grid-a1c1'], 2);
    expect([...again.sent].sort()).toEqual(['grid-a1c1', 'sup-smith', 'sup-wang']);
    const mails = await sentEmails(
      (e) => e.subject.includes(caseId) && e.to.includes('anna.smith@demo.edu.cn'),
    );
    expect(mails).toHaveLength(2);
    expect(mails[0]?.subject).toContain(`【超时升级】原因分析环节超时 ${caseId}：水龙头漏水`);
  });

  it('the leadership notice says where, since when and who has it, in campus time', async () => {
    const caseId = uniqueId('ZG-LEAD');
    await seedCase(deps, caseId, 1, { openedAt: '2026-03-02T06:05:00.000Z' });
    await acts.sendCaseEmail({
      caseId,
      title: '水龙头漏水',
      stage: 'analysing',
      round: 1,
      kind: 'leadership_notice',
      key: 'n1',
      to: { personIds: ['sup-wang'] },
    });
    const [mail] = await sentEmails((e) => e.subject.includes(caseId));
    expect(mail?.text).toContain(
      '「水龙头漏水」，地点：学生公寓A栋 A101，开案时间：2026/03/02 14:05 (Asia/Shanghai)，当前环节：',
    );
    expect(mail?.text).toContain('，经办人：周强。');
    expect(mail?.text).toContain(
      '"水龙头漏水" at Dormitory A, A101, opened 2026/03/02 14:05 (Asia/Shanghai), now at the stage',
    );
    expect(mail?.text).toContain(', assigned to 周强.');
  });

  it('the sign-off request after a dispute sent back to analysis says the plan was revised', async () => {
    const caseId = await recordedCase('ZG-REV');
    const signOff = {
      caseId,
      title: '水龙头漏水',
      stage: 'awaiting_signoff',
      round: 1,
      kind: 'signoff_request' as const,
      to: { personIds: ['staff-zhou'] },
    };
    await acts.sendCaseEmail(signOff);
    const at = new Date().toISOString();
    await appendAudit(deps.ddb, deps.tables, {
      caseId,
      stepId: 'step-revise',
      at,
      actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
      action: 'adjudicated',
      payload: { decision: 'revise', notes: '重新分析' },
      view: {
        ...testView(caseId, { version: 2 }),
        adjudications: [{ decision: 'revise', notes: '重新分析', by: 'sup-wang', at }],
      },
    });
    await acts.sendCaseEmail({ ...signOff, key: 'second' });
    const mails = await sentEmails((e) => e.subject.includes(caseId));
    const first = mails.find((m) => !m.subject.includes('修改后'));
    const second = mails.find((m) => m.subject.includes('修改后的整改方案'));
    expect(first?.text).not.toContain('修改');
    expect(second?.subject).toContain('[Sign-off needed] Revised rectification plan');
    expect(second?.text).toContain('整改方案已据此修改。请确认修改后的问题认定与整改方案');
    expect(second?.text).toContain('its plan has been revised since');
  });

  it('the result mail names the place to its reporter, in their language when the directory knows it', async () => {
    const caseId = await recordedCase('ZG-RES');
    // A member of staff who reported it, and reads English.
    await acts.sendCaseEmail({
      caseId,
      title: '水龙头漏水',
      stage: 'follow_up',
      round: 1,
      kind: 'result_and_survey',
      to: { reporter: { name: 'David Lee', email: 'david.lee@demo.edu.cn' } },
    });
    const [mail] = await sentEmails((e) => e.subject.includes(caseId));
    expect(mail?.subject.startsWith('[Result]')).toBe(true);
    expect(mail?.text.split('\n')[0]).toBe('Hello David Lee,');
    expect(mail?.text).toContain('The problem you reported at Dormitory A, A101,');
    expect(mail?.text).toContain('您在学生公寓A栋 A101 反映的问题');
  });

  // The case is opened by sup-wang (wang.jianguo@…) and handled by staff-zhou (zhou.qiang@…).
  it.each([
    ['its opener', 'wang.jianguo@demo.edu.cn'],
    ['its handler, the address in other letter case', 'Zhou.Qiang@demo.edu.cn'],
  ])('asks nobody to rate who may not: %s named as reporter gets no survey', async (_, email) => {
    const caseId = await recordedCase('ZG-SELF');
    const result = await acts.sendCaseEmail({
      caseId,
      title: '水龙头漏水',
      stage: 'follow_up',
      round: 1,
      kind: 'result_and_survey',
      to: { reporter: { name: '王建国', email } },
      link: { step: 'follow_up', action: 'rate' },
    });
    expect(result).toMatchObject({
      sent: [],
      alreadySent: [],
      withheld: [`reporter:${email.toLowerCase()}`],
    });
    // The reminder of the survey is withheld alike.
    const reminder = await acts.sendCaseEmail({
      caseId,
      title: '水龙头漏水',
      stage: 'follow_up',
      round: 1,
      kind: 'result_and_survey',
      key: 'r1',
      to: { reporter: { name: '王建国', email } },
      link: { step: 'follow_up', action: 'rate' },
    });
    expect(reminder.sent).toEqual([]);
    expect(await sentEmails((e) => e.subject.includes(caseId))).toEqual([]);
  });

  it('still asks a reporter who had no hand in the case, staff or not', async () => {
    const caseId = await recordedCase('ZG-RATE');
    const email = 'student.chen@stu.demo.edu.cn';
    const result = await acts.sendCaseEmail({
      caseId,
      title: '水龙头漏水',
      stage: 'follow_up',
      round: 1,
      kind: 'result_and_survey',
      to: { reporter: { name: '陈同学', email } },
      link: { step: 'follow_up', action: 'rate' },
    });
    expect(result.sent).toEqual([`reporter:${email}`]);
    expect(result.withheld).toBeUndefined();
    const [mail] = await sentEmails((e) => e.subject.includes(caseId));
    expect(mail?.subject).toContain('请您评价');
    expect(mail?.text).toMatch(/\/actions\/v1\./);
  });
});
