import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingYearMail } from '../../domain/calendar-warning.ts';
import { buildDailyBrief, buildWeeklyDigests } from '../../domain/digest.ts';
import {
  ackEscalationEmail,
  ackReminderEmail,
  areaSummaryEmail,
  dailyBriefEmail,
  departmentDigestEmail,
  departmentEscalationEmail,
  staffDigestEmail,
} from '../../domain/digest-email.ts';
import type { Directory, Language } from '../../domain/directory.ts';
import { dutyById } from '../../domain/duties.ts';
import { dutyMail } from '../../domain/duty-mail.ts';
import { emailKinds, renderEmail } from '../../domain/email-content.ts';
import { inspectionRoundMail } from '../../domain/inspection-mail.ts';
import { renderReporterNotice } from '../../domain/reporter-notice.ts';
import { reviewDigestMail } from '../../domain/review-digest-mail.ts';
import { strandedCasesMail } from '../../domain/stranded-cases-mail.ts';
import { triageNoticeMail } from '../../domain/triage-mail.ts';
import type { ZeroCell } from '../../domain/zero-report.ts';
import { askMail, escalationMail, lateReportMail, summaryMail } from '../../domain/zero-report-email.ts';
import { view } from '../support/views.ts';

/**
 * Every mail that quotes what a person typed (an anonymous report's description, a reporter's
 * name, a case's title, a note, a reason, names and places from the directory) quotes it so that
 * no mail client makes it a link, in the text part, the HTML part and the subject; the links the
 * system puts in (buttons, labelled addresses) stay whole and working. A probe put
 * `<a href="http://evil.example">点我</a> www.evil.example` in the public report form and found it
 * linkified in the supervisor's triage mail.
 */
const EVIL =
  '<a href="http://evil.example">点我</a> www.evil.example http://evil.example/x evil.example a@evil.example';
/** Anything a client would take for an address of the typed text, or an anchor of its own. */
const LINKABLE = /evil\.example|www\.evil|https?:\/\/evil|a@evil/;

const ORIGIN = 'https://rectify.example.edu';
const ACTION = `${ORIGIN}/a/eyJhbGciOiJFZERTQSJ9.payload.sig`;
const CASE = `${ORIGIN}/app/cases/ZG-2026-000123`;
const TRACK = `${ORIGIN}/t/AbCdEfGhIjKlMnOpQrStUvWxYz012345`;

type Mail = { subject: string; text: string; html: string };

const unescape = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const hrefs = (html: string) =>
  [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
const addresses = (text: string) => [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);

/** The typed text is there, read as typed, but links nowhere; only the system's links are links. */
function expectUnlinked(mail: Mail, own: readonly string[]) {
  for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(LINKABLE);
  // Quoted, not dropped: the same words once the invisible marks are taken out.
  expect(mail.text.replace(/\u200C/g, '')).toContain('www.evil.example');
  expect(unescape(mail.html).replace(/\u200C/g, '')).toContain('www.evil.example');
  // The anchors and addresses of the mail are its own, whole.
  expect(hrefs(mail.html).length).toBeGreaterThan(0);
  for (const href of hrefs(mail.html)) expect(own).toContain(href);
  for (const a of addresses(mail.text)) expect(own).toContain(a);
  expect(own.some((u) => mail.text.includes(u))).toBe(true);
}

const langs: Language[] = ['zh-CN', 'en'];
const evilPair = { zh: EVIL, en: EVIL };

describe('typed text in every case mail kind', () => {
  const cases = emailKinds.flatMap((kind) => langs.map((lang) => [kind, lang] as const));
  it.each(cases)('%s (%s)', (kind, lang) => {
    const mail = renderEmail(lang, {
      kind,
      caseId: 'ZG-2026-000123',
      title: EVIL,
      stage: 'rectifying',
      round: 2,
      recipientName: EVIL,
      dueText: '2026-12-08 17:30 (UTC+8)',
      detail: EVIL,
      actionUrl: ACTION,
      caseUrl: CASE,
      trackUrl: TRACK,
      place: evilPair,
      assigneeName: EVIL,
      move: { how: 'reassigned', byName: EVIL, fromName: EVIL },
      actorName: EVIL,
      openedText: '2026-12-07 09:00',
      pause: {
        state: 'approved',
        reason: { zh: '等待配件', en: 'Waiting for parts' },
        note: EVIL,
        movesDue: true,
      },
    });
    expectUnlinked(mail, [ACTION, CASE, TRACK]);
    // The action link is in both parts, as a button and after its label.
    expect(mail.text).toContain(ACTION);
    expect(hrefs(mail.html)).toContain(ACTION);
  });
});

describe('a scanned report: the triage notices and the reporter’s own notice', () => {
  const TRIAGE = `${ORIGIN}/app/triage#RP-0123456789`;
  it.each(
    (['arrival', 'reminder', 'escalation'] as const).flatMap((kind) =>
      langs.map((lang) => [kind, lang] as const),
    ),
  )('triage %s (%s)', (kind, lang) => {
    const mail = triageNoticeMail(lang, {
      notice: { kind, rung: kind === 'escalation' ? 'supervisors' : 'triage' },
      reportId: 'RP-0123456789',
      name: EVIL,
      placeName: evilPair,
      kindLabel: { zh: '安全隐患', en: 'Safety hazard' },
      description: EVIL,
      waitedText: { zh: '2 小时', en: '2 hours' },
      triageUrl: TRIAGE,
    });
    expectUnlinked(mail, [TRIAGE]);
    expect(mail.text).toContain(TRIAGE);
  });

  it.each(langs)('the reporter’s notice, to the address they typed (%s)', (lang) => {
    const mail = renderReporterNotice(lang, {
      reportId: 'RP-0123456789',
      status: { zh: '未受理', en: 'Not taken up' },
      reason: `${EVIL} / ${EVIL.replace('点我', 'click')}`,
      trackUrl: TRACK,
      name: `<b onmouseover=alert(3)>N</b> ${EVIL}`,
      place: evilPair,
    });
    expectUnlinked(mail, [TRACK]);
    expect(mail.text).toContain(TRACK);
  });
});

describe('the task, digest and directory mails', () => {
  const reader = (lang: Language) => ({ name: EVIL, language: lang });
  const CHECKLIST = `${ORIGIN}/inspection/daily-bldg-a-2026-12-07-aB3dE5fG7hJ9kL1mN3pQ`;
  const DUTY = `${ORIGIN}/duties/fire-drill~bldg-a~2026-autumn-aB3dE5fG7hJ9kL1mN3pQ`;
  const CALENDAR = `${ORIGIN}/app/admin/calendar`;
  const REASSIGN = `${ORIGIN}/app/cases/ZG-2026-000123#reassign`;
  const REVIEW = `${ORIGIN}/app/cases/ZG-2026-000123#review`;
  const drill = dutyById('fire-drill')!;

  const mails: [string, (lang: Language) => Mail, string[]][] = [
    [
      'inspection round',
      (lang) =>
        inspectionRoundMail(reader(lang), {
          kind: 'daily',
          period: '2026-12-07',
          items: 12,
          building: evilPair,
          url: CHECKLIST,
        }),
      [CHECKLIST],
    ],
    [
      'duty',
      (lang) =>
        dutyMail(reader(lang), {
          tag: { zh: '待办职责', en: 'Duty open' },
          duty: drill,
          occurrence: {
            periodLabel: { zh: '2026 秋季学期', en: 'autumn term 2026' },
            progress: [{ key: 'drill', label: { zh: '演练', en: 'Drill' }, done: 0, times: 1 }],
          },
          building: evilPair,
          dueDate: '2026-12-31',
          url: DUTY,
        }),
      [DUTY],
    ],
    [
      'missing calendar year',
      (lang) => missingYearMail(lang, { year: 2027, date: '2026-12-07', name: EVIL, calendarUrl: CALENDAR }),
      [CALENDAR],
    ],
    [
      'stranded cases',
      (lang) =>
        strandedCasesMail(lang, {
          recipientName: EVIL,
          version: 12,
          buildings: [
            {
              name: evilPair,
              asWorkingGroup: false,
              more: 0,
              cases: [
                {
                  caseId: 'ZG-2026-000123',
                  stage: 'rectifying',
                  overdue: false,
                  waitsOnHolder: true,
                  holders: [{ name: EVIL, state: 'removed', as: 'assignee' }],
                  reassignUrl: REASSIGN,
                },
              ],
            },
          ],
        }),
      [REASSIGN],
    ],
    [
      'review digest',
      (lang) =>
        reviewDigestMail(lang, {
          recipientName: EVIL,
          windowMinutes: 15,
          cases: [{ caseId: 'ZG-2026-000123', title: EVIL, place: evilPair, reviewUrl: REVIEW }],
        }),
      [REVIEW],
    ],
  ];
  it.each(mails.flatMap(([name, make, own]) => langs.map((lang) => [name, lang, make, own] as const)))(
    '%s (%s)',
    (_name, lang, make, own) => {
      expectUnlinked(make(lang), own);
    },
  );
});

describe('the zero-report mails', () => {
  const BOARD = `${ORIGIN}/zero-report/2026-12-06`;
  const NONE = `${ORIGIN}/actions/none-token`;
  const cell: ZeroCell = {
    cellId: 'L3:a-f1-c1',
    level: 3,
    buildingId: 'bldg-a',
    floorId: 'a-f1',
    name: evilPair,
    memberIds: ['grid-a1c1'],
    rooms: ['A101'],
  } as ZeroCell;
  const entry = { room: 'A101', name: EVIL, note: EVIL };
  const mails: [string, (lang: Language) => Mail, string[]][] = [
    [
      'ask',
      (lang) =>
        askMail(lang, {
          night: '2026-12-06',
          cell,
          name: EVIL,
          noneUrl: NONE,
          reportUrl: `${BOARD}/report`,
          boardUrl: BOARD,
          closeText: '22:40',
        }),
      [NONE, `${BOARD}/report`, BOARD],
    ],
    [
      'escalation',
      (lang) =>
        escalationMail(lang, {
          night: '2026-12-06',
          cells: [{ cell, memberNames: EVIL }],
          name: EVIL,
          boardUrl: BOARD,
        }),
      [BOARD],
    ],
    [
      'summary',
      (lang) =>
        summaryMail(lang, {
          night: '2026-12-06',
          building: evilPair,
          department: evilPair,
          name: EVIL,
          late: [entry],
          absent: [],
          missing: [],
          reports: [],
          boardUrl: BOARD,
        }),
      [BOARD],
    ],
    [
      'late report',
      (lang) =>
        lateReportMail(lang, {
          night: '2026-12-06',
          cell,
          name: EVIL,
          department: evilPair,
          late: [],
          absent: [entry],
          boardUrl: BOARD,
        }),
      [BOARD],
    ],
  ];
  it.each(mails.flatMap(([name, make, own]) => langs.map((lang) => [name, lang, make, own] as const)))(
    '%s (%s)',
    (_name, lang, make, own) => {
      expectUnlinked(make(lang), own);
    },
  );
});

describe('the weekly digests and the morning brief', () => {
  const dir: Pick<Directory, 'buildings' | 'departments'> = {
    buildings: [
      {
        id: 'bldg-a',
        name: evilPair,
        supervisorIds: ['sup-smith'],
        gridMemberIds: [],
        floors: [{ id: 'a-f1', name: evilPair, gridMemberIds: [], clusters: [] }],
      },
    ],
    departments: [{ id: 'cs', name: evilPair, contactIds: ['dept-cs'], rooms: ['A101'] }],
  };
  const MON = '2026-03-02T02:00:00.000Z';
  const t1 = view({
    caseId: 't1',
    title: EVIL,
    source: 'inspection',
    openedAt: MON,
    location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
    stage: 'analysing',
    deadlines: [['analysing', 'pending', 23]],
  });
  const week = buildWeeklyDigests({
    week: '2026-W10',
    timeZone: 'Asia/Shanghai',
    directory: dir,
    views: [t1],
  });
  const staff = week.staff[0]!;
  const dept = week.departments[0]!;
  const ACK = `${ORIGIN}/actions/ack`;
  const HANDLED = `${ORIGIN}/actions/handled`;
  const REPORT = `${ORIGIN}/reports/t`;
  const brief = buildDailyBrief({
    date: '2026-03-03',
    timeZone: 'Asia/Shanghai',
    buildingId: 'bldg-a',
    views: [t1],
    directory: dir,
  });
  const mails: [string, (lang: Language) => Mail, string[]][] = [
    ['staff digest', (lang) => staffDigestEmail(staff, EVIL, ACK, lang), [ACK]],
    ['acknowledgement reminder', (lang) => ackReminderEmail(staff, EVIL, ACK, lang), [ACK]],
    [
      'department digest',
      (lang) =>
        departmentDigestEmail(
          dept,
          EVIL,
          dept.items.map((item) => ({ item, url: HANDLED })),
          false,
          lang,
        ),
      [HANDLED],
    ],
    ['area summary', (lang) => areaSummaryEmail(week.buildings[0]!, evilPair, EVIL, REPORT, lang), [REPORT]],
    [
      'morning brief',
      (lang) => dailyBriefEmail(brief, evilPair, EVIL, lang, ORIGIN),
      [`${ORIGIN}/app/cases/t1`],
    ],
  ];
  it.each(mails.flatMap(([name, make, own]) => langs.map((lang) => [name, lang, make, own] as const)))(
    '%s (%s)',
    (_name, lang, make, own) => {
      expectUnlinked(make(lang), own);
    },
  );

  // Mails with no link of their own: the typed text is still quoted, and nothing in them links.
  it.each(langs)('the escalations, which link nowhere (%s)', (lang) => {
    for (const mail of [
      ackEscalationEmail(staff, EVIL, EVIL, lang),
      departmentEscalationEmail(dept, dept.items, EVIL, lang),
    ]) {
      for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(LINKABLE);
      expect(mail.text.replace(/\u200C/g, '')).toContain('www.evil.example');
      expect(hrefs(mail.html)).toEqual([]);
      expect(addresses(mail.text)).toEqual([]);
    }
  });
});

describe('no mail module forgets it', () => {
  // A module that builds a mail (a subject with an HTML part) takes its typed text through the
  // link breaker; mail-document.ts is the layout those modules share, given text already broken.
  const domain = new URL('../../domain/', import.meta.url);
  const mailModules = readdirSync(domain)
    .filter((f) => f.endsWith('.ts') && f !== 'mail-document.ts' && f !== 'no-autolink.ts')
    .filter((f) => {
      const src = readFileSync(new URL(f, domain), 'utf8');
      return /\bsubject\b/.test(src) && /\bhtml\b/.test(src);
    });
  it('finds the mail modules', () => {
    expect(mailModules).toEqual(
      expect.arrayContaining(['email-content.ts', 'triage-mail.ts', 'reporter-notice.ts', 'digest-email.ts']),
    );
  });
  it.each(mailModules)('%s uses noAutolink', (f) => {
    expect(readFileSync(new URL(f, domain), 'utf8')).toMatch(/from '\.\/no-autolink\.ts'/);
  });
});
