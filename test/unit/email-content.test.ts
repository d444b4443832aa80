import { describe, expect, it } from 'vitest';
import { renderEmail, type EmailContext } from '../../domain/email-content.ts';
import { clockLine, clockNotes } from '../../domain/case-clock-lines.ts';
import type { CaseClock, ClockFacts } from '../../domain/case-clocks.ts';

const base: EmailContext = {
  kind: 'signoff_request',
  caseId: 'ZG-2026-000007',
  title: '宿舍楼 A101 水龙头漏水',
  stage: 'awaiting_signoff',
  round: 1,
  recipientName: '周强',
  actionUrl: 'https://rectify.example/actions/v1.x',
};
const due = '2026/12/07 18:00 (Asia/Shanghai)';

describe('a case email states the deadline it asks its reader to meet', () => {
  it('in both languages, the reader’s first, in the text and the html', () => {
    const zh = renderEmail('zh-CN', { ...base, dueText: due });
    const lines = zh.text.split('\n');
    expect(lines).toContain(`签字确认时限：${due}`);
    expect(lines).toContain(`Sign-off due: ${due}`);
    expect(lines.indexOf(`签字确认时限：${due}`)).toBeLessThan(lines.indexOf(`Sign-off due: ${due}`));
    expect(zh.html).toContain(`<strong>签字确认时限：${due}</strong>`);
    const en = renderEmail('en', { ...base, dueText: due });
    expect(en.text.indexOf(`Sign-off due: ${due}`)).toBeLessThan(en.text.indexOf(`签字确认时限：${due}`));
  });

  it.each([
    ['assigned', 'analysing', '原因分析时限', 'Root-cause analysis due'],
    ['adjudication_request', 'adjudicating', '裁定时限', 'Adjudication due'],
    ['review_request', 'reviewing', '复查时限', 'Review due'],
    ['review_failed', 'rectifying', '整改时限', 'Rectification due'],
    ['result_and_survey', 'follow_up', '评价截止', 'Please rate by'],
    // A case reassigned in rectification: the new assignee reads the rectification's deadline.
    ['assigned', 'rectifying', '整改时限', 'Rectification due'],
  ] as const)('%s in %s names it as %s / %s', (kind, stage, zhLabel, enLabel) => {
    const { text } = renderEmail('zh-CN', { ...base, kind, stage, dueText: due });
    expect(text).toContain(`${zhLabel}：${due}`);
    expect(text).toContain(`${enLabel}: ${due}`);
  });

  it.each(['pause_request', 'review_escalation', 'leadership_notice', 'effect_stuck'] as const)(
    '%s adds no deadline line',
    (kind) => {
      expect(renderEmail('zh-CN', { ...base, kind, dueText: due }).text).not.toContain('签字确认时限');
    },
  );

  it('tells the supervisor asked to approve a pause that it holds the stage deadline too', () => {
    const ask = { ...base, kind: 'pause_request' as const, detail: '等待配件 Waiting for parts' };
    expect(renderEmail('zh-CN', ask).text).toContain('案件时限和当前环节时限一并暂停');
    expect(renderEmail('en', ask).text).toContain("the current stage's deadline are held");
  });

  it('says nothing of a deadline it was not given, and the reminder keeps it in its own sentence', () => {
    expect(renderEmail('zh-CN', base).text).not.toMatch(/时限|due:/);
    const reminder = renderEmail('zh-CN', { ...base, kind: 'reminder', dueText: due }).text;
    expect(reminder.split(due)).toHaveLength(3);
  });

  it('escapes the deadline in the html like every other line', () => {
    const { html } = renderEmail('zh-CN', { ...base, dueText: '<b>soon</b>' });
    expect(html).toContain('&lt;b&gt;soon&lt;/b&gt;');
    expect(html).not.toContain('<b>soon</b>');
  });
});

describe('the action button', () => {
  it('is one box, so a label that wraps on a phone stays inside its own background', () => {
    const { html } = renderEmail('zh-CN', { ...base, dueText: due });
    const style = /<a href="https:\/\/rectify\.example\/actions\/v1\.x" style="([^"]+)"/.exec(html)?.[1];
    expect(style).toBeDefined();
    // An inline link with padding breaks into separate padded boxes that overlap the line above.
    expect(style?.split(';')).toContain('display:inline-block');
  });
});

describe('the case page link', () => {
  const caseUrl = 'https://rectify.example/app/cases/ZG-2026-000007';
  it.each([
    [
      'assigned',
      '打开案件页面进行原因分析和整改',
      'Open the case page for the analysis and the rectification',
    ],
    ['review_failed', '打开案件页面报告整改', 'Open the case page to report the rectification'],
    ['adjudicated', '打开案件页面', 'Open the case page'],
    ['review_request', '打开案件页面复查', 'Open the case page to review it'],
    ['reopened', '打开案件页面复查', 'Open the case page to review it'],
    ['pause_request', '打开案件页面批准或驳回', 'Open the case page to approve or reject it'],
  ] as const)('%s sends its reader to the case page, in both languages', (kind, zh, en) => {
    // As each is sent: an assignment as its case opens, the others mid-case.
    const at = { ...base, kind, caseUrl, ...(kind === 'assigned' ? { stage: 'detected' } : {}) };
    const mail = renderEmail('zh-CN', { ...at, actionUrl: undefined });
    const lines = mail.text.split('\n');
    expect(lines).toContain(`${zh}：${caseUrl}`);
    expect(lines).toContain(`${en}: ${caseUrl}`);
    expect(lines.indexOf(`${zh}：${caseUrl}`)).toBeLessThan(lines.indexOf(`${en}: ${caseUrl}`));
    expect(mail.html).toContain(`<a href="${caseUrl}"`);
    expect(mail.html).toContain(`${zh} / ${en}</a>`);
    // An English reader gets the English label first.
    expect(renderEmail('en', at).html).toContain(`${en} / ${zh}</a>`);
  });

  it('stays beside the arrival link of a repair’s assignment', () => {
    const { text } = renderEmail('zh-CN', { ...base, kind: 'assigned', stage: 'detected', caseUrl });
    expect(text).toContain(`到场后点此登记到场：${base.actionUrl}`);
    expect(text).toContain(`打开案件页面进行原因分析和整改：${caseUrl}`);
  });

  it('is left out where the step is signed through the link or the reader has no case page', () => {
    for (const kind of ['signoff_request', 'adjudication_request', 'result_and_survey'] as const)
      expect(renderEmail('zh-CN', { ...base, kind, caseUrl }).text, kind).not.toContain(caseUrl);
    // A reminder with a link (a sign-off) points at the link; one without it at the case page.
    expect(renderEmail('zh-CN', { ...base, kind: 'reminder', caseUrl }).text).not.toContain(caseUrl);
    expect(
      renderEmail('zh-CN', { ...base, kind: 'reminder', stage: 'rectifying', actionUrl: undefined, caseUrl })
        .text,
    ).toContain(`打开案件页面处理：${caseUrl}`);
  });
});

describe('a reporter’s mail links the report’s tracking page', () => {
  const track = 'https://rectify.example/t/v1.abc';
  it('in both languages, as a line and a button, and only when there is one', () => {
    const c = { ...base, kind: 'result_and_survey', stage: 'follow_up', trackUrl: track } as const;
    const zh = renderEmail('zh-CN', c);
    const lines = zh.text.split('\n');
    expect(lines.indexOf(`查看处理进度：${track}`)).toBeGreaterThan(-1);
    expect(lines.indexOf(`查看处理进度：${track}`)).toBeLessThan(
      lines.indexOf(`Follow your report: ${track}`),
    );
    expect(zh.html).toContain(`href="${track}"`);
    expect(zh.html).toContain('查看处理进度 / Follow your report');
    expect(renderEmail('en', c).html).toContain('Follow your report / 查看处理进度');
    const none = renderEmail('zh-CN', { ...c, trackUrl: undefined });
    expect(none.text).not.toContain('查看处理进度');
    expect(none.html).not.toContain('/t/');
  });
});

describe('the assignment mail says what to do first where the case stands', () => {
  it('a case taken over in rectification asks for the rectification, with the reason, not the analysis again', () => {
    const { text } = renderEmail('zh-CN', {
      ...base,
      kind: 'assigned',
      stage: 'rectifying',
      detail: '原负责人休假',
    });
    expect(text).toContain('请按已确认的整改方案完成整改');
    expect(text).toContain('转交原因：原负责人休假');
    expect(text).toContain('Carry out the agreed rectification plan');
    expect(text).not.toContain('请先完成原因分析');
  });

  it('a new case asks for the analysis first', () => {
    const { text } = renderEmail('en', { ...base, kind: 'assigned', stage: 'analysing' });
    expect(text).toContain('Please start with the root-cause analysis.');
    expect(text).toContain('请先完成原因分析。');
    expect(text).not.toContain('Reason for the hand-over');
  });

  it('the leadership notice names the stage as people read it, not its code', () => {
    const { text } = renderEmail('zh-CN', { ...base, kind: 'leadership_notice', stage: 'rectifying' });
    expect(text).toContain('当前环节：整改中');
    expect(text).not.toMatch(/rectifying/);
  });

  it('the leadership notice says where, since when and who has it, so its reader need not click through', () => {
    const { text } = renderEmail('zh-CN', {
      ...base,
      kind: 'leadership_notice',
      stage: 'rectifying',
      place: { zh: '学生公寓A栋 A101', en: 'Dormitory A A101' },
      openedText: '2026/03/02 14:05 (Asia/Shanghai)',
      assigneeName: '周强',
    });
    expect(text).toContain(
      '重大问题报告：「宿舍楼 A101 水龙头漏水」，地点：学生公寓A栋 A101，开案时间：2026/03/02 14:05 (Asia/Shanghai)，当前环节：整改中，经办人：周强。',
    );
    expect(text).toContain(
      'Major problem: "宿舍楼 A101 水龙头漏水" at Dormitory A A101, opened 2026/03/02 14:05 (Asia/Shanghai), now at the stage "Rectifying", assigned to 周强.',
    );
  });

  it('the second sign-off request, after a dispute sent the plan back, says the plan was revised', () => {
    const first = renderEmail('zh-CN', base);
    const second = renderEmail('zh-CN', { ...base, planRevised: true });
    expect(second.subject).not.toBe(first.subject);
    expect(second.subject).toBe(
      '【待签字】修改后的整改方案 ZG-2026-000007：宿舍楼 A101 水龙头漏水 / [Sign-off needed] Revised rectification plan ZG-2026-000007: 宿舍楼 A101 水龙头漏水',
    );
    expect(second.text).toContain(
      '案件「宿舍楼 A101 水龙头漏水」的异议已裁定退回重新分析，整改方案已据此修改。请确认修改后的问题认定与整改方案，或说明理由再次提出异议。',
    );
    expect(second.text).toContain(
      'The dispute on "宿舍楼 A101 水龙头漏水" sent it back to analysis, and its plan has been revised since.',
    );
    expect(first.text).not.toContain('修改');
    const move = { how: 'reassigned' as const, byName: '王建国', fromName: '吴磊' };
    const taken = renderEmail('en', { ...base, planRevised: true, move }).text;
    expect(taken).toContain('to you. The dispute on it sent it back to analysis');
    expect(taken).toContain('改派给您处理。该案件的异议已裁定退回重新分析');
  });
});

/** The text of one language block: the recipient's first, the other after the rule. */
const blocks = (text: string) => text.split('———');

describe('a title written in both languages reads once in each', () => {
  // As a failed 6T item's case is named when an inspection opens it (activities/inspection.ts).
  const title = '安全 1 消防通道畅通 不合格 / Safety 1 Fire exits kept clear: failed';

  it('in the subject and the intro, each language block with its own half', () => {
    const mail = renderEmail('zh-CN', { ...base, kind: 'assigned', stage: 'detected', title });
    expect(mail.subject).toBe(
      '【整改】新案件 ZG-2026-000007：安全 1 消防通道畅通 不合格 / [Rectify] New case ZG-2026-000007: Safety 1 Fire exits kept clear: failed',
    );
    const [zh, en] = blocks(mail.text);
    expect(zh).toContain('「安全 1 消防通道畅通 不合格」');
    expect(zh).not.toContain('failed');
    expect(en).toContain('"Safety 1 Fire exits kept clear: failed"');
    expect(en).not.toContain('不合格');
    const [zhHtml, enHtml] = mail.html.split('<hr>');
    expect(zhHtml).not.toContain('failed');
    expect(enHtml).not.toContain('不合格');
  });

  it('for an English reader too, and in every kind that names the title', () => {
    const mail = renderEmail('en', { ...base, kind: 'leadership_notice', stage: 'rectifying', title });
    expect(mail.subject).toBe(
      '[Major problem] ZG-2026-000007: Safety 1 Fire exits kept clear: failed / 【重大问题】ZG-2026-000007：安全 1 消防通道畅通 不合格',
    );
    const [en, zh] = blocks(mail.text);
    expect(en).not.toContain('不合格');
    expect(zh).not.toContain('failed');
  });

  it('leaves a title in one language as written', () => {
    const { text } = renderEmail('zh-CN', { ...base, title: '宿舍楼 A101 水龙头漏水' });
    const [zh, en] = blocks(text);
    expect(zh).toContain('「宿舍楼 A101 水龙头漏水」');
    expect(en).toContain('"宿舍楼 A101 水龙头漏水"');
  });
});

describe('the result mail to a reporter', () => {
  const survey = {
    ...base,
    kind: 'result_and_survey',
    stage: 'follow_up',
    recipientName: '李同学',
    place: { zh: '一号楼 A101', en: 'Building 1 A101' },
  } as const;

  it('greets the reporter and names the place, in both languages', () => {
    const { text } = renderEmail('zh-CN', survey);
    expect(text.split('\n')[0]).toBe('李同学，您好：');
    const [zh, en] = blocks(text);
    expect(zh).toContain('您在一号楼 A101 反映的问题');
    expect(en).toContain('The problem you reported at Building 1 A101,');
    expect(renderEmail('en', survey).text.split('\n')[0]).toBe('Hello 李同学,');
  });

  it('says a plain hello to a reporter who left no name, and no place it does not know', () => {
    const nameless = { ...survey, recipientName: '', place: undefined };
    expect(renderEmail('zh-CN', nameless).text.split('\n')[0]).toBe('您好：');
    expect(renderEmail('en', nameless).text.split('\n')[0]).toBe('Hello,');
    expect(renderEmail('zh-CN', nameless).text).toContain('您反映的问题');
  });
});

describe('the escalation mail', () => {
  const overdue = {
    ...base,
    kind: 'escalation',
    stage: 'rectifying',
    dueText: due,
    actionUrl: undefined,
  } as const;

  it('names whom the case is assigned to, in both languages', () => {
    const { text } = renderEmail('zh-CN', { ...overdue, assigneeName: '周强' });
    const [zh, en] = blocks(text);
    expect(zh).toContain('当前经办人：周强。');
    expect(en).toContain('It is assigned to 周强.');
  });

  it('says nothing of an assignee it was not told of', () => {
    expect(renderEmail('zh-CN', overdue).text).not.toMatch(/经办人：|assigned to/);
  });

  it('names the stage that is late and its due, in the subject and the text', () => {
    const { subject, text } = renderEmail('zh-CN', overdue);
    expect(subject).toBe(
      '【超时升级】整改环节超时 ZG-2026-000007：宿舍楼 A101 水龙头漏水 / [Overdue] Rectification stage past its deadline ZG-2026-000007: 宿舍楼 A101 水龙头漏水',
    );
    const [zh, en] = blocks(text);
    expect(zh).toContain(
      `案件「宿舍楼 A101 水龙头漏水」的整改环节已超过时限（截止 ${due}），按网格逐级上报至您`,
    );
    expect(en).toContain(
      `The rectification stage of "宿舍楼 A101 水龙头漏水" passed its deadline (due ${due}) and is escalated to you`,
    );
    const review = renderEmail('en', { ...overdue, stage: 'reviewing' });
    expect(review.subject).toContain('[Overdue] Review stage past its deadline ZG-2026-000007: ');
    expect(review.text).toContain('的复查环节已超过时限');
  });
});

describe('a pause decision states the stage’s deadline', () => {
  const decided = {
    ...base,
    stage: 'rectifying',
    actionUrl: undefined,
    caseUrl: 'https://rectify.example/app/cases/ZG-2026-000007',
  } as const;
  const stageDue = { stage: 'rectifying', dueText: due, passed: false, held: false } as const;

  it('a rejection: its reason, and the stage’s due to keep to, in both halves and the html', () => {
    const { text, html } = renderEmail('zh-CN', {
      ...decided,
      kind: 'pause_rejected',
      detail: '先联系外包确定时间',
      stageDue,
    });
    const [zh, en] = blocks(text);
    expect(zh).toContain(
      '暂停申请未获批准，案件时限照常计算。驳回理由：先联系外包确定时间。请按期完成当前环节。',
    );
    expect(zh).toContain(`整改时限：${due}`);
    expect(en).toContain('was rejected: they keep running. Reason: 先联系外包确定时间. Please finish');
    expect(en).toContain(`Rectification due: ${due}`);
    expect(html).toContain(`<strong>整改时限：${due}</strong>`);
  });

  it('a rejection of a stage already late says so', () => {
    const [zh, en] = blocks(
      renderEmail('zh-CN', {
        ...decided,
        kind: 'pause_rejected',
        detail: '不批',
        stageDue: { ...stageDue, passed: true },
      }).text,
    );
    expect(zh).toContain('当前环节已超时，请尽快完成。');
    expect(zh).toContain(`整改时限：${due}（已超时）`);
    expect(en).toContain(`Rectification due: ${due} (overdue)`);
  });

  it('a rejection whose record had no deadline states the stage due its request carried', () => {
    const { text } = renderEmail('zh-CN', {
      ...decided,
      kind: 'pause_rejected',
      detail: '不批',
      dueText: due,
    });
    expect(text).toContain(`整改时限：${due}`);
  });

  it('an approval: when the pause ends at the latest, and the stage’s due it moves on', () => {
    const ends = '2026/12/14 16:15 (Asia/Shanghai)';
    const { text } = renderEmail('en', {
      ...decided,
      kind: 'pause_approved',
      dueText: ends,
      stageDue: { ...stageDue, held: true },
    });
    const [en, zh] = blocks(text);
    expect(en).toContain(`they are held until ${ends} at the latest`);
    expect(en).toContain(
      `Rectification due: ${due} (before the pause: it moves on by the pause’s length when the pause ends)`,
    );
    expect(zh).toContain(`最长至 ${ends}`);
    expect(zh).toContain(`整改时限：${due}（暂停前的时限，暂停结束时按暂停时长顺延）`);
    // The pause's end is not taken for the stage's due.
    expect(renderEmail('zh-CN', { ...decided, kind: 'pause_approved', dueText: ends }).text).not.toContain(
      '整改时限',
    );
  });
});

describe('the pause request', () => {
  it('names the case by its title in the subject', () => {
    expect(
      renderEmail('zh-CN', { ...base, kind: 'pause_request', detail: '等待配件 Waiting for parts' }).subject,
    ).toBe(
      '【暂停申请】ZG-2026-000007：宿舍楼 A101 水龙头漏水 / [Pause requested] ZG-2026-000007: 宿舍楼 A101 水龙头漏水',
    );
  });
});

describe('the mail to whoever held a case moved to a colleague', () => {
  const moved: EmailContext = {
    ...base,
    kind: 'taken_off',
    stage: 'rectifying',
    actionUrl: undefined,
    caseUrl: 'https://rectify.example/app/cases/ZG-2026-000007',
    assigneeName: '吴磊',
    detail: '周强休假',
  };
  it('says to whom and why, and links no case page their access no longer opens', () => {
    const { text, html } = renderEmail('zh-CN', moved);
    expect(text).toContain('已由主管转交给吴磊处理');
    expect(text).toContain('转交原因：周强休假');
    expect(text).not.toContain(moved.caseUrl);
    expect(html).not.toContain('<a ');
  });
});

describe('the mail to whom a case was moved says who moved it, from whom and why', () => {
  const takenOver: EmailContext = {
    ...base,
    kind: 'assigned',
    stage: 'rectifying',
    actionUrl: undefined,
    detail: '周强休假',
  };

  it('a reassignment names the supervisor and the former holder in each half', () => {
    const move = { how: 'reassigned', byName: '王建国', fromName: '周强' } as const;
    const [zhHalf, enHalf] = blocks(renderEmail('zh-CN', { ...takenOver, move }).text);
    expect(zhHalf).toContain('王建国已将案件「宿舍楼 A101 水龙头漏水」从周强改派给您处理。');
    expect(zhHalf).toContain('转交原因：周强休假。');
    expect(enHalf).toContain('王建国 has reassigned the case "宿舍楼 A101 水龙头漏水" from 周强 to you.');
    expect(enHalf).toContain('Reason given: 周强休假.');
  });

  it('a hand-over names the colleague who handed it over, for an English reader first', () => {
    const move = { how: 'handed_over', byName: 'Daniel Lee', fromName: 'Daniel Lee' } as const;
    const mail = renderEmail('en', { ...takenOver, move, detail: 'on leave' });
    const [enHalf, zhHalf] = blocks(mail.text);
    expect(enHalf).toContain('Daniel Lee has handed the case "宿舍楼 A101 水龙头漏水" over to you.');
    expect(enHalf).toContain('Reason given: on leave.');
    expect(zhHalf).toContain('Daniel Lee已将案件「宿舍楼 A101 水龙头漏水」移交给您处理。');
    expect(zhHalf).toContain('转交原因：on leave。');
    expect(mail.html).toContain('Daniel Lee has handed the case');
  });

  it('a sign-off request sent to the new responsible says the same, with the reason', () => {
    const move = { how: 'reassigned', byName: '王建国', fromName: '周强' } as const;
    const { text } = renderEmail('zh-CN', { ...base, move, detail: '周强休假' });
    expect(text).toContain(
      '王建国已将案件「宿舍楼 A101 水龙头漏水」从周强改派给您处理。请确认该案件的问题认定',
    );
    expect(text).toContain('转交原因：周强休假。');
    expect(text).toContain('王建国 has reassigned the case "宿舍楼 A101 水龙头漏水" from 周强 to you.');
  });

  it('a new case says none of it', () => {
    const { text } = renderEmail('zh-CN', { ...base, kind: 'assigned', stage: 'analysing' });
    expect(text).toContain('您被指派处理整改案件');
    expect(text).not.toMatch(/改派给您|移交给您|reassigned|handed the case/);
  });
});

describe('each half of a mail says its language', () => {
  it('the first half in the reader’s language, the second in the other', () => {
    const en = renderEmail('en', base).html;
    expect(en).toMatch(/^<div style="font-family:sans-serif[^"]*" lang="en">/);
    expect(en).toContain('<hr><div lang="zh-CN">');
    const zh = renderEmail('zh-CN', base).html;
    expect(zh).toMatch(/^<div style="font-family:sans-serif[^"]*" lang="zh-CN">/);
    expect(zh).toContain('<hr><div lang="en">');
  });
});

describe('notes that carry photo references', () => {
  const ref = `evidence:ev_yAfS7rdq4VfHDz0i#sha256=${'3b'.repeat(32)}`;
  const caseUrl = 'https://rectify.example/app/cases/ZG-2026-000007';
  const failed: EmailContext = {
    ...base,
    kind: 'review_failed',
    stage: 'rectifying',
    round: 2,
    actionUrl: undefined,
    caseUrl,
    detail: `地面仍有积水\n\n复查照片 / Review photos: ${ref}`,
  };

  it('are quoted without the references, the photos counted in each language’s own half', () => {
    const mail = renderEmail('zh-CN', failed);
    for (const part of [mail.text, mail.html]) {
      expect(part).not.toContain('evidence:');
      expect(part).not.toContain('Review photos');
    }
    const [zh, en] = blocks(mail.text);
    expect(zh).toContain('复查未通过：地面仍有积水。请继续整改（第 2 轮）');
    expect(zh).toContain('复查附照片 1 张，请在案件页面查看。');
    expect(zh).not.toContain('photo');
    expect(en).toContain('The review has 1 photo; see it on the case page.');
    expect(en).not.toContain('照片');
    expect(mail.html).toContain(`<a href="${caseUrl}"`);
    const [zhHtml, enHtml] = mail.html.split('<hr>');
    expect(zhHtml).toContain('复查附照片 1 张');
    expect(enHtml).toContain('The review has 1 photo');
  });

  it('say photos alone without an empty quote, in the English reader’s order', () => {
    const mail = renderEmail('en', { ...failed, detail: `复查照片 / Review photos: ${ref} ${ref}` });
    const [en, zh] = blocks(mail.text);
    expect(en).toContain('failed. Please rectify again (round 2)');
    expect(en).toContain('The review has 2 photos; see them on the case page.');
    expect(zh).toContain('复查未通过。请继续整改');
    expect(zh).toContain('复查附照片 2 张');
  });

  it('in a dispute, whose mail then links the case page as well as the adjudication page', () => {
    const mail = renderEmail('zh-CN', {
      ...base,
      kind: 'adjudication_request',
      stage: 'adjudicating',
      caseUrl,
      detail: `方案不可行 ${ref}`,
    });
    expect(mail.text).not.toContain('evidence:');
    expect(mail.text).toContain('提出异议：方案不可行。请裁定。');
    expect(mail.text).toContain('异议附照片 1 张，请在案件页面查看。');
    expect(mail.html).toContain(`<a href="${caseUrl}"`);
    expect(mail.html).toContain('打开案件页面查看照片 / Open the case page for the photos</a>');
  });

  it('and nothing is said of photos when there are none', () => {
    const mail = renderEmail('zh-CN', { ...failed, detail: '地面仍有积水' });
    expect(mail.text).not.toContain('照片');
    expect(mail.text).not.toMatch(/photo/i);
  });
});

describe('each half quotes what the workflow joined in both languages in its own', () => {
  it('a pause request’s reason: the label of the half’s language, its own colon, the note as written', () => {
    const ask = { ...base, kind: 'pause_request' as const, detail: '等待配件 Waiting for parts: 阀芯缺货' };
    const [zh, en] = blocks(renderEmail('zh-CN', ask).text);
    expect(zh).toContain('：等待配件：阀芯缺货。');
    expect(zh).not.toContain('Waiting for parts');
    expect(en).toContain(': Waiting for parts: 阀芯缺货.');
    expect(en).not.toContain('等待配件');
    const [enFirst, zhSecond] = blocks(renderEmail('en', { ...ask, detail: '学生不在 Student absent' }).text);
    expect(enFirst).toContain(': Student absent.');
    expect(enFirst).not.toContain('学生不在');
    expect(zhSecond).toContain('：学生不在。');
    expect(zhSecond).not.toContain('Student absent');
  });

  it('a low rating’s aspects: each language’s names and punctuation, the reporter’s words as written', () => {
    const reopened = {
      ...base,
      kind: 'reopened' as const,
      stage: 'reviewing',
      detail:
        '服务态度 Attitude 1/5，维修质量 Quality of the work 1/5，现场清理 Clean-up afterwards 1/5；还是漏水',
    };
    const [zh, en] = blocks(renderEmail('zh-CN', reopened).text);
    expect(zh).toContain('不满意：服务态度 1/5，维修质量 1/5，现场清理 1/5；还是漏水。');
    expect(zh).not.toContain('Attitude');
    expect(en).toContain(': Attitude 1/5, Quality of the work 1/5, Clean-up afterwards 1/5; 还是漏水.');
    expect(en).not.toMatch(/服务态度|，|；/);
    // Stored before the aspects were named in both, and with no words of the reporter's.
    const [, older] = blocks(
      renderEmail('zh-CN', { ...reopened, detail: '服务态度 2/5，维修质量 1/5，现场清理 3/5' }).text,
    );
    expect(older).toContain(': Attitude 2/5, Quality of the work 1/5, Clean-up afterwards 3/5.');
  });

  it('any other detail is quoted as it is', () => {
    const failed = {
      ...base,
      kind: 'review_failed' as const,
      stage: 'rectifying',
      detail: '等待配件 Waiting for parts',
    };
    const [zh, en] = blocks(renderEmail('zh-CN', failed).text);
    expect(zh).toContain('等待配件 Waiting for parts');
    expect(en).toContain('等待配件 Waiting for parts');
  });
});

describe('mails name whose act they report and what case they are about', () => {
  it('the sign-off request’s subject carries the case title in both languages', () => {
    expect(renderEmail('zh-CN', base).subject).toBe(
      '【待签字】整改确认 ZG-2026-000007：宿舍楼 A101 水龙头漏水 / [Sign-off needed] Rectification plan ZG-2026-000007: 宿舍楼 A101 水龙头漏水',
    );
  });

  it('the review request’s subject carries the case title too, each half its own', () => {
    const review = { ...base, kind: 'review_request', stage: 'reviewing' } as const;
    expect(renderEmail('zh-CN', review).subject).toBe(
      '【待复查】整改已完成 ZG-2026-000007：宿舍楼 A101 水龙头漏水 / [Review needed] Rectification reported ZG-2026-000007: 宿舍楼 A101 水龙头漏水',
    );
    const title = '安全 1 消防通道畅通 不合格 / Safety 1 Fire exits kept clear: failed';
    expect(renderEmail('en', { ...review, title }).subject).toBe(
      '[Review needed] Rectification reported ZG-2026-000007: Safety 1 Fire exits kept clear: failed / 【待复查】整改已完成 ZG-2026-000007：安全 1 消防通道畅通 不合格',
    );
  });

  it('a reopening says the rating was not satisfied in both subjects; the assignee hears the case may come back', () => {
    const reopened = { ...base, kind: 'reopened', stage: 'reviewing', detail: '还在漏水' } as const;
    expect(renderEmail('zh-CN', reopened).subject).toBe(
      '【重新复查】评价不满意 ZG-2026-000007：宿舍楼 A101 水龙头漏水 / [Reopened] Rating not satisfied ZG-2026-000007: 宿舍楼 A101 水龙头漏水',
    );
    const mail = renderEmail('zh-CN', { ...reopened, kind: 'reopened_assignee', dueText: due });
    expect(mail.subject).toBe(
      '【重新复查】评价不满意 ZG-2026-000007：宿舍楼 A101 水龙头漏水 / [Reopened] Rating not satisfied ZG-2026-000007: 宿舍楼 A101 水龙头漏水',
    );
    const [zh, en] = blocks(mail.text);
    expect(zh).toContain('不满意：还在漏水。案件已重新进入复查；主管复查不合格时，将退回您继续整改。');
    expect(en).toContain('if the review fails, it comes back to you to rectify again.');
    // The review's deadline is the supervisors' to meet, not the technician's.
    expect(mail.text).not.toContain('复查时限');
  });

  it('the hand-over notice names who handed the case to whom, and why, with the case page', () => {
    const caseUrl = 'https://rectify.example/app/cases/ZG-2026-000007';
    const notice = {
      ...base,
      kind: 'handed_over',
      stage: 'rectifying',
      actionUrl: undefined,
      caseUrl,
      detail: '换班 shift change',
      assigneeName: '吴磊',
      move: { how: 'handed_over', byName: '周强', fromName: '周强' },
    } as const;
    const mail = renderEmail('zh-CN', notice);
    expect(mail.subject).toBe(
      '【案件移交】ZG-2026-000007：宿舍楼 A101 水龙头漏水 / [Case handed over] ZG-2026-000007: 宿舍楼 A101 水龙头漏水',
    );
    const [zh, en] = blocks(mail.text);
    expect(zh).toContain(
      '周强已将案件「宿舍楼 A101 水龙头漏水」移交给吴磊处理。移交原因：换班 shift change。',
    );
    expect(zh).toContain(`打开案件页面查看：${caseUrl}`);
    expect(en).toContain('周强 has handed the case "宿舍楼 A101 水龙头漏水" over to 吴磊.');
  });

  it('a signed-off plan tells its assignee who signed it, to rectify by the deadline, on the case page', () => {
    const caseUrl = 'https://rectify.example/app/cases/ZG-2026-000007';
    const signed = {
      ...base,
      kind: 'signed_off_assignee',
      stage: 'rectifying',
      actionUrl: undefined,
      caseUrl,
      dueText: due,
      actorName: '赵伟',
    } as const;
    const mail = renderEmail('zh-CN', signed);
    expect(mail.subject).toBe(
      '【已签字确认】请开始整改 ZG-2026-000007：宿舍楼 A101 水龙头漏水 / [Signed off] Please rectify ZG-2026-000007: 宿舍楼 A101 水龙头漏水',
    );
    const [zh, en] = blocks(mail.text);
    expect(zh).toContain(
      '责任人赵伟已签字确认案件「宿舍楼 A101 水龙头漏水」的问题认定与整改方案。请按方案完成整改，并在案件页面上报整改结果（附照片）。',
    );
    expect(zh).toContain(`整改时限：${due}`);
    expect(zh).toContain(`打开案件页面报告整改：${caseUrl}`);
    expect(en).toContain(
      '赵伟, the responsible staff member, has signed off the finding and rectification plan',
    );
    expect(en).toContain(`Rectification due: ${due}`);
    expect(en).toContain(`Open the case page to report the rectification: ${caseUrl}`);
    // An English reader reads their half first; a signer the record does not name yet is not invented.
    expect(renderEmail('en', { ...signed, actorName: undefined }).subject).toBe(
      '[Signed off] Please rectify ZG-2026-000007: 宿舍楼 A101 水龙头漏水 / 【已签字确认】请开始整改 ZG-2026-000007：宿舍楼 A101 水龙头漏水',
    );
    expect(renderEmail('en', { ...signed, actorName: undefined }).text).toContain(
      'The responsible staff member has signed off',
    );
  });

  it('the dispute mail names who disputed, the pause request who asked', () => {
    const dispute = {
      ...base,
      kind: 'adjudication_request' as const,
      stage: 'adjudicating',
      detail: '阀芯未老化',
      actorName: '周强',
    };
    const [zh, en] = blocks(renderEmail('zh-CN', dispute).text);
    expect(zh).toContain('责任人周强对案件「宿舍楼 A101 水龙头漏水」提出异议：阀芯未老化。');
    expect(en).toContain('周强, the responsible staff member, disputed "宿舍楼 A101 水龙头漏水"');
    const pause = {
      ...base,
      kind: 'pause_request' as const,
      detail: '学生不在 Student absent',
      actorName: '周强',
    };
    const [pzh, pen] = blocks(renderEmail('zh-CN', pause).text);
    expect(pzh).toContain('案件「宿舍楼 A101 水龙头漏水」的被指派人周强申请暂停计时');
    expect(pen).toContain('周强, the assignee of "宿舍楼 A101 水龙头漏水", asks to pause its clocks');
  });

  it('without a name, they say the role alone', () => {
    const [zh, en] = blocks(
      renderEmail('zh-CN', { ...base, kind: 'adjudication_request', stage: 'adjudicating' }).text,
    );
    expect(zh).toContain('责任人对案件');
    expect(en).toContain('The responsible staff member disputed');
  });

  it('the result mail puts a space between a room number and the Chinese after it, none after a Chinese place', () => {
    const survey = { ...base, kind: 'result_and_survey' as const, stage: 'follow_up', recipientName: '' };
    const at = (zh: string) => renderEmail('zh-CN', { ...survey, place: { zh, en: 'x' } }).text;
    expect(at('学生公寓A栋 A101')).toContain('您在学生公寓A栋 A101 反映的问题');
    expect(at('学生公寓A栋 一楼走廊')).toContain('您在学生公寓A栋 一楼走廊反映的问题');
  });
});

describe('a sign-off request to someone taking the case over', () => {
  const move = { how: 'reassigned' as const, byName: '王建国', fromName: '周强' };
  const caseUrl = 'https://rectify.example/app/cases/ZG-2026-000007';

  it('links the case page too, where an arrival still to record is taken', () => {
    const zh = renderEmail('zh-CN', { ...base, move, caseUrl, detail: '人手调整' });
    expect(zh.text).toContain(`打开案件页面（到场登记、查看经过）：${caseUrl}`);
    expect(zh.html).toContain(`href="${caseUrl}"`);
    expect(zh.text).toContain('Open the case page (record the arrival');
  });

  it('keeps a first sign-off request to its one link', () => {
    const first = renderEmail('zh-CN', { ...base, caseUrl });
    expect(first.html).not.toContain(`href="${caseUrl}"`);
  });
});

describe('a take-over mail about someone who left, or a case paused', () => {
  const takenOver: EmailContext = {
    ...base,
    kind: 'assigned',
    stage: 'rectifying',
    actionUrl: undefined,
    dueText: '2026/12/08 16:15 (Asia/Shanghai)',
    detail: '员工离职',
  };
  const move = { how: 'reassigned', byName: '王建国', fromName: '测试离职员工', fromLeft: true } as const;

  it('names the former holder who left the directory by name, marked as gone, in each half', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const { text, html } = renderEmail(lang, { ...takenOver, move });
      expect(text).toContain(
        '王建国已将案件「宿舍楼 A101 水龙头漏水」从测试离职员工（已离开名录）改派给您处理。',
      );
      expect(text).toContain(
        '王建国 has reassigned the case "宿舍楼 A101 水龙头漏水" from 测试离职员工 (no longer in the directory) to you.',
      );
      expect(html).toContain('测试离职员工（已离开名录）');
      expect(text).not.toContain('staff-cc1');
    }
    const handed = { how: 'handed_over', byName: 'x', fromName: 'Daniel Lee', fromLeft: true } as const;
    expect(renderEmail('en', { ...takenOver, move: handed }).text).toContain(
      'Daniel Lee (no longer in the directory) has handed the case',
    );
  });

  const paused = {
    state: 'approved',
    reason: { zh: '等待配件', en: 'Waiting for parts' },
    note: '阀芯缺货',
    endsByText: '2026/12/14 16:15 (Asia/Shanghai)',
    movesDue: true,
  } as const;

  it('says the case is paused, why, until when, and that the deadline stated moves with the pause: zh first', () => {
    const { text, html } = renderEmail('zh-CN', { ...takenOver, move, pause: paused });
    const [zhHalf, enHalf] = blocks(text);
    const zhLines = zhHalf!.split('\n');
    const dueAt = zhLines.indexOf('整改时限：2026/12/08 16:15 (Asia/Shanghai)');
    expect(dueAt).toBeGreaterThan(0);
    expect(zhLines[dueAt + 1]).toBe(
      '本案目前暂停计时（等待配件：阀芯缺货），最迟 2026/12/14 16:15 (Asia/Shanghai) 自动恢复。上述时限是暂停前的时限，暂停结束时将按暂停时长顺延。',
    );
    expect(enHalf).toContain(
      'Rectification due: 2026/12/08 16:15 (Asia/Shanghai)\nThe case is paused (Waiting for parts: 阀芯缺货) until 2026/12/14 16:15 (Asia/Shanghai) at the latest. The deadline above is the one before the pause: it moves on by the pause’s length when the pause ends.',
    );
    expect(html).toContain('本案目前暂停计时（等待配件：阀芯缺货）');
    expect(html).toContain('The case is paused (Waiting for parts');
  });

  it('says the same with English first, and a pause still asked for as waiting for a decision', () => {
    const [enHalf, zhHalf] = blocks(renderEmail('en', { ...takenOver, move, pause: paused }).text);
    expect(enHalf).toContain('The case is paused (Waiting for parts: 阀芯缺货) until 2026/12/14 16:15');
    expect(enHalf!.indexOf('The case is paused')).toBeGreaterThan(enHalf!.indexOf('Rectification due:'));
    expect(zhHalf).toContain('本案目前暂停计时（等待配件：阀芯缺货）');
    const asked = renderEmail('en', {
      ...takenOver,
      pause: { state: 'requested', reason: paused.reason, movesDue: false },
    }).text;
    expect(asked).toContain(
      'A pause of the case (Waiting for parts) waits for a supervisor’s decision; if it is approved, the deadline above moves on by the pause’s length.',
    );
    expect(asked).toContain(
      '本案有一项暂停申请（等待配件）正等待主管审批；批准后，上述时限将按暂停时长顺延。',
    );
    // Not paused: nothing said of a pause.
    expect(renderEmail('zh-CN', { ...takenOver, move }).text).not.toContain('暂停');
  });
});

describe('a person’s words quoted where a sentence of the mail ends', () => {
  const at = (kind: EmailContext['kind'], detail: string) =>
    blocks(renderEmail('zh-CN', { ...base, kind, stage: 'rectifying', round: 2, detail }).text);

  it('keep their own full stop, not doubled by the mail’s, in either half', () => {
    const [zh, en] = at('review_failed', 'The drain is still blocked, please clear it away.');
    expect(zh).toContain(
      '复查未通过：The drain is still blocked, please clear it away.请继续整改（第 2 轮）',
    );
    expect(en).toContain('failed: The drain is still blocked, please clear it away. Please rectify again');
    expect(zh).not.toContain('.。');
    expect(en).not.toContain('..');
  });

  it.each([
    ['review_failed', '仍有渗漏！'],
    ['reopened', '还是很脏？'],
    ['adjudication_request', '方案不可行；'],
    ['pause_approved', '同意。'],
    ['pause_rejected', 'No parts needed!'],
    ['adjudicated', '请重新分析。'],
    ['taken_off', '周强休假。'],
    ['assigned', '原负责人休假.'],
  ] as const)('%s quoting “%s” adds no second mark', (kind, words) => {
    const text = at(kind, words).join('\n');
    expect(text).toContain(words);
    expect(text).not.toMatch(/[。！？.!?；;][。.]/u);
  });

  it('words without a mark of their own still end their sentence in each half', () => {
    const [zh, en] = at('review_failed', '仍有渗漏');
    expect(zh).toContain('复查未通过：仍有渗漏。请继续整改');
    expect(en).toContain('failed: 仍有渗漏. Please rectify again');
    const [zhR, enR] = at('taken_off', '周强休假');
    expect(zhR).toContain('转交原因：周强休假。');
    expect(enR).toContain('Reason given: 周强休假.');
  });
});

describe('a link’s line in the text part', () => {
  it('puts a full-width colon before the address in the Chinese half, ": " in the English', () => {
    const caseUrl = 'https://rectify.example/app/cases/ZG-2026-000007';
    for (const lang of ['zh-CN', 'en'] as const) {
      const mail = renderEmail(lang, { ...base, kind: 'assigned', stage: 'detected', caseUrl });
      const [first, second] = blocks(mail.text);
      const [zh, en] = lang === 'en' ? [second, first] : [first, second];
      expect(zh).toContain(`到场后点此登记到场：${base.actionUrl}`);
      expect(zh).toContain(`打开案件页面进行原因分析和整改：${caseUrl}`);
      expect(zh).not.toMatch(/: https?:/);
      expect(en).toContain(`Once on site, record your arrival here: ${base.actionUrl}`);
      expect(en).toContain(`Open the case page for the analysis and the rectification: ${caseUrl}`);
    }
    const signoff = blocks(renderEmail('zh-CN', base).text)[0];
    expect(signoff).toContain(`打开签字确认页面：${base.actionUrl}`);
    const review = {
      ...base,
      kind: 'review_request',
      stage: 'reviewing',
      actionUrl: undefined,
      caseUrl,
    } as const;
    expect(blocks(renderEmail('zh-CN', review).text)[0]).toContain(`打开案件页面复查：${caseUrl}`);
  });
});

describe('every case mail’s subject names the case by its number and its title', () => {
  const title = '宿舍楼 A101 水龙头漏水';
  it.each([
    ['pause_approved', 'rectifying', '【暂停已批准】ZG-2026-000007：', '[Pause approved] ZG-2026-000007: '],
    ['pause_rejected', 'rectifying', '【暂停未批准】ZG-2026-000007：', '[Pause rejected] ZG-2026-000007: '],
    ['pause_ended', 'rectifying', '【暂停已结束】ZG-2026-000007：', '[Pause ended] ZG-2026-000007: '],
    [
      'adjudication_request',
      'adjudicating',
      '【待裁定】员工提出异议 ZG-2026-000007：',
      '[Adjudication needed] Plan disputed ZG-2026-000007: ',
    ],
    ['adjudicated', 'rectifying', '【裁定结果】ZG-2026-000007：', '[Adjudicated] ZG-2026-000007: '],
    ['review_failed', 'rectifying', '【复查未通过】ZG-2026-000007：', '[Review failed] ZG-2026-000007: '],
    [
      'review_escalation',
      'reviewing',
      '【升级】多次复查未通过 ZG-2026-000007：',
      '[Escalated] Failed review repeatedly ZG-2026-000007: ',
    ],
    [
      'result_and_survey',
      'follow_up',
      '【处理结果】请您评价 ZG-2026-000007：',
      '[Result] Please rate it ZG-2026-000007: ',
    ],
    [
      'reopened',
      'reviewing',
      '【重新复查】评价不满意 ZG-2026-000007：',
      '[Reopened] Rating not satisfied ZG-2026-000007: ',
    ],
    [
      'reopened_assignee',
      'reviewing',
      '【重新复查】评价不满意 ZG-2026-000007：',
      '[Reopened] Rating not satisfied ZG-2026-000007: ',
    ],
    [
      'reminder',
      'rectifying',
      '【提醒】整改即将到期 ZG-2026-000007：',
      '[Reminder] Rectification due soon ZG-2026-000007: ',
    ],
    [
      'escalation',
      'analysing',
      '【超时升级】原因分析环节超时 ZG-2026-000007：',
      '[Overdue] Analysis stage past its deadline ZG-2026-000007: ',
    ],
    [
      'effect_stuck',
      'rectifying',
      '【待处理】自动操作失败 ZG-2026-000007：',
      '[Action needed] An automatic step failed ZG-2026-000007: ',
    ],
  ] as const)('%s: %s… / %s…', (kind, stage, zhHead, enHead) => {
    const mail = { ...base, kind, stage, title, dueText: due };
    expect(renderEmail('zh-CN', mail).subject).toBe(`${zhHead}${title} / ${enHead}${title}`);
    // An English reader reads their own half first.
    expect(renderEmail('en', mail).subject).toBe(`${enHead}${title} / ${zhHead}${title}`);
  });

  it('a title in both languages gives each half its own', () => {
    const both = '安全 1 消防通道畅通 不合格 / Safety 1 Fire exits kept clear: failed';
    expect(
      renderEmail('zh-CN', { ...base, kind: 'review_failed', stage: 'rectifying', title: both }).subject,
    ).toBe(
      '【复查未通过】ZG-2026-000007：安全 1 消防通道畅通 不合格 / [Review failed] ZG-2026-000007: Safety 1 Fire exits kept clear: failed',
    );
  });
});

describe('the reminder names the stage that is due and when', () => {
  it.each([
    ['analysing', '原因分析', 'analysis', 'Analysis'],
    ['awaiting_signoff', '员工签字确认', 'staff sign-off', 'Staff sign-off'],
    ['adjudicating', '异议裁定', 'dispute adjudication', 'Dispute adjudication'],
    ['rectifying', '整改', 'rectification', 'Rectification'],
    ['reviewing', '复查', 'review', 'Review'],
  ] as const)('%s: %s / %s', (stage, zhStage, enStage, enSubject) => {
    const mail = renderEmail('zh-CN', { ...base, kind: 'reminder', stage, dueText: due });
    expect(mail.subject).toContain(`【提醒】${zhStage}即将到期 ZG-2026-000007`);
    expect(mail.subject).toContain(`[Reminder] ${enSubject} due soon ZG-2026-000007`);
    const [zh, en] = blocks(mail.text);
    expect(zh).toContain(`案件「宿舍楼 A101 水龙头漏水」的${zhStage}环节将于 ${due} 到期，请尽快处理。`);
    expect(en).toContain(`The ${enStage} stage of "宿舍楼 A101 水龙头漏水" is due ${due}. Please act soon.`);
    expect(mail.html).toContain(`${zhStage}环节将于 ${due} 到期`);
  });

  it('says no empty due when it was given none', () => {
    const { text } = renderEmail('zh-CN', { ...base, kind: 'reminder', stage: 'rectifying' });
    expect(text).toContain('的整改环节即将到期，请尽快处理。');
    expect(text).toContain('stage of "宿舍楼 A101 水龙头漏水" is due soon.');
  });
});

describe('a complaint’s assignment offers no arrival on site', () => {
  const assigned = {
    ...base,
    kind: 'assigned',
    stage: 'analysing',
    title: '宿管员态度恶劣',
    actionUrl: 'https://rectify.example/actions/v1.arrive',
    caseUrl: 'https://rectify.example/app/cases/ZG-2026-000007',
  } as const;

  it('a complaint: no arrival link in either half or the html, the case page still linked', () => {
    const { text, html } = renderEmail('zh-CN', { ...assigned, source: 'complaint' });
    expect(text).not.toContain('到场');
    expect(text).not.toContain('arrival');
    expect(text).not.toContain('/actions/');
    expect(html).not.toContain('/actions/');
    expect(text).toContain(
      '打开案件页面进行原因分析和整改：https://rectify.example/app/cases/ZG-2026-000007',
    );
  });

  it('a repair, or a case whose source the mail was not told, keeps it', () => {
    for (const source of ['repair', undefined] as const) {
      const { text } = renderEmail('zh-CN', { ...assigned, source });
      expect(text).toContain('到场后点此登记到场：https://rectify.example/actions/v1.arrive');
      expect(text).toContain(
        'Once on site, record your arrival here: https://rectify.example/actions/v1.arrive',
      );
    }
  });

  it('a complaint’s sign-off taken over does not send its new holder to record an arrival', () => {
    const move = { how: 'reassigned' as const, byName: '王建国', fromName: '吴磊' };
    const taken = { ...base, move, caseUrl: 'https://rectify.example/app/cases/ZG-2026-000007' };
    const complaint = renderEmail('zh-CN', { ...taken, source: 'complaint' }).text;
    expect(complaint).toContain('打开案件页面（查看经过）');
    expect(complaint).toContain('Open the case page (see what happened so far)');
    expect(complaint).not.toContain('到场');
    expect(renderEmail('zh-CN', { ...taken, source: 'repair' }).text).toContain(
      '打开案件页面（到场登记、查看经过）',
    );
  });
});

describe('the staff mails state the case clocks still to be met', () => {
  const opened = '2026-12-08T00:38:00.000Z'; // 08:38 campus time
  const clock = (id: CaseClock['id'], label: CaseClock['label'], hours: number): CaseClock => ({
    id,
    label,
    seed: '000',
    limit: { unit: 'hours', amount: hours },
    metBy: id === 'on_site_arrival' ? ['arrived'] : ['rectification_reported'],
    startedAt: opened,
    due: new Date(Date.parse(opened) + hours * 3_600_000).toISOString(),
    approximate: false,
  });
  const repair: ClockFacts = {
    clocks: [
      clock(
        'on_site_arrival',
        { zh: '一般维修2小时内到场', en: 'General repair, on site within 2 hours' },
        2,
      ),
      clock('small_repair_done', { zh: '零星维修24小时内完成', en: 'Small repair done within 24 hours' }, 24),
    ],
    timeline: [{ at: opened, action: 'detected' }],
  };
  const at = (iso: string) => Date.parse(iso);
  const campus = (iso: string) =>
    `${new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(new Date(iso))} (Asia/Shanghai)`;
  const arrivedBy = '2026/12/08 10:38 (Asia/Shanghai)';
  const doneBy = '2026/12/09 08:38 (Asia/Shanghai)';

  it('one line per clock, its due in campus time, in each half its own language', () => {
    const clocks = clockNotes(repair, at('2026-12-08T01:00:00Z'), campus);
    const { text, html } = renderEmail('zh-CN', {
      ...base,
      kind: 'assigned',
      stage: 'analysing',
      dueText: due,
      clocks,
    });
    const [zh = '', en = ''] = blocks(text);
    expect(zh).toContain(`案件时限：一般维修2小时内到场，截止 ${arrivedBy}\n`);
    expect(zh).toContain(`案件时限：零星维修24小时内完成，截止 ${doneBy}\n`);
    expect(en).toContain(`Case clock: General repair, on site within 2 hours, due ${arrivedBy}\n`);
    expect(en).toContain(`Case clock: Small repair done within 24 hours, due ${doneBy}\n`);
    expect(zh).not.toContain('Case clock');
    expect(en).not.toContain('案件时限');
    // Under the stage's own deadline, the earlier promise beside it.
    const dueAt = zh.indexOf(`原因分析时限：${due}`);
    expect(dueAt).toBeGreaterThan(0);
    expect(dueAt).toBeLessThan(zh.indexOf('案件时限：'));
    expect(html).toContain(`案件时限：零星维修24小时内完成，截止 ${doneBy}`);
    expect(html).toContain(`Case clock: Small repair done within 24 hours, due ${doneBy}`);
  });

  it('marks a clock past its due as overdue, and leaves out one met', () => {
    const late: ClockFacts = {
      ...repair,
      timeline: [...repair.timeline, { at: '2026-12-08T01:30:00Z', action: 'arrived' }],
    };
    const clocks = clockNotes(late, at('2026-12-09T02:00:00Z'), campus);
    expect(clocks).toHaveLength(1);
    const { text } = renderEmail('en', { ...base, kind: 'review_failed', stage: 'rectifying', clocks });
    const [en, zh] = blocks(text);
    expect(zh).toContain(`案件时限：零星维修24小时内完成，截止 ${doneBy}（已超时）`);
    expect(en).toContain(`Case clock: Small repair done within 24 hours, due ${doneBy} (overdue)`);
    expect(text).not.toMatch(/2小时内到场|within 2 hours/);
  });

  it('leaves out a clock met late, and every clock of a case withdrawn in time', () => {
    const metLate: ClockFacts = {
      ...repair,
      timeline: [...repair.timeline, { at: '2026-12-08T03:00:00Z', action: 'arrived' }],
    };
    expect(clockNotes(metLate, at('2026-12-08T04:00:00Z'), campus).map((n) => n.label.zh)).toEqual([
      '零星维修24小时内完成',
    ]);
    const withdrawn: ClockFacts = { ...repair, closedAt: '2026-12-08T01:00:00Z' };
    expect(clockNotes(withdrawn, at('2026-12-10T00:00:00Z'), campus)).toEqual([]);
  });

  it('says a clock an approved pause holds moves on', () => {
    const paused: ClockFacts = {
      ...repair,
      pauses: [
        {
          n: 1,
          reason: 'waiting_for_parts',
          note: '',
          requestedBy: 'p1',
          requestedAt: '2026-12-08T01:00:00Z',
          state: 'approved',
          decidedBy: 's1',
          decidedAt: '2026-12-08T01:10:00Z',
          endsBy: '2026-12-15T01:10:00Z',
        },
      ],
    };
    const [note] = clockNotes(paused, at('2026-12-08T01:20:00Z'), campus).slice(-1);
    expect(note).toMatchObject({ held: true, passed: false });
    expect(clockLine('zh', note!)).toMatch(/（暂停中，暂停结束时顺延）$/);
    expect(clockLine('en', note!)).toMatch(/ \(paused: moves on when the pause ends\)$/);
  });

  it.each([
    'assigned',
    'signoff_request',
    'review_request',
    'review_failed',
    'reminder',
    'escalation',
    'signed_off_assignee',
    'adjudicated',
  ] as const)('%s states them', (kind) => {
    const clocks = clockNotes(repair, at('2026-12-08T01:00:00Z'), campus);
    const { text } = renderEmail('zh-CN', { ...base, kind, clocks });
    expect(text).toContain(`案件时限：零星维修24小时内完成，截止 ${doneBy}`);
    expect(text).toContain(`Case clock: Small repair done within 24 hours, due ${doneBy}`);
  });

  it.each(['result_and_survey', 'taken_off', 'pause_approved', 'handed_over'] as const)(
    '%s does not: its reader is asked for no step of the case',
    (kind) => {
      const clocks = clockNotes(repair, at('2026-12-08T01:00:00Z'), campus);
      expect(renderEmail('zh-CN', { ...base, kind, clocks }).text).not.toMatch(/案件时限|Case clock/);
    },
  );

  it('a mail of a case with no clock left to meet has no such line', () => {
    const { text } = renderEmail('zh-CN', { ...base, clocks: [] });
    expect(text).not.toMatch(/案件时限|Case clock/);
  });
});

describe('the escalation mail names the place', () => {
  const place = { zh: '学生公寓B栋 B208', en: 'Dormitory B B208' };

  it('on a line of its own, as the assignment does', () => {
    const { text, html } = renderEmail('zh-CN', {
      ...base,
      kind: 'escalation',
      stage: 'rectifying',
      dueText: due,
      actionUrl: undefined,
      place,
    });
    const [zh, en] = blocks(text);
    expect(zh).toContain('\n地点：学生公寓B栋 B208\n');
    expect(en).toContain('\nPlace: Dormitory B B208\n');
    expect(html).toContain('地点：学生公寓B栋 B208');
  });
});
