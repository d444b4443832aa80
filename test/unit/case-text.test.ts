import { describe, expect, it } from 'vitest';
import { Description } from '../../api/pages/app/case-evidence.tsx';
import { CaseTable } from '../../api/pages/app/case-list.tsx';
import { caseTextIn } from '../../domain/case-title.ts';
import { dutyById } from '../../domain/duties.ts';
import { missedDutyCaseText } from '../../domain/duty-case.ts';
import { demoDirectory } from '../support/stack.ts';
import { view } from '../support/views.ts';

/** A failed 6T item's case description, as activities/inspection.ts writes it. */
const ref = `evidence:ev_${'A'.repeat(16)}#sha256=${'a'.repeat(64)}`;
const inspection = [
  '2026年12月8日 日检（学生公寓B栋） / Daily inspection, 8 December 2026 (Dormitory B)：一楼消防通道堆放杂物，疏散指示灯不亮',
  '标准要求 / Requirement: 楼道畅通、标识完好、指示灯完好。',
  `照片 / Photos: ${ref}`,
].join('\n');

describe('a case’s text in the reader’s language (caseTextIn)', () => {
  it('gives an inspection case’s labels in one language and the inspector’s note as written', () => {
    expect(caseTextIn(inspection, 'zh-CN')).toBe(
      [
        '2026年12月8日 日检（学生公寓B栋）：一楼消防通道堆放杂物，疏散指示灯不亮',
        '标准要求：楼道畅通、标识完好、指示灯完好。',
        `照片：${ref}`,
      ].join('\n'),
    );
    expect(caseTextIn(inspection, 'en')).toBe(
      [
        'Daily inspection, 8 December 2026 (Dormitory B): 一楼消防通道堆放杂物，疏散指示灯不亮',
        'Requirement: 楼道畅通、标识完好、指示灯完好。',
        `Photos: ${ref}`,
      ].join('\n'),
    );
    // A note written in English is kept whole on a Chinese page too.
    const en =
      '2026年12月8日 日检（学生公寓B栋） / Daily inspection, 8 December 2026 (Dormitory B)：Exit blocked';
    expect(caseTextIn(en, 'zh')).toBe('2026年12月8日 日检（学生公寓B栋）：Exit blocked');
  });

  it('gives a missed duty’s sentence in one language, its parts as written', () => {
    const duty = dutyById('fire-drill')!;
    const { description } = missedDutyCaseText({
      duty,
      occurrence: {
        periodLabel: { zh: '2026年', en: '2026' },
        progress: [{ key: 'drill', label: { zh: '演练', en: 'Drill' }, done: 0, times: 1 }],
        due: '2026-12-08T10:00:00.000Z',
      },
      building: { zh: '学生公寓A栋', en: 'Dormitory A' },
      citation: { zh: '安全 1 消防管理', en: 'Safety 1 Fire management' },
      requirement: '制定消防应急预案',
      timeZone: 'Asia/Shanghai',
    });
    expect(caseTextIn(description, 'zh-CN').split('\n')).toEqual([
      '学生公寓A栋「消防应急演练」（2026年）截至 2026-12-08 18:00 未完成',
      '未完成：演练/Drill 0/1',
      '标准要求：制定消防应急预案',
    ]);
    expect(caseTextIn(description, 'en').split('\n')).toEqual([
      'Fire drill (2026) in Dormitory A was not done by 2026-12-08 18:00',
      'Not done: 演练/Drill 0/1',
      'Requirement: 制定消防应急预案',
    ]);
  });

  it('leaves what people wrote as it is', () => {
    for (const text of [
      '水龙头漏水',
      'The tap leaks / 还在漏',
      '门 / 窗都坏了',
      '电梯 / 楼梯灯：都不亮',
      'a / b',
    ])
      expect(caseTextIn(text, 'en')).toBe(text);
  });
});

describe('the case page’s description', () => {
  const html = (lang: 'zh-CN' | 'en') =>
    String(Description({ text: inspection, lang, shown: new Set([ref]), written: true }));

  it('keeps a person’s own words as typed', () => {
    const typed = '宿舍漏水 / leaking since Monday';
    for (const lang of ['zh-CN', 'en'] as const)
      expect(String(Description({ text: typed, lang, shown: new Set(), written: false }))).toContain(typed);
  });

  it('reads in the page’s language, its cited photos shown as photos, not as their reference', () => {
    expect(html('zh-CN')).toContain('2026年12月8日 日检（学生公寓B栋）：一楼消防通道堆放杂物');
    expect(html('zh-CN')).toContain('标准要求：楼道畅通');
    expect(html('zh-CN')).not.toContain('Daily inspection');
    expect(html('en')).toContain('Daily inspection, 8 December 2026 (Dormitory B): 一楼消防通道堆放杂物');
    expect(html('en')).toContain('Requirement: 楼道畅通');
    expect(html('en')).not.toContain('标准要求');
    for (const lang of ['zh-CN', 'en'] as const) {
      expect(html(lang)).not.toContain('evidence:ev_');
      expect(html(lang)).not.toMatch(/照片：|照片 \/|Photos:/);
      expect(html(lang)).toContain(`src="/api/evidence/ev_${'A'.repeat(16)}"`);
    }
  });
});

describe('a case list (the workbench’s too) names a failed item’s case in the page’s language', () => {
  it('one half of a title stored in both', async () => {
    const dir = await demoDirectory();
    const title = '安全 1 消防管理 不合格 / Safety 1 Fire management: failed';
    const items = [view({ caseId: 'ZG-2026-000020', openedAt: '2026-03-02T02:00:00.000Z', title })];
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
    expect(table('zh-CN')).toContain('>安全 1 消防管理 不合格</a>');
    expect(table('en')).toContain('>Safety 1 Fire management: failed</a>');
  });
});
