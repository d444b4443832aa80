import { describe, expect, it } from 'vitest';
import { strandedCasesMail, type StrandedCasesMail } from '../../domain/stranded-cases-mail.ts';

const mail: StrandedCasesMail = {
  recipientName: '王建国',
  building: { zh: '学生公寓A栋', en: 'Dormitory A' },
  version: 7,
  asWorkingGroup: false,
  cases: [
    {
      caseId: 'ZG-2026-000042',
      stage: 'rectifying',
      dueText: '2026-12-10 10:00',
      holders: [
        { name: '周强', state: 'removed', as: 'assignee' },
        { name: '周强', state: 'removed', as: 'responsible' },
      ],
      reassignUrl: 'https://rectify.example/app/cases/ZG-2026-000042#reassign-title',
    },
    {
      caseId: 'ZG-2026-000043',
      stage: 'analysing',
      holders: [{ name: '吴磊', state: 'demoted', as: 'assignee' }],
      reassignUrl: 'https://rectify.example/app/cases/ZG-2026-000043#reassign-title',
    },
  ],
  more: 0,
};

describe('the mail telling a building of cases a directory save stranded', () => {
  it('reads Chinese first for a Chinese reader: each case by number, stage, due, holder and where to reassign', () => {
    const m = strandedCasesMail('zh-CN', mail);
    expect(m.subject).toBe(
      '【请改派】学生公寓A栋：2 件案件的经办人已离开名录或失去角色 / [Reassign] Dormitory A: 2 case(s) held by someone removed or without their role',
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
      asWorkingGroup: true,
      more: 3,
    });
    expect(m.subject).toMatch(/^\[Reassign\] Dormitory A: 5 case\(s\) .* \/ 【请改派】学生公寓A栋：5 件案件/);
    const [en, zh] = m.text.split('———');
    expect(en).toMatch(/^Dear Anna Smith,\n/);
    expect(en).toContain(
      'Directory version 7 was saved: 5 open case(s) at Dormitory A are held by someone it removed or left without a role that acts on cases.',
    );
    expect(en).toContain('The building has no supervisor, so the working group is told.');
    expect(en).toContain('3 more are not listed here; see the directory import page.');
    expect(zh).toContain('该楼栋没有主管，因此通知工作小组。');
    expect(zh).toContain('另有 3 件未列出，请在名录导入页查看。');
    expect(m.html).toMatch(/^<div[^>]*lang="en">/);
    expect(m.html).toContain('>Reassign</a>');
  });
});
