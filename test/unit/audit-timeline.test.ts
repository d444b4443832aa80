import { describe, expect, it } from 'vitest';
import { describeEntry } from '../../api/audit-timeline.ts';
import { caseActions, type CaseAction } from '../../domain/case-action.ts';
import type { Directory, Person } from '../../domain/directory.ts';
import { emailKinds } from '../../domain/email-content.ts';
import type { AuditEntry } from '../../domain/hash-chain.ts';
import type { Lang } from '../../domain/text.ts';

/**
 * The case page's timeline as a campus reader sees it: labels and names in the reader's
 * language, never the enum keys, directory ids or JSON the workflow stores.
 */

const TZ = 'Asia/Shanghai';
const person = (id: string, name: string): Person => ({
  id,
  name,
  email: `${id}@x.edu`,
  roles: ['staff'],
  language: 'zh-CN',
});
const dir: Directory = {
  campus: { name: { zh: '校园', en: 'Campus' }, workingGroupIds: [], leadershipIds: [] },
  people: [person('staff-lee', 'David Lee'), person('staff-zhou', '周强'), person('sup-wang', '王建国')],
  buildings: [
    {
      id: 'bldg-a',
      name: { zh: '学生公寓A栋', en: 'Dormitory A' },
      supervisorIds: ['sup-wang'],
      gridMemberIds: [],
      floors: [
        {
          id: 'a-f2',
          name: { zh: '2层', en: 'Floor 2' },
          gridMemberIds: [],
          clusters: [{ id: 'a-f2-c1', gridMemberIds: [], rooms: ['A201'] }],
        },
      ],
    },
  ],
  departments: [],
};
const people = new Map(dir.people.map((p) => [p.id, p]));
const names = { person: (id: string) => people.get(id) };

function entry(action: string, payload: unknown, actor = 'sup-wang'): AuditEntry {
  return {
    caseId: 'ZG-2026-000001',
    seq: 1,
    at: '2026-03-02T06:05:00.000Z',
    actor: { id: actor },
    action,
    payload: { payload },
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
  };
}
const detail = (action: string, payload: unknown, lang: Lang, withDir = true) =>
  describeEntry(entry(action, payload), lang, names, TZ, withDir ? dir : undefined).detail;

const HAN = /\p{Script=Han}/u;
const location = { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A201' };

describe('the detected entry', () => {
  const repair = {
    source: 'repair',
    severity: 'routine',
    category: 'repair',
    location,
    assigneeId: 'staff-lee',
    sla: { version: '2026.1', ruleId: 'repair.routine' },
  };

  it('names the category, the severity and the place from the directory in the reader’s language', () => {
    expect(detail('detected', repair, 'zh-CN')).toBe('报修 · 一般 · 学生公寓A栋 A201');
    expect(detail('detected', repair, 'en')).toBe('Repair · Routine · Dormitory A, A201');
  });

  it('says the source too when it differs from the category', () => {
    const inspection = { ...repair, source: 'inspection', category: 'cleanliness', severity: 'urgent' };
    expect(detail('detected', inspection, 'zh-CN')).toBe('检查 / 卫生 · 紧急 · 学生公寓A栋 A201');
    expect(detail('detected', inspection, 'en')).toBe(
      'Inspection / Cleanliness · Urgent · Dormitory A, A201',
    );
  });

  it('names a cited 6T item by its name, not its id', () => {
    const cited = { ...repair, source: 'inspection', category: '6t.safety.3' };
    expect(detail('detected', cited, 'zh-CN')).toBe('检查 / 安全 3 消防隐患 · 一般 · 学生公寓A栋 A201');
    expect(detail('detected', cited, 'en')).toBe(
      'Inspection / Safety 3 Fire hazards · Routine · Dormitory A, A201',
    );
  });

  it('shows a freely written category as written, and the ids when no directory is given', () => {
    const free = { ...repair, category: 'plumbing' };
    expect(detail('detected', free, 'zh-CN', false)).toBe(
      '报修 / plumbing · 一般 · bldg-a a-f2 A201（已不在名录）',
    );
  });
});

describe('email entries', () => {
  it('name each template in the reader’s language and its recipient by name', () => {
    const cases: [string, string, string][] = [
      ['assigned', '指派通知，发给 David Lee', 'Assignment notice to David Lee'],
      ['review_request', '复查请求，发给 David Lee', 'Review request to David Lee'],
      ['signoff_request', '签字请求，发给 David Lee', 'Sign-off request to David Lee'],
      ['pause_request', '暂停申请，发给 David Lee', 'Pause request to David Lee'],
    ];
    for (const [kind, zh, en] of cases) {
      const payload = { kind, to: 'staff-lee', outboxKey: `ZG/${kind}`, messageId: 'm1' };
      expect(detail('email_sent', payload, 'zh-CN'), kind).toBe(zh);
      expect(detail('email_sent', payload, 'en'), kind).toBe(en);
    }
  });

  it('never show a template’s key', () => {
    for (const kind of emailKinds) {
      const payload = { kind, to: 'staff-zhou' };
      const zh = detail('email_sent', payload, 'zh-CN');
      const en = detail('email_sent', payload, 'en');
      expect(zh, kind).toMatch(HAN);
      expect(zh, kind).not.toContain(kind);
      // A label, not the key: capitalised, and no key's underscore.
      expect(en, kind).toMatch(/^[A-Z][^_]* to 周强$/);
    }
  });
});

describe('a reporter known by their email', () => {
  const mail = { kind: 'result_and_survey', to: 'reporter:pj-student@demo.edu.cn' };
  const reminder = { stage: 'follow_up', to: ['reporter:pj-student@demo.edu.cn'] };
  const withheld = { ...names, withholdReporterContact: true };
  const said = (action: string, payload: unknown, lang: Lang, n: typeof names = withheld) =>
    describeEntry(entry(action, payload), lang, n, TZ, dir).detail;

  it('is named by the email to a reader who may have it', () => {
    expect(said('email_sent', mail, 'zh-CN', names)).toBe(
      '处理结果与评价邀请，发给 报告人 pj-student@demo.edu.cn',
    );
  });

  it('is named by the role alone to a reader who may not, in both languages', () => {
    expect(said('email_sent', mail, 'zh-CN')).toBe('处理结果与评价邀请，发给 报告人');
    expect(said('email_sent', mail, 'en')).toBe('Result and rating request to the reporter');
    expect(said('reminder_sent', reminder, 'zh-CN')).not.toContain('@');
    const rated = describeEntry(
      entry('follow_up_rated', { score: 5 }, 'reporter:pj-student@demo.edu.cn'),
      'en',
      withheld,
      TZ,
      dir,
    );
    expect(rated.actor.name).toBe('the reporter');
  });

  it('keeps a scanned report’s id, which is no contact', () => {
    expect(said('email_sent', { kind: 'result_and_survey', to: 'reporter:R-2026-000123' }, 'zh-CN')).toBe(
      '处理结果与评价邀请，发给 报告人 R-2026-000123',
    );
  });
});

describe('a root-cause analysis', () => {
  const rc = (plan: string, causes = ['灯管老化']) => ({
    causes,
    plan,
    responsibleId: 'staff-zhou',
  });

  it('joins its parts with one separator, none after a sentence that has ended', () => {
    expect(detail('root_cause_submitted', rc('今天更换A101灯管；检查其余灯管。'), 'zh-CN')).toBe(
      '原因：灯管老化；方案：今天更换A101灯管；检查其余灯管。责任人：周强',
    );
    expect(detail('root_cause_submitted', rc('更换灯管', ['灯管老化。', '巡查不到位']), 'zh-CN')).toBe(
      '原因：灯管老化。巡查不到位；方案：更换灯管；责任人：周强',
    );
    expect(detail('root_cause_submitted', rc('Replace the tube.', ['old tube']), 'en')).toBe(
      'causes: old tube; plan: Replace the tube. responsible: 周强',
    );
  });
});

describe('a supervisor’s reassignment', () => {
  const payload = { from: 'staff-lee', to: 'staff-zhou', reason: 'r' };

  it('names both people and the reason, not the stored JSON', () => {
    expect(detail('reassigned', payload, 'zh-CN')).toBe('由 David Lee 改派给 周强；理由：r');
    expect(detail('reassigned', payload, 'en')).toBe('from David Lee to 周强; reason: r');
    expect(detail('handed_over', payload, 'zh-CN')).toBe('由 David Lee 移交给 周强；理由：r');
  });
});

/** Every kind the case workflow records, with a payload as it writes it. */
const written: Record<CaseAction, unknown> = {
  detected: { source: 'repair', severity: 'major', category: 'safety', location, assigneeId: 'staff-lee' },
  assigned: { assigneeId: 'staff-lee', due: '2026-03-03T06:05:00.000Z', approximate: false },
  root_cause_submitted: {
    causes: ['pipe'],
    plan: 'replace',
    responsibleId: 'staff-lee',
    by: 'staff-lee',
    at: '2026-03-02T06:05:00.000Z',
  },
  signed_off: { decision: 'confirm', signature: { ip: '10.0.0.1', textHash: 'abc', tokenId: 't1' } },
  disputed: { reason: 'not mine', signature: { ip: '10.0.0.1', textHash: 'abc', tokenId: 't1' } },
  adjudicated: { decision: 'proceed', notes: 'go on', signature: { ip: '10.0.0.1' } },
  rectification_reported: { summary: 'fixed', evidence: ['ev-1'] },
  review_passed: { notes: 'ok' },
  review_failed: { notes: 'still leaking', failedReviews: 2 },
  review_escalated: { failedReviews: 3, to: ['sup-wang'] },
  follow_up_rated: { score: 5, comment: 'good', signature: { ip: '10.0.0.1' } },
  follow_up_low_score: { score: 2, comment: 'bad' },
  closed: { outcome: 'no_reporter' },
  closed_unrated: { after: { unit: 'days', amount: 7 } },
  withdrawn: { reason: 'duplicate' },
  commented: { text: 'note' },
  deadline_set: { stage: 'rectifying', round: 1, due: '2026-03-03T06:05:00.000Z', approximate: false },
  deadline_recounted: {
    stage: 'rectifying',
    round: 1,
    previousDue: '2026-03-03T06:05:00.000Z',
    due: '2026-03-04T06:05:00.000Z',
    clocks: [
      {
        id: 'complaint_investigation',
        previousDue: '2026-03-05T10:00:00.000Z',
        due: '2026-03-06T10:00:00.000Z',
      },
    ],
    calendar: 2,
  },
  reminder_sent: { stage: 'analysing', to: ['staff-lee'] },
  deadline_breached: { stage: 'analysing', round: 1, due: '2026-03-03T06:05:00.000Z' },
  escalated: { stage: 'analysing', level: 'grid_l1', to: ['sup-wang'] },
  leadership_notified: { notice: 1, to: ['sup-wang'] },
  effect_failed: {
    id: 'x1',
    kind: 'email',
    what: 'signoff_request',
    reason: 'EmailRejected',
    message: 'address refused',
  },
  effect_retried: { effectId: 'x1' },
  effect_dismissed: { effectId: 'x1' },
  arrived: { note: 'on site', signature: { ip: '10.0.0.1' } },
  pause_requested: { reason: 'waiting_for_parts', note: 'valve' },
  pause_approved: { n: 1, notes: 'ok', endsBy: '2026-03-09T06:05:00.000Z' },
  pause_rejected: { n: 1, notes: 'no' },
  pause_ended: { n: 1, how: 'expired', due: '2026-03-04T06:05:00.000Z' },
  reassigned: { from: 'staff-lee', to: 'staff-zhou', reason: 'r' },
  handed_over: { from: 'staff-lee', to: 'staff-zhou', reason: 'r' },
};

// Stored keys and ids that must never reach a reader.
const raw =
  /[{}]|":|staff-lee|staff-zhou|sup-wang|bldg-a|grid_l1|waiting_for_parts|no_reporter|signoff_request|working_days|rectifying|analysing/;

describe('every kind the case workflow records', () => {
  it('reads without JSON, stored keys or ids, in both languages', () => {
    for (const action of caseActions) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const text = detail(action, written[action], lang);
        expect(text, `${action} ${lang}`).not.toMatch(raw);
      }
    }
  });

  it('says what each has that the page would otherwise lose, in the reader’s language', () => {
    expect(detail('escalated', written.escalated, 'zh-CN')).toBe('原因分析超时，上报楼栋一级网格员：王建国');
    expect(detail('escalated', written.escalated, 'en')).toBe(
      'analysis overdue, escalated to level-1 (building) grid members: 王建国',
    );
    expect(detail('pause_requested', written.pause_requested, 'zh-CN')).toBe('等待配件：valve');
    expect(detail('pause_requested', written.pause_requested, 'en')).toBe('Waiting for parts: valve');
    const involved = { outcome: 'reporter_involved' };
    expect(detail('closed', involved, 'zh-CN')).toBe(
      '报告人是本案的开案人或处理人，不能评价，复查合格即结案',
    );
    expect(detail('closed', involved, 'en')).not.toMatch(/reporter_involved/);
    expect(detail('closed', involved, 'en')).toContain('may not rate');
    expect(detail('closed_unrated', written.closed_unrated, 'zh-CN')).toBe('7 天内未评价');
    expect(detail('closed_unrated', written.closed_unrated, 'en')).toBe('no rating within 7 days');
    expect(detail('effect_failed', written.effect_failed, 'zh-CN')).toBe(
      '邮件「签字请求」（EmailRejected）：address refused',
    );
    expect(detail('effect_failed', written.effect_failed, 'en')).toBe(
      'email "Sign-off request" (EmailRejected): address refused',
    );
    expect(detail('closed', written.closed, 'zh-CN')).toMatch(HAN);
    expect(detail('pause_approved', written.pause_approved, 'zh-CN')).toBe(
      '#1，最迟 2026-03-09 14:05:00 (Asia/Shanghai) 结束；意见：ok',
    );
    expect(detail('pause_approved', written.pause_approved, 'en')).toBe(
      '#1, ends by 2026-03-09 14:05:00 (Asia/Shanghai) at the latest; notes: ok',
    );
    expect(detail('leadership_notified', written.leadership_notified, 'zh-CN')).toBe('第 1 次报告：王建国');
    expect(detail('deadline_recounted', written.deadline_recounted, 'zh-CN')).toBe(
      '整改中 · 2026-03-03 14:05:00 (Asia/Shanghai) → 2026-03-04 14:05:00 (Asia/Shanghai)；投诉3个工作日内完成调查 · 2026-03-05 18:00:00 (Asia/Shanghai) → 2026-03-06 18:00:00 (Asia/Shanghai)（校历第 2 版）',
    );
    // A change that moved only a clock (the stage was overdue, or its due did not move).
    expect(
      detail(
        'deadline_recounted',
        {
          clocks: [
            {
              id: 'evaluation_measures',
              previousDue: '2026-03-05T10:00:00.000Z',
              due: '2026-03-06T10:00:00.000Z',
            },
          ],
          calendar: 3,
        },
        'en',
      ),
    ).toMatch(
      /^Rectification measures for an evaluation finding within 15 working days · .* \(calendar version 3\)$/,
    );
    // Since the recount-records-unmoved patch: a due that stood but is no longer an estimate (its
    // year entered), a clock that moved and became one, and a change that moved and flipped nothing.
    const exact = {
      stage: 'rectifying',
      round: 1,
      due: '2026-03-04T06:05:00.000Z',
      previousApproximate: true,
      approximate: false,
      clocks: [
        {
          id: 'complaint_investigation',
          previousDue: '2026-03-05T10:00:00.000Z',
          due: '2026-03-06T10:00:00.000Z',
          previousApproximate: false,
          approximate: true,
        },
      ],
      calendar: 4,
    };
    expect(detail('deadline_recounted', exact, 'zh-CN')).toBe(
      '整改中 · 截止时间不再是估算：2026-03-04 14:05:00 (Asia/Shanghai)；投诉3个工作日内完成调查 · 2026-03-05 18:00:00 (Asia/Shanghai) → 2026-03-06 18:00:00 (Asia/Shanghai)，改为估算（校历第 4 版）',
    );
    expect(detail('deadline_recounted', exact, 'en')).toBe(
      'Rectifying · the due is no longer an estimate: 2026-03-04 14:05:00 (Asia/Shanghai); Complaint investigated within 3 working days · 2026-03-05 18:00:00 (Asia/Shanghai) → 2026-03-06 18:00:00 (Asia/Shanghai), now an estimate (calendar version 4)',
    );
    expect(detail('deadline_recounted', { calendar: 5 }, 'zh-CN')).toBe('各时限不变，按校历第 5 版计算');
    expect(detail('deadline_recounted', { calendar: 5 }, 'en')).toBe(
      'every due stands, counted with calendar version 5',
    );
  });
});

describe('an entry of a kind this page does not know', () => {
  it('shows its payload as key: value pairs, not JSON', () => {
    const payload = { foo: 'bar', n: 2, nested: { a: 1, b: 'x' }, list: ['p', 'q'] };
    expect(detail('something_new', payload, 'en')).toBe('foo: bar, n: 2, nested: (a: 1, b: x), list: p, q');
    expect(detail('something_new', payload, 'zh-CN')).toBe(
      'foo: bar，n: 2，nested: (a: 1，b: x)，list: p、q',
    );
  });
});

describe('pause decisions and their end', () => {
  it('say the supervisor’s notes, the end-by time and the deadline moved, in campus time', () => {
    expect(detail('pause_rejected', { n: 2, notes: '同意' }, 'zh-CN')).toBe('#2；意见：同意');
    expect(detail('pause_rejected', { n: 2, notes: 'not now' }, 'en')).toBe('#2; notes: not now');
    const reported = { n: 1, how: 'reported', due: '2026-03-04T06:05:00.000Z' };
    expect(detail('pause_ended', reported, 'zh-CN')).toBe(
      '#1 维修已上报，暂停随之结束；时限顺延至 2026-03-04 14:05:00 (Asia/Shanghai)',
    );
    expect(detail('pause_ended', reported, 'en')).toBe(
      '#1 ended by the repair report; deadline moved to 2026-03-04 14:05:00 (Asia/Shanghai)',
    );
    expect(detail('pause_ended', written.pause_ended, 'en')).toBe(
      '#1 ran out; deadline moved to 2026-03-04 14:05:00 (Asia/Shanghai)',
    );
  });
});

describe('a step signed by link while someone else was signed in on that browser', () => {
  const signature = { ip: '10.0.0.1', textHash: 'abc', tokenId: 't1', sessionPersonId: 'staff-zhou' };

  it('names who was signed in, by name, after what the entry says', () => {
    expect(detail('signed_off', { decision: 'confirm', signature }, 'zh-CN')).toBe(
      '确认问题认定与整改方案（浏览器登录者：周强）',
    );
    expect(detail('signed_off', { decision: 'confirm', signature }, 'en')).toBe(
      'confirmed the finding and the plan (signed in in the browser: 周强)',
    );
    expect(detail('disputed', { reason: 'not mine', signature }, 'zh-CN')).toBe(
      'not mine（浏览器登录者：周强）',
    );
    expect(detail('arrived', { signature }, 'en')).toBe('(signed in in the browser: 周强)');
    expect(detail('follow_up_rated', { score: 5, signature }, 'en')).toBe(
      'score 5 (signed in in the browser: 周强)',
    );
    expect(detail('adjudicated', { decision: 'proceed', signature }, 'zh-CN')).toBe(
      '继续整改（浏览器登录者：周强）',
    );
  });

  it('shows the id of someone the directory no longer has, and nothing when the recipient signed', () => {
    const gone = { ...signature, sessionPersonId: 'staff-gone' };
    expect(detail('signed_off', { signature: gone }, 'en')).toBe(
      'confirmed the finding and the plan (signed in in the browser: staff-gone)',
    );
    expect(detail('signed_off', written.signed_off, 'en')).toBe('confirmed the finding and the plan');
  });
});

describe('someone who has left the directory', () => {
  const departed = new Map([['staff-cc1', '测试离职员工']]);
  const withDeparted = { ...names, departed: (id: string) => departed.get(id) };
  const reassigned = entry(
    'reassigned',
    { from: 'staff-cc1', to: 'staff-zhou', reason: '离职' },
    'staff-cc1',
  );

  it('is named as the newest directory version had them, marked as gone, in both languages', () => {
    const zh = describeEntry(reassigned, 'zh-CN', withDeparted, TZ, dir);
    expect(zh.actor).toMatchObject({ id: 'staff-cc1', name: '测试离职员工（已离开名录）' });
    expect(zh.detail).toBe('由 测试离职员工（已离开名录） 改派给 周强；理由：离职');
    const en = describeEntry(reassigned, 'en', withDeparted, TZ, dir);
    expect(en.actor.name).toBe('测试离职员工 (no longer in the directory)');
    expect(en.detail).toBe('from 测试离职员工 (no longer in the directory) to 周强; reason: 离职');
  });

  it('is named from the directory in force while they are in it, and by id when no version has them', () => {
    const both = { ...names, departed: (id: string) => (id === 'staff-zhou' ? '旧名' : undefined) };
    expect(describeEntry(entry('commented', { text: 'x' }, 'staff-zhou'), 'zh-CN', both, TZ).actor.name).toBe(
      '周强',
    );
    expect(
      describeEntry(entry('commented', { text: 'x' }, 'staff-nobody'), 'zh-CN', both, TZ).actor.name,
    ).toBe('staff-nobody');
  });
});

describe('a scanned report merged on the triage page (recorded as a comment)', () => {
  const merge = (text: string, lang: Lang) =>
    describeEntry(entry('commented', { text }), lang, names, TZ, dir);
  const text = '并入扫码报告 RP-KT3PSX450S / merged scanned report RP-KT3PSX450S：B208的灯不亮了';

  it('reads as a merge, the report and its words as the detail, in the reader’s language', () => {
    expect(merge(text, 'zh-CN')).toMatchObject({
      action: 'commented',
      what: '并入扫码报告',
      detail: 'RP-KT3PSX450S：B208的灯不亮了',
    });
    expect(merge(text, 'en')).toMatchObject({
      what: 'Scanned report merged',
      detail: 'RP-KT3PSX450S: B208的灯不亮了',
    });
  });

  it('stays a comment when the text only looks like one: another opening, two ids, quoted later', () => {
    for (const t of [
      '并入扫码报告 RP-KT3PSX450S / merged scanned report RP-J3T85717EE：x',
      '见 并入扫码报告 RP-KT3PSX450S / merged scanned report RP-KT3PSX450S：x',
      '并入扫码报告 RP-KT3PSX450S',
    ])
      expect(merge(t, 'en'), t).toMatchObject({ what: 'Comment added', detail: t });
  });
});
