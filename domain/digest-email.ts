/**
 * The weekly feedback and daily brief emails: both languages in one message,
 * so it serves every reader; the weekly summary puts its reader's language
 * first (as the case emails do), the others Chinese first. Pure text building.
 */
import type { Language } from './directory.ts';
import { escapeHtml } from './text.ts';
import type {
  AreaSummary,
  CaseLine,
  DailyBrief,
  DepartmentDigest,
  FollowUpItem,
  StaffDigest,
  WeekCounts,
} from './digest.ts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const COUNT_LABELS: [keyof WeekCounts, string, string][] = [
  ['opened', '新开案件', 'opened'],
  ['closed', '已结案', 'closed'],
  ['late', '超时', 'late'],
  ['disputed', '异议', 'disputed'],
  ['failedReviews', '复查未通过', 'failed reviews'],
  ['ratings', '收到评价', 'ratings received'],
];

/** A label in both languages, the reader's first: "超时 late", or "late 超时" for a reader of English. */
const pairIn =
  (lang: Language) =>
  (zh: string, en: string): string =>
    lang === 'en' ? `${en} ${zh}` : `${zh} ${en}`;

/** "新开案件 opened: 3 · 已结案 closed: 1 …" ("opened 新开案件: 3 …" for a reader of English). */
export function countsLine(c: WeekCounts, lang: Language = 'zh-CN'): string {
  const both = pairIn(lang);
  const parts = COUNT_LABELS.map(([k, zh, en]) => `${both(zh, en)}: ${c[k]}`);
  if (c.ratings > 0) {
    parts.push(`${both('平均评分', 'average score')}: ${(c.scoreSum / c.ratings).toFixed(1)}`);
  }
  return parts.join(' · ');
}

const caseText = (l: CaseLine) => {
  const marks = [
    l.opened ? '新 new' : '',
    l.closed ? '结案 closed' : '',
    l.late ? `超时 late ×${l.late}` : '',
    l.disputed ? `异议 disputed ×${l.disputed}` : '',
    l.failedReviews ? `复查未通过 failed review ×${l.failedReviews}` : '',
    l.score !== undefined ? `评分 score ${l.score}` : '',
  ].filter(Boolean);
  return `${l.caseId} ${l.title} (${l.place}): ${marks.join(', ')}`;
};

function page(title: string, body: string, lang: Language = 'zh-CN'): string {
  return `<!doctype html><html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif">${body}</body></html>`;
}

const list = (items: string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
const button = (url: string, label: string) =>
  `<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:8px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(label)}</a></p>`;

/** "王芳：中文 / English", or "Anna Smith: English / 中文" for a reader of English. */
const greetingIn = (lang: Language, name: string, intro: { zh: string; en: string }): string =>
  lang === 'en' ? `${name}: ${intro.en} / ${intro.zh}` : `${name}：${intro.zh} / ${intro.en}`;

/**
 * A mail asking a staff member to acknowledge their week through `ackUrl`: the digest, and its
 * reminder (which leaves out the cases and does not set the counts in bold).
 */
function ackMail(
  lang: Language,
  ackUrl: string,
  m: { subject: string; intro: string; counts: string; lines?: string[]; bold: boolean },
): RenderedEmail {
  const both = pairIn(lang);
  const lines = m.lines ? ['', ...m.lines] : [];
  const text = [m.intro, '', m.counts, ...lines, '', `${both('确认', 'Acknowledge')}: ${ackUrl}`].join('\n');
  const counts = m.bold ? `<strong>${escapeHtml(m.counts)}</strong>` : escapeHtml(m.counts);
  const html = page(
    m.subject,
    `<p>${escapeHtml(m.intro)}</p><p>${counts}</p>${m.lines ? list(m.lines) : ''}${button(ackUrl, both('确认已阅', 'Acknowledge'))}`,
    lang,
  );
  return { subject: m.subject, text, html };
}

// No report link for staff: building and campus reports are for supervisors and above.
export function staffDigestEmail(
  d: StaffDigest,
  name: string,
  ackUrl: string,
  lang: Language = 'zh-CN',
): RenderedEmail {
  const both = pairIn(lang);
  return ackMail(lang, ackUrl, {
    subject: `【${both('每周反馈', 'Weekly feedback')}】${d.week} ${name}`,
    intro: greetingIn(lang, name, {
      zh: `以下是您 ${d.week} 周的整改情况，请阅读后点击链接确认。`,
      en: `Your rectification cases in week ${d.week}; please read and acknowledge.`,
    }),
    counts: countsLine(d.counts, lang),
    lines: d.cases.map(caseText),
    bold: true,
  });
}

export function ackReminderEmail(
  d: StaffDigest,
  name: string,
  ackUrl: string,
  lang: Language = 'zh-CN',
): RenderedEmail {
  const both = pairIn(lang);
  return ackMail(lang, ackUrl, {
    subject: `【${both('提醒', 'Reminder')}】${both(`请确认 ${d.week} 周反馈`, `Please acknowledge your week ${d.week} feedback`)}`,
    intro: greetingIn(lang, name, {
      zh: `您尚未确认 ${d.week} 周的整改反馈。`,
      en: `You have not yet acknowledged your feedback for week ${d.week}.`,
    }),
    counts: countsLine(d.counts, lang),
    bold: false,
  });
}

export function ackEscalationEmail(d: StaffDigest, staffName: string, supervisorName: string): RenderedEmail {
  const subject = `【未确认 Not acknowledged】${staffName} ${d.week} 周反馈 weekly feedback`;
  const intro = `${supervisorName}：${staffName} 未在期限内确认 ${d.week} 周的整改反馈，请跟进。 / ${staffName} has not acknowledged the week ${d.week} feedback in time; please follow up.`;
  const lines = d.cases.map(caseText);
  const text = [intro, '', countsLine(d.counts), '', ...lines].join('\n');
  const html = page(
    subject,
    `<p>${escapeHtml(intro)}</p><p>${escapeHtml(countsLine(d.counts))}</p>${list(lines)}`,
  );
  return { subject, text, html };
}

const itemText = (i: FollowUpItem) => `${i.caseId} ${i.title} (${i.place}) — ${i.ask.zh} ${i.ask.en}`;

export function departmentDigestEmail(
  d: DepartmentDigest,
  name: string,
  items: { item: FollowUpItem; url: string }[],
  reminder: boolean,
): RenderedEmail {
  const subject = `${reminder ? '【提醒 Reminder】' : ''}【学生情况反馈 Student feedback】${d.week} ${d.name.zh} ${d.name.en}`;
  const intro = `${name}：${d.week} 周涉及贵院学生的情况如下，请逐条跟进后点击“已处理”。 / Cases concerning your students in week ${d.week}: please follow up on each and mark it handled.`;
  const text = [intro, '', ...items.map((x) => `${itemText(x.item)}\n  已处理 Mark handled: ${x.url}`)].join(
    '\n',
  );
  const html = page(
    subject,
    `<p>${escapeHtml(intro)}</p><ul>${items
      .map(
        (x) =>
          `<li>${escapeHtml(itemText(x.item))} <a href="${escapeHtml(x.url)}">已处理 Mark handled</a></li>`,
      )
      .join('')}</ul>`,
  );
  return { subject, text, html };
}

export function departmentEscalationEmail(
  d: DepartmentDigest,
  open: FollowUpItem[],
  name: string,
): RenderedEmail {
  const subject = `【院系跟进未完成 Department follow-ups open】${d.week} ${d.name.zh} ${d.name.en}`;
  const intro = `${name}：${d.name.zh} 对 ${d.week} 周的以下情况仍未标记处理。 / ${d.name.en} has not marked these week ${d.week} follow-ups handled.`;
  const lines = open.map(itemText);
  return {
    subject,
    text: [intro, '', ...lines].join('\n'),
    html: page(subject, `<p>${escapeHtml(intro)}</p>${list(lines)}`),
  };
}

/** A building's or the campus's week, to one of its supervisors or the working group, in their language first. */
export function areaSummaryEmail(
  s: AreaSummary,
  title: { zh: string; en: string },
  name: string,
  reportUrl: string,
  lang: Language,
): RenderedEmail {
  const both = pairIn(lang);
  const subject = `【${both('周报', 'Weekly summary')}】${s.week} ${both(title.zh, title.en)}`;
  const kpis = s.kpis
    .filter((k) => k.value !== null)
    .map(
      (k) =>
        `${both(k.label.zh, k.label.en)}: ${k.unit === 'ratio' ? `${(k.value! * 100).toFixed(1)}%` : k.value}${
          k.target !== null
            ? ` (${both('目标', 'target')} ${k.comparator} ${k.unit === 'ratio' ? `${k.target * 100}%` : k.target})`
            : ''
        }`,
    );
  // The case-level clocks as lines of the KPI list: met, breached and still running.
  for (const c of s.clocks ?? [])
    kpis.push(
      `${both(c.label.zh, c.label.en)}: ${both('按时', 'met')} ${c.met} · ${both('超时', 'breached')} ${c.breached} · ${both('计时中', 'running')} ${c.pending}`,
    );
  const repeats = s.repeats.map(
    (r) => `${r.category} @ ${r.place}: ${r.count} ${both('次', 'times')} (${r.caseIds.join(', ')})`,
  );
  const none = [both('无', 'none')];
  const change = `${both('较上周', 'vs last week')}: ${COUNT_LABELS.map(([k, zh, en]) => `${both(zh, en)} ${s.change[k] >= 0 ? '+' : ''}${s.change[k]}`).join(' · ')}`;
  const intro = {
    zh: `${title.zh} ${s.week} 周汇总。`,
    en: `Summary of ${title.en} for week ${s.week}.`,
  };
  const greeting = greetingIn(lang, name, intro);
  const text = [
    greeting,
    '',
    countsLine(s.counts, lang),
    change,
    '',
    `${both('指标', 'KPIs')}:`,
    ...kpis,
    '',
    `${both('重复问题', 'Repeat problems')} (4 ${both('周', 'weeks')}):`,
    ...(repeats.length ? repeats : none),
    '',
    `${both('报告', 'Report')} (${both('7 天内有效', 'valid for 7 days')}): ${reportUrl}`,
  ].join('\n');
  const html = page(
    subject,
    `<p>${escapeHtml(greeting)}</p><p><strong>${escapeHtml(countsLine(s.counts, lang))}</strong></p><p>${escapeHtml(change)}</p><h3>${escapeHtml(both('指标', 'KPIs'))}</h3>${list(kpis)}<h3>${escapeHtml(both('重复问题', 'Repeat problems'))}</h3>${list(repeats.length ? repeats : none)}${button(reportUrl, both('查看报告', 'Open the report'))}`,
    lang,
  );
  return { subject, text, html };
}

export function dailyBriefEmail(
  b: DailyBrief,
  buildingName: { zh: string; en: string },
  name: string,
): RenderedEmail {
  const subject = `【晨会简报 Morning brief】${b.date} ${buildingName.zh} ${buildingName.en}`;
  const section = (zh: string, en: string, rows: string[]) => [
    `${zh} ${en} (${rows.length}):`,
    ...(rows.length ? rows : ['无 none']),
  ];
  const opened = b.opened.map(caseText);
  const closed = b.closed.map(caseText);
  const breached = b.breached.map(caseText);
  const due = b.dueToday.map((d) => `${d.caseId} ${d.title} (${d.place}) ${d.stage} → ${d.due}`);
  const intro = `${name}：${buildingName.zh} 昨日情况与今日到期事项。 / Yesterday at ${buildingName.en}, and what falls due today.`;
  const blocks = [
    section('昨日新开', 'new yesterday', opened),
    section('昨日结案', 'closed yesterday', closed),
    section('昨日超时', 'breached yesterday', breached),
    section('今日到期', 'due today', due),
  ];
  return {
    subject,
    text: [intro, '', ...blocks.flatMap((b) => [...b, ''])].join('\n'),
    html: page(
      subject,
      `<p>${escapeHtml(intro)}</p>${blocks.map(([head, ...rows]) => `<h3>${escapeHtml(head ?? '')}</h3>${list(rows)}`).join('')}`,
    ),
  };
}
