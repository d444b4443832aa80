import { describe, expect, it } from 'vitest';
import {
  strandedCasesMail,
  type StrandedBuilding,
  type StrandedCase,
  type StrandedCasesMail,
} from '../../domain/stranded-cases-mail.ts';

const dormA: StrandedBuilding = {
  name: { zh: '学生公寓A栋', en: 'Dormitory A' },
  asWorkingGroup: false,
  cases: [
    {
      caseId: 'ZG-2026-000042',
      stage: 'rectifying',
      dueText: '2026-12-10 10:00',
      overdue: false,
      waitsOnHolder: true,
      holders: [
        { name: '周强', state: 'removed', as: 'assignee' },
        { name: '周强', state: 'removed', as: 'responsible' },
      ],
      reassignUrl: 'https://rectify.example/app/cases/ZG-2026-000042#reassign-title',
    },
    {
      caseId: 'ZG-2026-000043',
      stage: 'analysing',
      overdue: false,
      waitsOnHolder: true,
      holders: [{ name: '吴磊', state: 'demoted', as: 'assignee' }],
      reassignUrl: 'https://rectify.example/app/cases/ZG-2026-000043#reassign-title',
    },
  ],
  more: 0,
};
const mail: StrandedCasesMail = { recipientName: '王建国', version: 7, buildings: [dormA] };

const aCase = (caseId: string, over: Partial<StrandedCase>): StrandedCase => ({
  caseId,
  stage: 'rectifying',
  dueText: '2026-12-10 10:00',
  overdue: false,
  waitsOnHolder: true,
  holders: [{ name: '周强', state: 'removed', as: 'responsible' }],
  reassignUrl: `https://rectify.example/app/cases/${caseId}#reassign-title`,
  ...over,
});

describe('the mail telling a building of cases a directory save stranded', () => {
  it('reads Chinese first for a Chinese reader: each case by number, stage, due, holder and where to reassign', () => {
    const m = strandedCasesMail('zh-CN', mail);
    expect(m.subject).toBe(
      '【请改派】学生公寓A栋：2 件案件的经办人已离开名录或失去角色 / [Reassign] Dormitory A: 2 cases whose holder left the directory or lost their role',
    );
    const [zh, en] = m.text.split('———');
    expect(zh).toMatch(/^王建国，您好：\n/);
    expect(zh).toContain('名录第 7 版已保存：学生公寓A栋有 2 件未结案件');
    expect(zh).toContain(
      'ZG-2026-000042（整改中，时限 2026-12-10 10:00）被指派人：周强（已离开名录）；责任人：周强（已离开名录）。改派：https://rectify.example/app/cases/ZG-2026-000042#reassign-title',
    );
    expect(zh).toContain('ZG-2026-000043（原因分析）被指派人：吴磊（已无处理案件的角色）。');
    expect(en).toContain(
      'ZG-2026-000042 (Rectifying, due 2026-12-10 10:00) assignee: 周强 (no longer in the directory); responsible: 周强 (no longer in the directory). Reassign: https://rectify.example/app/cases/ZG-2026-000042#reassign-title',
    );
    expect(en).toContain(
      'ZG-2026-000043 (Analysing) assignee: 吴磊 (no longer in a role that acts on cases).',
    );
    expect(m.html).toMatch(/^<div[^>]*lang="zh-CN"><p>王建国，您好：<\/p>/);
    expect(m.html).toContain(
      '<a href="https://rectify.example/app/cases/ZG-2026-000042#reassign-title" style="color:#b4232a">改派</a>',
    );
    expect(m.html).toContain('<hr><div lang="en">');
  });

  it('reads English first for an English reader, and says why the working group hears it', () => {
    const m = strandedCasesMail('en', {
      ...mail,
      recipientName: 'Anna Smith',
      buildings: [{ ...dormA, asWorkingGroup: true, more: 3 }],
    });
    expect(m.subject).toMatch(/^\[Reassign\] Dormitory A: 5 cases .* \/ 【请改派】学生公寓A栋：5 件案件/);
    const [en, zh] = m.text.split('———');
    expect(en).toMatch(/^Dear Anna Smith,\n/);
    expect(en).toContain(
      'Directory version 7 was saved: 5 open cases at Dormitory A are held by someone it removed or left without a role that acts on cases.',
    );
    expect(en).toContain('Dormitory A has no supervisor, so the working group is told.');
    expect(en).toContain("3 more are not listed here; an admin's directory import page lists them all.");
    expect(zh).toContain('学生公寓A栋没有主管，因此通知工作小组。');
    expect(zh).toContain('另有 3 件未列出；管理员的名录导入页列出全部。');
    // The 2 listed are not all 5: what the list says of them is not said of the 3 unread.
    expect(en).toContain('2 of them wait on their holders at their current stage');
    expect(en).not.toContain('They wait');
    expect(zh).toContain('其中 2 件正等原经办人处理');
    expect(m.html).toMatch(/^<div[^>]*lang="en">/);
    expect(m.html).toContain('>Reassign</a>');
  });

  it('writes English counts as enCount does, thousands grouped', () => {
    const m = strandedCasesMail('en', { ...mail, buildings: [{ ...dormA, more: 1256 }] });
    const [en] = m.text.split('———');
    expect(m.subject).toMatch(/^\[Reassign\] Dormitory A: 1,258 cases whose holder/);
    expect(en).toContain('Directory version 7 was saved: 1,258 open cases at Dormitory A are held');
    expect(en).toContain("1,256 more are not listed here; an admin's directory import page lists them all.");
    expect(m.subject).toContain('学生公寓A栋：1258 件案件');
  });

  it('says a case is overdue, and since when, rather than giving its passed deadline as one to meet', () => {
    const m = strandedCasesMail('zh-CN', {
      ...mail,
      buildings: [
        {
          ...dormA,
          cases: [
            aCase('ZG-2026-000050', { dueText: '2026-12-07 18:16', overdue: true }),
            aCase('ZG-2026-000051', {}),
          ],
        },
      ],
    });
    const [zh, en] = m.text.split('———');
    expect(zh).toContain('ZG-2026-000050（整改中，自 2026-12-07 18:16 起超时）责任人：周强（已离开名录）。');
    expect(zh).not.toContain('时限 2026-12-07 18:16');
    expect(zh).toContain('ZG-2026-000051（整改中，时限 2026-12-10 10:00）');
    expect(en).toContain('ZG-2026-000050 (Rectifying, overdue since 2026-12-07 18:16) responsible:');
    // One sentence for each kind: the one still waiting to escalate, the one already escalating.
    expect(zh).toContain('其中 1 件正等原经办人处理：提醒无人接收，将一直等到超时升级。');
    expect(zh).toContain('其中 1 件已超时并在升级，但改派之前仍无人能处理。');
    expect(en).toContain(
      '1 of them waits on its holder at its current stage: nobody receives its reminders, so it waits until it is overdue and escalates.',
    );
    expect(en).toContain(
      '1 is already overdue and escalating, but nobody can act on it until it is reassigned.',
    );
  });

  it('does not say nobody is reminded of a case whose stage someone else acts in', () => {
    const m = strandedCasesMail('en', {
      ...mail,
      buildings: [
        { ...dormA, cases: [aCase('ZG-2026-000060', { stage: 'reviewing', waitsOnHolder: false })] },
      ],
    });
    const [en, zh] = m.text.split('———');
    expect(en).not.toMatch(/[Nn]obody receives/);
    expect(zh).not.toContain('提醒无人接收');
    expect(en).toContain(
      'It is at a stage someone else acts in, but a later step needs its holder: reassign it too.',
    );
    expect(en).toContain('1 open case at Dormitory A is held by');
    expect(en).toContain('Reassign it soon:');
    expect(zh).toContain('该案件当前环节由他人处理，但之后的环节仍需经办人，请一并改派。');
  });

  it('lists every building of one reader in one mail, by building', () => {
    const laundry: StrandedBuilding = {
      name: { zh: '洗衣房', en: 'Laundry' },
      asWorkingGroup: true,
      cases: [aCase('ZG-2026-000070', {})],
      more: 0,
    };
    const m = strandedCasesMail('zh-CN', { ...mail, buildings: [dormA, laundry] });
    expect(m.subject).toMatch(/^【请改派】学生公寓A栋、洗衣房：3 件案件/);
    expect(m.subject).toContain('[Reassign] Dormitory A and Laundry: 3 cases');
    const [zh, en] = m.text.split('———');
    expect(zh).toContain('名录第 7 版已保存：学生公寓A栋、洗衣房有 3 件未结案件');
    const a = zh!.indexOf('学生公寓A栋（2 件）：');
    const l = zh!.indexOf('洗衣房（1 件；此处没有主管，因此通知工作小组）：');
    expect(a).toBeGreaterThan(0);
    expect(zh!.indexOf('ZG-2026-000042')).toBeGreaterThan(a);
    expect(zh!.indexOf('ZG-2026-000042')).toBeLessThan(l);
    expect(zh!.indexOf('ZG-2026-000070')).toBeGreaterThan(l);
    expect(en).toContain('Laundry (1; no supervisor here, so the working group is told):');
    expect(m.html).toContain('<p><strong>学生公寓A栋（2 件）：</strong></p>');
  });

  it('says when the directory was saved, for a mail that goes later than the save', () => {
    const m = strandedCasesMail('zh-CN', { ...mail, savedText: '2026-12-07 09:15' });
    const [zh, en] = m.text.split('———');
    expect(zh).toContain('名录第 7 版已于 2026-12-07 09:15 保存：学生公寓A栋有 2 件未结案件');
    expect(en).toContain('Directory version 7 was saved on 2026-12-07 09:15: 2 open cases at Dormitory A');
  });
});
