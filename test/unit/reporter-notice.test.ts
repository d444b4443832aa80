import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDirectory } from '../../domain/directory-schema.ts';
import type { Directory } from '../../domain/directory.ts';
import { reportStatusLabel } from '../../domain/intake.ts';
import { placeNameOf } from '../../domain/place-name.ts';
import {
  caseResultActions,
  renderReporterNotice,
  reporterLanguage,
  type ReporterNoticeContext,
} from '../../domain/reporter-notice.ts';

const parsed = validateDirectory(
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../infra/local/demo-campus.json'), 'utf8')),
);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const demo: Directory = parsed.directory;

const merged: ReporterNoticeContext = {
  reportId: 'RP-0123456789',
  status: reportStatusLabel.merged,
  reason: '与案件 ZG-2026-000007 为同一问题 / the same problem as case ZG-2026-000007',
  caseId: 'ZG-2026-000007',
  trackUrl: 'https://rectify.example/t/abc',
  name: '李同学',
  place: { zh: '学生公寓A栋 A101', en: 'Dormitory A A101' },
};

describe('a notice to a scanned-code reporter', () => {
  it('is Chinese first by default, subject and body', () => {
    const mail = renderReporterNotice('zh-CN', merged);
    expect(mail.subject).toBe(
      '【整改】RP-0123456789 已并入同一问题的案件 / [Rectify] RP-0123456789 Merged into a case about the same problem',
    );
    const [zh, en] = mail.text.split('———');
    expect(zh).toContain('您在学生公寓A栋 A101提交的报告 RP-0123456789：已并入同一问题的案件');
    expect(en).toContain(
      'Your report RP-0123456789 at Dormitory A A101: Merged into a case about the same problem',
    );
    expect(mail.html.indexOf('学生公寓A栋 A101')).toBeLessThan(mail.html.indexOf('Dormitory A A101'));
  });

  it('links the tracking page as a button in the HTML (a bare address runs off a phone), once, and marks each half’s language', () => {
    const { html, text } = renderReporterNotice('en', merged);
    expect(html.match(/https:\/\/rectify\.example\/t\/abc/g)).toHaveLength(1);
    expect(html).toContain('href="https://rectify.example/t/abc"');
    expect(html).toContain('>Follow your report / 查看处理进度</a>');
    expect(html).toMatch(/^<div style="font-family:sans-serif[^"]*" lang="en">/);
    expect(html).toContain('<div lang="zh-CN">');
    // The text part keeps the address in both halves: there is nothing else to tap.
    expect(text).toContain('Follow it: https://rectify.example/t/abc');
    expect(text).toContain('查看进度：https://rectify.example/t/abc');
  });

  it('is English first for a reporter known to read English', () => {
    const mail = renderReporterNotice('en', merged);
    expect(mail.subject.startsWith('[Rectify] RP-0123456789 Merged')).toBe(true);
    expect(mail.subject).toContain(' / 【整改】RP-0123456789 已并入');
    expect(mail.text.split('\n')[0]).toBe('Hello 李同学,');
  });

  it('greets the reporter once, in the language they read first, by name or with a plain hello', () => {
    // As the case mails do (renderEmail, mailGreeting): the other half is a translation, not a
    // second letter, so it does not greet again.
    for (const [lang, hello, other] of [
      ['zh-CN', '李同学，您好：', 'Hello'],
      ['en', 'Hello 李同学,', '您好'],
    ] as const) {
      const { text, html } = renderReporterNotice(lang, merged);
      expect(text.split('\n')[0]).toBe(hello);
      expect(text.match(/您好|Hello|Dear/g)).toHaveLength(1);
      expect(text).not.toContain(other);
      expect(html.match(/您好|Hello|Dear/g)).toHaveLength(1);
      expect(html).toContain(`<p>${hello}</p>`);
    }
    const nameless = renderReporterNotice('zh-CN', { ...merged, name: undefined }).text.split('\n');
    expect(nameless[0]).toBe('您好：');
    expect(nameless).not.toContain('Hello,');
    expect(renderReporterNotice('en', { ...merged, name: '  ' }).text.split('\n')[0]).toBe('Hello,');
  });

  it('reads end to end as one letter: greeting, the reader’s half, a rule, the translation', () => {
    expect(renderReporterNotice('zh-CN', merged).text).toBe(
      [
        '李同学，您好：',
        '',
        '您在学生公寓A栋 A101提交的报告 RP-0123456789：已并入同一问题的案件',
        '原因：与案件 ZG-2026-000007 为同一问题',
        '案件编号：ZG-2026-000007',
        '查看进度：https://rectify.example/t/abc',
        '',
        '———',
        'Your report RP-0123456789 at Dormitory A A101: Merged into a case about the same problem',
        'Reason: the same problem as case ZG-2026-000007',
        'Case: ZG-2026-000007',
        'Follow it: https://rectify.example/t/abc',
      ].join('\n'),
    );
  });

  it('gives each language its half of a bilingual reason, and the case and tracking link in both', () => {
    const [zh, en] = renderReporterNotice('zh-CN', merged).text.split('———');
    expect(zh).toContain('原因：与案件 ZG-2026-000007 为同一问题\n');
    expect(zh).not.toContain('the same problem');
    expect(en).toContain('Reason: the same problem as case ZG-2026-000007');
    expect(zh).toContain('案件编号：ZG-2026-000007');
    expect(en).toContain('Case: ZG-2026-000007');
    expect(zh).toContain('查看进度：https://rectify.example/t/abc');
    expect(en).toContain('Follow it: https://rectify.example/t/abc');
  });

  it('leaves out a place it does not know, and escapes what the reporter wrote', () => {
    const mail = renderReporterNotice('zh-CN', {
      ...merged,
      place: undefined,
      name: '<b>李</b>',
      reason: undefined,
    });
    expect(mail.text).toContain('您提交的报告 RP-0123456789：');
    expect(mail.text).toContain('Your report RP-0123456789: ');
    expect(mail.text).not.toContain('原因');
    expect(mail.html).toContain('&lt;b&gt;李&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>');
  });
});

describe('the result of a case a report was merged into', () => {
  it('says what the reporter can do now on a line of its own in each half, and is told at the passed review or the close', () => {
    const mail = renderReporterNotice('en', {
      ...merged,
      reason: undefined,
      status: { zh: '问题已处理，复查合格', en: 'The problem was dealt with and passed review' },
      note: {
        zh: '请在进度页面查看处理结果并评价（回访）。',
        en: 'See the result and rate it on your report’s page.',
      },
    });
    const [en, zh] = mail.text.split('———');
    expect(en).toContain('\nSee the result and rate it on your report’s page.\n');
    expect(zh).toContain('\n请在进度页面查看处理结果并评价（回访）。\n');
    expect(mail.html).toContain('See the result and rate it');
    expect(caseResultActions).toEqual(['review_passed', 'closed', 'closed_unrated', 'follow_up_rated']);
  });
});

describe('the language a reporter is written to in first', () => {
  it('is their own where the directory knows them, else the form’s, else Chinese', () => {
    expect(reporterLanguage('zh-CN', 'en')).toBe('zh-CN');
    expect(reporterLanguage('en', 'zh-CN')).toBe('en');
    expect(reporterLanguage(undefined, 'en')).toBe('en');
    // A report made before the form's language was kept reads as it did then.
    expect(reporterLanguage(undefined, undefined)).toBe('zh-CN');
  });
});

describe('a place as people name it', () => {
  it('is the room, floor or building the location names, as its printed code does', () => {
    expect(placeNameOf(demo, { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' })).toEqual({
      zh: '学生公寓A栋 A101',
      en: 'Dormitory A, A101',
    });
    // A room given without its floor is still the room.
    expect(placeNameOf(demo, { buildingId: 'bldg-a', roomId: 'A101' })?.zh).toBe('学生公寓A栋 A101');
    expect(placeNameOf(demo, { buildingId: 'bldg-a', floorId: 'a-f1' })).toEqual({
      zh: '学生公寓A栋 1层',
      en: 'Dormitory A, Floor 1',
    });
    expect(placeNameOf(demo, { buildingId: 'bldg-a' })?.en).toBe('Dormitory A');
    // One the directory no longer has is named by its ids, marked so (test/unit/place-name.test.ts).
    expect(placeNameOf(demo, { buildingId: 'no-such' }).zh).toBe('no-such（已不在名录）');
    expect(placeNameOf(demo, { buildingId: 'bldg-a', roomId: 'Z999' }).en).toBe(
      'Dormitory A, Z999 (no longer in the directory)',
    );
  });
});
