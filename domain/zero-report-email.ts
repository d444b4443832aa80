import type { Language } from './directory.ts';
import {
  mailGreeting,
  mailHalves,
  mailHtml,
  mailSubject,
  mailText,
  type MailHalf,
  type MailLink,
} from './mail-document.ts';
import { noAutolink } from './no-autolink.ts';
import type { ReturnEntry, ZeroCell, ZeroReport } from './zero-report.ts';

/** The zero report's three emails: the nightly ask, the escalation, the summary to a department. */
export interface ZeroMail {
  subject: string;
  text: string;
  html: string;
}

/** A link of a zero-report mail: a button in the HTML, a line ending in its address in the text. */
interface ZeroLink extends MailLink {
  /** The text part's words before the address: there the whole address must show to be followed. */
  line: Record<MailHalf, string>;
}

/**
 * Both languages, the reader's first (zh-CN is everyone's default), drawn as the case mails are:
 * the links as buttons whose label is short words, never the address (a signed link's address is
 * one unbreakable word wider than any phone), and every line, which quotes names and notes people
 * typed, kept from being made a link by the reader's mail client, in the text part as in the HTML
 * (the lines hold no address of the mail's own: those are its links).
 */
function mail(
  lang: Language,
  m: {
    subject: Record<MailHalf, string>;
    greeting: string;
    lines: Record<MailHalf, string[]>;
    links: ZeroLink[];
  },
): ZeroMail {
  const [first, second] = mailHalves(lang);
  const colon = (h: MailHalf) => (h === 'zh' ? '：' : ': ');
  const greeting = noAutolink(m.greeting);
  const lines = (h: MailHalf) => m.lines[h].map(noAutolink);
  const textOf = (h: MailHalf) => [...lines(h), ...m.links.map((l) => `${l.line[h]}${colon(h)}${l.href}`)];
  const html = mailHtml({
    first,
    greeting,
    lead: lines(first),
    links: m.links.map(({ href, label, look }) => ({ href, label, look })),
    other: lines(second),
  });
  return {
    // A cell's name, as typed into the directory, is in the subject too.
    subject: mailSubject(lang, { zh: noAutolink(m.subject.zh), en: noAutolink(m.subject.en) }),
    text: mailText(greeting, textOf(first), textOf(second)),
    html,
  };
}

const boardLink = (href: string): ZeroLink => ({
  href,
  label: { zh: '当晚情况', en: "Tonight's board" },
  line: { zh: '当晚情况', en: "Tonight's board" },
  look: 'outline',
});

export function askMail(
  lang: Language,
  a: {
    night: string;
    cell: ZeroCell;
    name: string;
    noneUrl: string;
    /** The phone page where the cell's late and absent returns are entered. */
    reportUrl: string;
    boardUrl: string;
    closeText: string;
  },
): ZeroMail {
  return mail(lang, {
    subject: {
      zh: `【零报告】${a.night} ${a.cell.name.zh}`,
      en: `[Zero report] ${a.night} ${a.cell.name.en}`,
    },
    greeting: mailGreeting(lang, a.name),
    lines: {
      zh: [`请在 ${a.closeText} 前上报 ${a.cell.name.zh} 今晚的晚归、未归情况，无人晚归、未归也须上报"无"。`],
      en: [
        `Please report tonight's late and absent returns for ${a.cell.name.en} before ${a.closeText}; "none" must be reported too.`,
      ],
    },
    links: [
      {
        href: a.noneUrl,
        label: { zh: '无异常，一键零报告', en: 'Nothing to report: one tap' },
        line: { zh: '无晚归、未归，一键上报', en: 'Nobody late or absent — report "none" in one click' },
        look: 'primary',
      },
      {
        href: a.reportUrl,
        label: { zh: '有晚归或未归：逐人填写', en: 'Someone late or absent: enter each one' },
        line: {
          zh: '有晚归或未归：请在手机上逐人填写上报',
          en: 'Someone late or absent: enter each one on your phone',
        },
        look: 'outline',
      },
      boardLink(a.boardUrl),
    ],
  });
}

/** A cell that had not reported at the close, with the names of the grid members on it. */
export interface SilentCell {
  cell: ZeroCell;
  memberNames: string;
}

/**
 * The one mail a person gets at a night's close for every cell they hear about (a building's
 * level 1 hears of each silent floor and cluster): one letter listing them, not one per cell.
 */
export function escalationMail(
  lang: Language,
  a: { night: string; cells: SilentCell[]; name: string; boardUrl: string },
): ZeroMail {
  const [only] = a.cells;
  const one = a.cells.length === 1 ? only : undefined;
  return mail(lang, {
    subject: {
      zh: `【零报告未报】${a.night} ${one ? one.cell.name.zh : `${a.cells.length} 个网格`}`,
      en: `[Zero report missing] ${a.night} ${one ? one.cell.name.en : `${a.cells.length} cells`}`,
    },
    greeting: mailGreeting(lang, a.name),
    lines: one
      ? {
          zh: [
            `截至关闭时间，${one.cell.name.zh}（网格员：${one.memberNames}）未上报今晚的晚归、未归情况，请督促并核实。`,
          ],
          en: [
            `At the close, ${one.cell.name.en} (grid members: ${one.memberNames}) had not reported tonight's late and absent returns. Please follow up and check.`,
          ],
        }
      : {
          zh: [
            `截至关闭时间，以下 ${a.cells.length} 个网格未上报今晚的晚归、未归情况，请督促并核实：`,
            ...a.cells.map((c) => `  - ${c.cell.name.zh}（网格员：${c.memberNames}）`),
          ],
          en: [
            `At the close, these ${a.cells.length} cells had not reported tonight's late and absent returns. Please follow up and check:`,
            ...a.cells.map((c) => `  - ${c.cell.name.en} (grid members: ${c.memberNames})`),
          ],
        },
    links: [boardLink(a.boardUrl)],
  });
}

const entryLine = (e: ReturnEntry) => [e.room, e.name, e.note].filter(Boolean).join(' ');

/**
 * What a department's counsellor reads of a building's night. It opens with how many of the
 * building's cells reported: the late and absent figures count only the cells that did, so where
 * some did not a zero says "none among those that reported", and where none did there is no figure.
 */
export function summaryMail(
  lang: Language,
  a: {
    night: string;
    building: { zh: string; en: string };
    department: { zh: string; en: string };
    name: string;
    late: ReturnEntry[];
    absent: ReturnEntry[];
    missing: ZeroCell[];
    reports: ZeroReport[];
    boardUrl: string;
  },
): ZeroMail {
  const reported = new Set(a.reports.map((r) => r.cellId)).size;
  const total = reported + a.missing.length;
  const partial = a.missing.length > 0;
  const list = (xs: ReturnEntry[], none: string) =>
    xs.length ? xs.map((e) => `  - ${entryLine(e)}`) : [`  ${none}`];
  const figures = {
    zh:
      reported === 0
        ? ['没有网格上报，晚归、未归人数不明。']
        : [
            `晚归 ${a.late.length} 人${partial ? `（仅计已上报的 ${reported} 个网格）` : ''}：`,
            ...list(a.late, partial ? '已上报的网格中无' : '无'),
            `未归 ${a.absent.length} 人${partial ? `（仅计已上报的 ${reported} 个网格）` : ''}：`,
            ...list(a.absent, partial ? '已上报的网格中无' : '无'),
          ],
    en:
      reported === 0
        ? ['No cell reported: the late and absent returns are not known.']
        : [
            `Late: ${a.late.length}${partial ? ` (in the ${reported} cells that reported only)` : ''}`,
            ...list(a.late, partial ? 'none in the cells that reported' : 'none'),
            `Absent: ${a.absent.length}${partial ? ` (in the ${reported} cells that reported only)` : ''}`,
            ...list(a.absent, partial ? 'none in the cells that reported' : 'none'),
          ],
  };
  return mail(lang, {
    subject: {
      zh: `【零报告汇总】${a.night} ${a.building.zh} → ${a.department.zh}`,
      en: `[Zero report summary] ${a.night} ${a.building.en} → ${a.department.en}`,
    },
    greeting: lang === 'en' ? `Dear ${a.name},` : `${a.name} 老师，您好：`,
    lines: {
      zh: [
        `${total} 个网格中 ${reported} 个已上报${partial ? `，${a.missing.length} 个未上报` : ''}。`,
        `${a.building.zh} 一级网格汇总 ${a.night} 晚贵院系学生的晚归、未归情况：`,
        ...figures.zh,
        ...(partial ? [`未上报的网格：${a.missing.map((c) => c.name.zh).join('、')}（已向上级报告）`] : []),
      ],
      en: [
        `${reported} of ${total} cells reported${partial ? `, ${a.missing.length} did not` : ''}.`,
        `${a.building.en}'s level-1 grid sums up your department's late and absent returns on the night of ${a.night}:`,
        ...figures.en,
        ...(partial
          ? [`Cells that did not report: ${a.missing.map((c) => c.name.en).join(', ')} (escalated)`]
          : []),
      ],
    },
    links: [boardLink(a.boardUrl)],
  });
}

/**
 * A report a cell sent after the close (taken for another hour, marked late), to those the close
 * told about the night without it: the counsellors whose students live in the cell's rooms (the
 * returns in their rooms) and whoever heard the cell had not reported. Without it, a student
 * reported absent at 22:50 never reached the counsellor, whose summary said the cell was silent.
 */
export function lateReportMail(
  lang: Language,
  a: {
    night: string;
    cell: ZeroCell;
    name: string;
    /** The counsellor's department: the rows are those in its rooms. Absent for the escalated. */
    department?: { zh: string; en: string } | undefined;
    late: ReturnEntry[];
    absent: ReturnEntry[];
    boardUrl: string;
  },
): ZeroMail {
  const rows = (xs: ReturnEntry[], none: Record<MailHalf, string>, h: MailHalf) =>
    xs.length ? xs.map((e) => `  - ${entryLine(e)}`) : [`  ${none[h]}`];
  const none = a.department
    ? { zh: '贵院系学生中无', en: 'none of your students' }
    : { zh: '无', en: 'none' };
  return mail(lang, {
    subject: {
      zh: `【零报告补报】${a.night} ${a.cell.name.zh}`,
      en: `[Late zero report] ${a.night} ${a.cell.name.en}`,
    },
    greeting: mailGreeting(lang, a.name),
    lines: {
      zh: [
        `${a.cell.name.zh} 在关闭时间之后补报了 ${a.night} 晚的情况${a.department ? `（以下为${a.department.zh}学生）` : ''}，此前的汇总或未报通知中没有这一格：`,
        `晚归 ${a.late.length} 人：`,
        ...rows(a.late, none, 'zh'),
        `未归 ${a.absent.length} 人：`,
        ...rows(a.absent, none, 'zh'),
      ],
      en: [
        `${a.cell.name.en} reported the night of ${a.night} after the close${a.department ? ` (below: students of ${a.department.en})` : ''}; the summary or missing-report notice you had did not include it:`,
        `Late: ${a.late.length}`,
        ...rows(a.late, none, 'en'),
        `Absent: ${a.absent.length}`,
        ...rows(a.absent, none, 'en'),
      ],
    },
    links: [boardLink(a.boardUrl)],
  });
}
