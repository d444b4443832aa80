import { describe, expect, it } from 'vitest';
import { reviewDigestMail, type ReviewDigestMail } from '../../domain/review-digest-mail.ts';

const digest: ReviewDigestMail = {
  recipientName: '王主管',
  windowMinutes: 15,
  cases: [
    {
      caseId: 'ZG-2026-000101',
      title: '水龙头漏水',
      building: { zh: '1号楼', en: 'Building 1' },
      dueText: '2026/12/09 17:00',
      reviewUrl: 'http://rectify.test/app/cases/ZG-2026-000101',
    },
    {
      caseId: 'ZG-2026-000102',
      title: '走廊灯不亮',
      building: { zh: '1号楼', en: 'Building 1' },
      reviewUrl: 'http://rectify.test/app/cases/ZG-2026-000102',
    },
  ],
};

describe('the review digest mail', () => {
  it('lists every case with its number, title, building, due and review link, Chinese first for a zh reader', () => {
    const m = reviewDigestMail('zh-CN', digest);
    expect(m.subject).toBe('【待复查】2 件案件整改已完成 / [Review needed] 2 case(s) rectified');
    const [zh, en] = m.text.split('———');
    expect(zh).toContain('王主管，您好：');
    expect(zh).toContain('过去 15 分钟内又有 2 件案件的整改已上报');
    expect(zh).toContain(
      'ZG-2026-000101「水龙头漏水」（1号楼，复查时限 2026/12/09 17:00）。去复查：http://rectify.test/app/cases/ZG-2026-000101',
    );
    expect(zh).toContain(
      'ZG-2026-000102「走廊灯不亮」（1号楼）。去复查：http://rectify.test/app/cases/ZG-2026-000102',
    );
    expect(en).toContain(
      'ZG-2026-000101 "水龙头漏水" (Building 1, review due 2026/12/09 17:00). Review it: http://rectify.test/app/cases/ZG-2026-000101',
    );
    expect(m.html).toContain('href="http://rectify.test/app/cases/ZG-2026-000102"');
    expect(m.html.indexOf('去复查')).toBeLessThan(m.html.indexOf('Review it'));
  });

  it('puts English first for an English reader, greeting them once in it', () => {
    const m = reviewDigestMail('en', { ...digest, recipientName: 'David Lee' });
    expect(m.subject).toBe('[Review needed] 2 case(s) rectified / 【待复查】2 件案件整改已完成');
    const [en, zh] = m.text.split('———');
    expect(en).toMatch(/^Dear David Lee,/);
    expect(en).toContain('In the last 15 minutes 2 more case(s) reported their rectification');
    expect(en).toContain(
      'ZG-2026-000102 "走廊灯不亮" (Building 1). Review it: http://rectify.test/app/cases/ZG-2026-000102',
    );
    expect(zh).toContain('过去 15 分钟内又有 2 件案件');
    expect(zh).not.toContain('您好');
    expect(m.html.indexOf('Review it')).toBeLessThan(m.html.indexOf('去复查'));
  });
});
