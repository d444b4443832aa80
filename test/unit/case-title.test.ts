import { describe, expect, it } from 'vitest';
import { CaseTable } from '../../api/pages/app/case-list.tsx';
import { caseTitleIn, kindPrefixIn } from '../../domain/case-title.ts';
import { buildDailyBrief, buildWeeklyDigests } from '../../domain/digest.ts';
import { dailyBriefEmail, staffDigestEmail } from '../../domain/digest-email.ts';
import type { Directory } from '../../domain/directory.ts';
import { renderEmail } from '../../domain/email-content.ts';
import { reportCaseTitle, reportKindInfo } from '../../domain/intake.ts';
import { reviewDigestMail } from '../../domain/review-digest-mail.ts';
import { demoDirectory } from '../support/stack.ts';
import { view } from '../support/views.ts';

/** A case opened from a student's scanned report, its title as triage stores it. */
const zhTitle = reportCaseTitle(reportKindInfo.repair.label, '卫生间灯不亮');
const enTitle = reportCaseTitle(reportKindInfo.complaint.label, 'Rude at the front desk');

describe('a scanned report’s kind in a case title, in the reader’s language', () => {
  it('swaps a known kind prefix either way and leaves any other title as written', () => {
    expect(zhTitle).toBe('报修：卫生间灯不亮');
    expect(kindPrefixIn(zhTitle, 'en')).toBe('Repair: 卫生间灯不亮');
    expect(kindPrefixIn(zhTitle, 'zh-CN')).toBe(zhTitle);
    expect(kindPrefixIn(enTitle, 'zh')).toBe('投诉（员工服务）：Rude at the front desk');
    expect(kindPrefixIn(enTitle, 'en')).toBe(enTitle);
    for (const { label } of Object.values(reportKindInfo))
      expect(kindPrefixIn(`${label.zh}：门锁坏了`, 'en')).toBe(`${label.en}: 门锁坏了`);
    // A title staff wrote, or one only as long as a prefix, is not a report's.
    expect(kindPrefixIn('宿舍楼 A101 水龙头漏水', 'en')).toBe('宿舍楼 A101 水龙头漏水');
    expect(kindPrefixIn('Repairing: the tap', 'zh')).toBe('Repairing: the tap');
    expect(kindPrefixIn('报修：', 'en')).toBe('报修：');
  });

  it('gives one half of a title written in both languages', () => {
    const failed = '消防通道畅通 不合格 / Fire lanes clear: failed';
    expect(caseTitleIn(failed, 'en')).toBe('Fire lanes clear: failed');
    expect(caseTitleIn(failed, 'zh')).toBe('消防通道畅通 不合格');
    expect(caseTitleIn(zhTitle, 'en')).toBe('Repair: 卫生间灯不亮');
  });
});

describe('case mails, review digests and weekly digests name the kind in each half’s language', () => {
  it('a case mail: its English half and subject say "Repair", its Chinese half "报修"', () => {
    const mail = renderEmail('en', {
      kind: 'review_request',
      caseId: 'ZG-2026-000007',
      title: zhTitle,
      stage: 'reviewing',
      round: 1,
      recipientName: 'Anna Smith',
    });
    const [en, zh] = mail.text.split('———');
    expect(en).toContain('"Repair: 卫生间灯不亮"');
    expect(en).not.toContain('报修');
    expect(zh).toContain('「报修：卫生间灯不亮」');
    expect(mail.subject).toMatch(
      /^\[Review needed\] .*: Repair: 卫生间灯不亮 \/ 【待复查】.*：报修：卫生间灯不亮$/,
    );
  });

  it('a review digest: each half its own', () => {
    const mail = reviewDigestMail('zh-CN', {
      recipientName: '王主管',
      windowMinutes: 15,
      cases: [
        {
          caseId: 'ZG-2026-000101',
          title: zhTitle,
          place: { zh: '1号楼', en: 'Building 1' },
          reviewUrl: 'http://rectify.test/app/cases/ZG-2026-000101',
        },
      ],
    });
    const [zh, en] = mail.text.split('———');
    expect(zh).toContain('ZG-2026-000101「报修：卫生间灯不亮」');
    expect(en).toContain('ZG-2026-000101 "Repair: 卫生间灯不亮"');
  });

  it('a weekly digest and a morning brief for a reader of English', () => {
    const dir: Pick<Directory, 'buildings' | 'departments'> = {
      buildings: [
        {
          id: 'bldg-a',
          name: { zh: '学生公寓A栋', en: 'Dormitory A' },
          supervisorIds: ['sup-smith'],
          gridMemberIds: [],
          floors: [{ id: 'a-f1', name: { zh: '1层', en: 'Floor 1' }, gridMemberIds: [], clusters: [] }],
        },
      ],
      departments: [],
    };
    const views = [view({ caseId: 'w1', openedAt: '2026-03-02T02:00:00.000Z', title: zhTitle })];
    const staff = buildWeeklyDigests({ week: '2026-W10', timeZone: 'Asia/Shanghai', directory: dir, views })
      .staff[0]!;
    expect(staffDigestEmail(staff, 'Lee Wei', 'https://r.test/a', 'en').text).toContain(
      'w1 Repair: 卫生间灯不亮 (',
    );
    expect(staffDigestEmail(staff, '周强', 'https://r.test/a').text).toContain('w1 报修：卫生间灯不亮 (');
    const brief = buildDailyBrief({
      date: '2026-03-03',
      timeZone: 'Asia/Shanghai',
      buildingId: 'bldg-a',
      views,
      directory: dir,
    });
    const en = dailyBriefEmail(brief, dir.buildings[0]!.name, 'Anna Smith', 'en').text;
    expect(en).toContain('w1 Repair: 卫生间灯不亮 (');
    expect(en).not.toContain('报修');
  });
});

describe('a case list in English', () => {
  it('names the kind in English; the Chinese list as stored', async () => {
    const dir = await demoDirectory();
    const items = [view({ caseId: 'ZG-2026-000009', openedAt: '2026-03-02T02:00:00.000Z', title: zhTitle })];
    const table = (lang: 'zh-CN' | 'en') =>
      String(
        CaseTable({
          items,
          dir,
          lang,
          tz: 'Asia/Shanghai',
          now: new Date('2026-03-03T00:00:00Z'),
          nameOf: (id) => id,
        }),
      );
    expect(table('en')).toContain('>Repair: 卫生间灯不亮</a>');
    expect(table('zh-CN')).toContain('>报修：卫生间灯不亮</a>');
  });
});
