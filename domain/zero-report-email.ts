import { escapeHtml } from './text.ts';
import type { Language } from './directory.ts';
import { headerSafe } from './safe-text.ts';
import type { ReturnEntry, ZeroCell, ZeroReport } from './zero-report.ts';

/** The zero report's three emails: the nightly ask, the escalation, the summary to a department. */
export interface ZeroMail {
  subject: string;
  text: string;
  html: string;
}

/** Both languages, the reader's first: zh-CN is everyone's default. */
function mail(
  lang: Language,
  subject: { zh: string; en: string },
  lines: { zh: string[]; en: string[] },
): ZeroMail {
  const blocks = lang === 'en' ? [lines.en, lines.zh] : [lines.zh, lines.en];
  const text = blocks.map((b) => b.join('\n')).join('\n\n----\n\n');
  const html = blocks
    .map(
      (b) =>
        `<div>${b.map((l) => `<p>${escapeHtml(l).replace(/(https?:\/\/\S+)/g, '<a href="$1">$1</a>')}</p>`).join('')}</div>`,
    )
    .join('<hr>');
  return {
    subject: headerSafe(lang === 'en' ? `${subject.en} / ${subject.zh}` : `${subject.zh} / ${subject.en}`),
    text,
    html,
  };
}

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
  return mail(
    lang,
    { zh: `【零报告】${a.night} ${a.cell.name.zh}`, en: `[Zero report] ${a.night} ${a.cell.name.en}` },
    {
      zh: [
        `${a.name}，您好：`,
        `请在 ${a.closeText} 前上报 ${a.cell.name.zh} 今晚的晚归、未归情况，无人晚归、未归也须上报"无"。`,
        `无晚归、未归，一键上报：${a.noneUrl}`,
        `有晚归或未归：请在手机上逐人填写上报：${a.reportUrl}`,
        `当晚情况：${a.boardUrl}`,
      ],
      en: [
        `Dear ${a.name},`,
        `Please report tonight's late and absent returns for ${a.cell.name.en} before ${a.closeText}; "none" must be reported too.`,
        `Nobody late or absent — report "none" in one click: ${a.noneUrl}`,
        `Someone late or absent: enter each one on your phone: ${a.reportUrl}`,
        `Tonight's board: ${a.boardUrl}`,
      ],
    },
  );
}

export function escalationMail(
  lang: Language,
  a: { night: string; cell: ZeroCell; name: string; memberNames: string; boardUrl: string },
): ZeroMail {
  return mail(
    lang,
    {
      zh: `【零报告未报】${a.night} ${a.cell.name.zh}`,
      en: `[Zero report missing] ${a.night} ${a.cell.name.en}`,
    },
    {
      zh: [
        `${a.name}，您好：`,
        `截至关闭时间，${a.cell.name.zh}（网格员：${a.memberNames}）未上报今晚的晚归、未归情况，请督促并核实。`,
        `当晚情况：${a.boardUrl}`,
      ],
      en: [
        `Dear ${a.name},`,
        `At the close, ${a.cell.name.en} (grid members: ${a.memberNames}) had not reported tonight's late and absent returns. Please follow up and check.`,
        `Tonight's board: ${a.boardUrl}`,
      ],
    },
  );
}

const entryLine = (e: ReturnEntry) => [e.room, e.name, e.note].filter(Boolean).join(' ');

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
  const list = (xs: ReturnEntry[], none: string) =>
    xs.length ? xs.map((e) => `  - ${entryLine(e)}`) : [`  ${none}`];
  return mail(
    lang,
    {
      zh: `【零报告汇总】${a.night} ${a.building.zh} → ${a.department.zh}`,
      en: `[Zero report summary] ${a.night} ${a.building.en} → ${a.department.en}`,
    },
    {
      zh: [
        `${a.name} 老师，您好：`,
        `${a.building.zh} 一级网格汇总 ${a.night} 晚贵院系学生的晚归、未归情况（共 ${a.reports.length} 个网格已报）：`,
        `晚归 ${a.late.length} 人：`,
        ...list(a.late, '无'),
        `未归 ${a.absent.length} 人：`,
        ...list(a.absent, '无'),
        ...(a.missing.length
          ? [`未上报的网格：${a.missing.map((c) => c.name.zh).join('、')}（已向上级报告）`]
          : []),
        `当晚情况：${a.boardUrl}`,
      ],
      en: [
        `Dear ${a.name},`,
        `${a.building.en}'s level-1 grid sums up your department's late and absent returns on the night of ${a.night} (${a.reports.length} cells reported):`,
        `Late: ${a.late.length}`,
        ...list(a.late, 'none'),
        `Absent: ${a.absent.length}`,
        ...list(a.absent, 'none'),
        ...(a.missing.length
          ? [`Cells that did not report: ${a.missing.map((c) => c.name.en).join(', ')} (escalated)`]
          : []),
        `Tonight's board: ${a.boardUrl}`,
      ],
    },
  );
}
