import { describe, expect, it } from 'vitest';
import { reviewDigestMail, type ReviewDigestMail } from '../../domain/review-digest-mail.ts';

const digest: ReviewDigestMail = {
  recipientName: '王主管',
  windowMinutes: 15,
  cases: [
    {
      caseId: 'ZG-2026-000101',
      title: '水龙头漏水',
      place: { zh: '1号楼 A101', en: 'Building 1 A101' },
      dueAt: '2026-12-09T09:00:00Z',
      dueText: '2026/12/09 17:00 (Asia/Shanghai)',
      reviewUrl: 'http://rectify.test/app/cases/ZG-2026-000101',
    },
    {
      caseId: 'ZG-2026-000102',
      title: '走廊灯不亮',
      place: { zh: '1号楼', en: 'Building 1' },
      reviewUrl: 'http://rectify.test/app/cases/ZG-2026-000102',
    },
  ],
};

/** The lines of one half of a text mail that name a case, in the order the mail lists them. */
const caseLines = (half: string | undefined) => (half ?? '').split('\n').filter((l) => l.startsWith('ZG-'));

describe('the review digest mail', () => {
  it('lists every case with its number, title, place, due and review link, Chinese first for a zh reader', () => {
    const m = reviewDigestMail('zh-CN', digest);
    expect(m.subject).toBe(
      '【待复查】汇总：又有 2 件案件待您复查 / [Review needed] Digest: 2 more cases to review',
    );
    const [zh, en] = m.text.split('———');
    expect(zh).toContain('王主管，您好：');
    expect(zh).toContain('过去 15 分钟内又有 2 件案件的整改已上报');
    expect(caseLines(zh)).toEqual([
      'ZG-2026-000101「水龙头漏水」，1号楼 A101，复查时限 2026/12/09 17:00 (Asia/Shanghai)。去复查：http://rectify.test/app/cases/ZG-2026-000101',
      'ZG-2026-000102「走廊灯不亮」，1号楼。去复查：http://rectify.test/app/cases/ZG-2026-000102',
    ]);
    expect(caseLines(en)[0]).toBe(
      'ZG-2026-000101 "水龙头漏水", Building 1 A101, review due 2026/12/09 17:00 (Asia/Shanghai). Review it: http://rectify.test/app/cases/ZG-2026-000101',
    );
    expect(m.html).toContain('href="http://rectify.test/app/cases/ZG-2026-000102"');
    expect(m.html.indexOf('去复查')).toBeLessThan(m.html.indexOf('Review it'));
    // Nothing was left out: the mail says nothing of cases handled.
    expect(m.text).not.toContain('另有');
    expect(m.text).not.toContain('not listed');
  });

  it('puts English first for an English reader, greeting them once in it', () => {
    const m = reviewDigestMail('en', { ...digest, recipientName: 'David Lee' });
    expect(m.subject).toBe(
      '[Review needed] Digest: 2 more cases to review / 【待复查】汇总：又有 2 件案件待您复查',
    );
    const [en, zh] = m.text.split('———');
    expect(en).toMatch(/^Dear David Lee,/);
    expect(en).toContain('In the last 15 minutes, 2 more cases reported their rectification');
    expect(caseLines(en)[1]).toBe(
      'ZG-2026-000102 "走廊灯不亮", Building 1. Review it: http://rectify.test/app/cases/ZG-2026-000102',
    );
    expect(zh).toContain('过去 15 分钟内又有 2 件案件');
    expect(zh).not.toContain('您好');
    expect(m.html.indexOf('Review it')).toBeLessThan(m.html.indexOf('去复查'));
  });

  it('lists the most urgent review first, those without a deadline last, in both halves', () => {
    const later = {
      caseId: 'ZG-2026-000103',
      title: '窗户关不上',
      place: { zh: '1号楼 B202', en: 'Building 1 B202' },
      dueAt: '2026-12-10T09:00:00Z',
      dueText: '2026/12/10 17:00 (Asia/Shanghai)',
      reviewUrl: 'http://rectify.test/app/cases/ZG-2026-000103',
    };
    const sooner = {
      ...later,
      caseId: 'ZG-2026-000104',
      dueAt: '2026-12-08T01:00:00Z',
      reviewUrl: 'http://rectify.test/app/cases/ZG-2026-000104',
    };
    const m = reviewDigestMail('zh-CN', {
      ...digest,
      // Gathered in this order: the mail does not keep it.
      cases: [digest.cases[1], later, digest.cases[0], sooner].filter((c) => c !== undefined),
    });
    const order = ['ZG-2026-000104', 'ZG-2026-000101', 'ZG-2026-000103', 'ZG-2026-000102'];
    for (const half of m.text.split('———'))
      expect(caseLines(half).map((l) => l.split(/[「 ]/)[0])).toEqual(order);
    const at = (id: string) => m.html.indexOf(`href="http://rectify.test/app/cases/${id}"`);
    expect(order.map(at)).toEqual(order.map(at).toSorted((a, b) => a - b));
  });

  it('says how many cases of the window were already handled and are left out', () => {
    const one = { ...digest, cases: digest.cases.slice(0, 1) };
    const zh = reviewDigestMail('zh-CN', { ...one, alreadyHandled: 2 });
    expect(zh.subject).toContain('又有 1 件案件待您复查');
    expect(zh.subject).toContain('Digest: 1 more case to review');
    expect(zh.text).toContain('另有 2 件已有人复查，或已撤销、关闭，不再列出。');
    expect(zh.text).toContain('2 more cases were already reviewed, withdrawn or closed, and are not listed.');
    expect(zh.html).toContain('另有 2 件已有人复查');
    const en = reviewDigestMail('en', { ...one, alreadyHandled: 1 });
    expect(en.text.split('———')[0]).toContain(
      '1 more case was already reviewed, withdrawn or closed, and is not listed.',
    );
    expect(en.text).toContain('1 more case reported its rectification and awaits your review');
  });

  it('writes English counts as enCount does, thousands grouped', () => {
    const m = reviewDigestMail('en', { ...digest, alreadyHandled: 1258 });
    expect(m.text).toContain(
      '1,258 more cases were already reviewed, withdrawn or closed, and are not listed.',
    );
    expect(m.text).toContain('另有 1258 件已有人复查');
  });
});
