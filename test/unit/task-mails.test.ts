import { describe, expect, it } from 'vitest';
import { dutyById } from '../../domain/duties.ts';
import { dutyMail } from '../../domain/duty-mail.ts';
import { inspectionRoundMail } from '../../domain/inspection-mail.ts';

// The mails an inspection round and a routine duty send their people, as the case mails are laid
// out: the reader's language first, greeted once in it, the page to open a button.
const wang = { name: '王建国', language: 'zh-CN' as const };
const smith = { name: 'John Smith', language: 'en' as const };
const building = { zh: '学生公寓 1 号楼', en: 'Student Apartment Building 1' };
const checklistUrl = 'https://rectify.example/inspection/daily-bldg-a1-2026-12-07-aB3dE5fG7hJ9kL1mN3pQ';
const dutyUrl = 'https://rectify.example/duties/fire-drill~bldg-a1~2026-autumn-aB3dE5fG7hJ9kL1mN3pQ';

const inspection = (reader: typeof wang | typeof smith) =>
  inspectionRoundMail(reader, {
    kind: 'daily',
    period: '2026-12-07',
    items: 12,
    building,
    url: checklistUrl,
  });
const drill = dutyById('fire-drill');
if (!drill) throw new Error('the catalogue has no fire drill');
const duty = (reader: typeof wang | typeof smith) =>
  dutyMail(reader, {
    tag: { zh: '待办职责', en: 'Duty open' },
    duty: drill,
    occurrence: {
      periodLabel: { zh: '2026 秋季学期', en: 'autumn term 2026' },
      progress: [{ key: 'drill', label: { zh: '演练', en: 'Drill' }, done: 0, times: 1 }],
    },
    building,
    dueDate: '2026-12-31',
    url: dutyUrl,
  });

/** What a reader sees of the HTML: the text outside the tags. */
const visible = (html: string) => html.replace(/<[^>]*>/g, ' ');

describe.each([
  [
    'the daily inspection mail',
    inspection,
    checklistUrl,
    '打开检查表 / Open the checklist',
    'Open the checklist / 打开检查表',
  ],
  ['the routine-duty mail', duty, dutyUrl, '登记完成情况 / Record it', 'Record it / 登记完成情况'],
])('%s', (_name, mail, url, zhLabel, enLabel) => {
  it('links its page with a labelled button, the reader’s language first', () => {
    expect(mail(wang).html).toContain(`<a href="${url}"`);
    expect(mail(wang).html).toContain(`${zhLabel}</a>`);
    expect(mail(smith).html).toContain(`${enLabel}</a>`);
  });

  it('shows no bare address that could run off a phone’s screen, and lets long words wrap', () => {
    const { html } = mail(wang);
    expect(visible(html)).not.toContain(url);
    expect(visible(html)).not.toContain('https://');
    expect(html).toMatch(/^<div style="[^"]*overflow-wrap:anywhere/);
  });

  it('greets its reader once, in their own language', () => {
    const zh = mail(wang);
    expect(zh.text.startsWith('王建国，您好：')).toBe(true);
    expect(zh.text).not.toContain('Dear');
    expect(zh.html).not.toContain('Dear');
    const en = mail(smith);
    expect(en.text.startsWith('Dear John Smith,')).toBe(true);
    expect(en.text).not.toContain('您好');
  });

  it('says each thing in each half, each half marked with its language', () => {
    const zh = mail(wang);
    const [first, second] = zh.text.split('———');
    expect(first).toContain(url);
    expect(second).toContain(url);
    expect(zh.html).toMatch(/^<div [^>]*lang="zh-CN">/);
    expect(zh.html).toContain('<hr><div lang="en">');
    expect(mail(smith).html).toMatch(/^<div [^>]*lang="en">/);
  });
});

describe('what the mails say is kept', () => {
  it('the inspection mail: its subject, the round and the checklist', () => {
    const m = inspection(wang);
    expect(m.subject).toBe(
      '【日检】学生公寓 1 号楼 2026-12-07 / [Daily inspection] Student Apartment Building 1 2026-12-07',
    );
    // An English reader reads their half first, the building named in it too.
    expect(inspection(smith).subject).toBe(
      '[Daily inspection] Student Apartment Building 1 2026-12-07 / 【日检】学生公寓 1 号楼 2026-12-07',
    );
    expect(m.text).toContain('请完成 学生公寓 1 号楼 2026-12-07 日检（共 12 项）');
    expect(m.text).toContain(`检查表：${checklistUrl}`);
    expect(m.text).toContain(`Checklist: ${checklistUrl}`);
    expect(m.html).toContain('a failed item opens a rectification case.');
  });

  it('the duty mail: its subject, when it is due, what is left, and where to record it', () => {
    const m = duty(smith);
    expect(m.subject).toBe(
      `[Duty open] ${drill.name.en} autumn term 2026 / 【待办职责】${drill.name.zh} 2026 秋季学期`,
    );
    expect(duty(wang).subject).toMatch(/^【待办职责】/);
    expect(m.text).toContain(`is due by 2026-12-31 ${drill.dueTime}.`);
    expect(m.text).toContain('Still to do: Drill 0/1');
    expect(m.text).toContain('尚未完成：演练 0/1');
    expect(m.text).toContain(`Record it: ${dutyUrl}`);
    expect(m.text).toContain(`登记：${dutyUrl}`);
    expect(m.html).toContain('逾期未完成将自动立案整改。');
  });
});
