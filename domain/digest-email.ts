/**
 * The weekly feedback and daily brief emails: both languages in one message,
 * so it serves every reader, each in its reader's language first (as the case
 * emails do; Chinese by default). Pure text building.
 */
import { localTime } from './calendar.ts';
import { caseTitleIn, kindPrefixIn } from './case-title.ts';
import { casePagePath } from './email-content.ts';
import type { Language } from './directory.ts';
import { stageLabel } from './stage-labels.ts';
import { kpiDurationText } from './kpi-text.ts';
import { escapeHtml, pairIn, splitBilingual, type Bilingual } from './text.ts';
import { linePlace as placeAsNamed, withBuildingLabels } from './digest.ts';
import { noAutolink, noAutolinkPair } from './no-autolink.ts';
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
  ['withdrawn', '已撤销', 'withdrawn'],
  ['late', '超时', 'late'],
  ['disputed', '异议', 'disputed'],
  ['failedReviews', '复查未通过', 'failed reviews'],
  ['ratings', '收到评价', 'ratings received'],
];

/** "新开案件 opened: 3 · 已结案 closed: 1 …" ("opened 新开案件: 3 …" for a reader of English). */
export function countsLine(c: WeekCounts, lang: Language = 'zh-CN'): string {
  const both = pairIn(lang);
  const parts = COUNT_LABELS.map(([k, zh, en]) => `${both(zh, en)}: ${c[k]}`);
  if (c.ratings > 0) {
    parts.push(`${both('平均评分', 'average score')}: ${(c.scoreSum / c.ratings).toFixed(1)}`);
  }
  return parts.join(' · ');
}

/**
 * The counts in one language each ("新开案件：3 · …" / "opened: 3 · …"), for a page that sets the
 * reader's first: each punctuated as its language is (a full-width colon in Chinese).
 */
export function countsText(c: WeekCounts): Bilingual {
  const one = (lang: 'zh' | 'en') => {
    const colon = lang === 'zh' ? '：' : ': ';
    const parts = COUNT_LABELS.map(([k, zh, en]) => `${lang === 'zh' ? zh : en}${colon}${c[k]}`);
    if (c.ratings > 0)
      parts.push(
        `${lang === 'zh' ? '平均评分' : 'average score'}${colon}${(c.scoreSum / c.ratings).toFixed(1)}`,
      );
    return parts.join(' · ');
  };
  return { zh: one('zh'), en: one('en') };
}

/**
 * A case's title in its reader's order, as every label of these mails is: one written in both
 * languages ("… 不合格 / …: failed", a failed 6T item's) reads its reader's half first, split as the
 * case mails split it; a title in one language is shown as written, but for a scanned report's
 * kind, which reads in the reader's language ("Repair: 门锁坏了", `kindPrefixIn`).
 */
function titleIn(title: string, lang: Language): string {
  const halves = splitBilingual(title);
  // Typed, it links nowhere (broken once split, so it is split as written).
  if (halves.zh === halves.en) return noAutolink(kindPrefixIn(title, lang));
  const [first, second] = lang === 'en' ? (['en', 'zh'] as const) : (['zh', 'en'] as const);
  return noAutolink(`${caseTitleIn(title, first)} / ${caseTitleIn(title, second)}`);
}

/**
 * A case's place as the directory names it (a name someone typed there), kept from becoming a
 * link as every typed text of these mails is: the titles (`titleIn`), people's, departments' and
 * buildings' names where each mail takes them. The mails' own links are never passed through it.
 */
const linePlace = (l: Parameters<typeof placeAsNamed>[0], lang: Language): string =>
  noAutolink(placeAsNamed(l, lang));

const caseText = (l: CaseLine, lang: Language) => {
  const both = pairIn(lang);
  const marks = [
    l.opened ? both('新', 'new') : '',
    l.closed ? both('结案', 'closed') : '',
    l.withdrawn ? both('已撤销', 'withdrawn') : '',
    l.late ? `${both('超时', 'late')} ×${l.late}` : '',
    l.disputed ? `${both('异议', 'disputed')} ×${l.disputed}` : '',
    l.failedReviews ? `${both('复查未通过', 'failed review')} ×${l.failedReviews}` : '',
    l.score !== undefined ? `${both('评分', 'score')} ${l.score}` : '',
  ].filter(Boolean);
  return `${l.caseId} ${titleIn(l.title, lang)} (${linePlace(l, lang)}): ${marks.join(', ')}`;
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
  name = noAutolink(name);
  const both = pairIn(lang);
  return ackMail(lang, ackUrl, {
    subject: `【${both('每周反馈', 'Weekly feedback')}】${d.week} ${name}`,
    intro: greetingIn(lang, name, {
      zh: `以下是您 ${d.week} 周的整改情况，请阅读后点击链接确认。`,
      en: `Your rectification cases in week ${d.week}; please read and acknowledge.`,
    }),
    counts: countsLine(d.counts, lang),
    lines: d.cases.map((l) => caseText(l, lang)),
    bold: true,
  });
}

export function ackReminderEmail(
  d: StaffDigest,
  name: string,
  ackUrl: string,
  lang: Language = 'zh-CN',
): RenderedEmail {
  name = noAutolink(name);
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

/** A staff member's unacknowledged week, to one of their supervisors, in the supervisor's language first. */
export function ackEscalationEmail(
  d: StaffDigest,
  staffName: string,
  supervisorName: string,
  lang: Language = 'zh-CN',
): RenderedEmail {
  staffName = noAutolink(staffName);
  supervisorName = noAutolink(supervisorName);
  const both = pairIn(lang);
  const subject = `【${both('未确认', 'Not acknowledged')}】${staffName} ${both(`${d.week} 周反馈`, 'weekly feedback')}`;
  const intro = greetingIn(lang, supervisorName, {
    zh: `${staffName} 未在期限内确认 ${d.week} 周的整改反馈，请跟进。`,
    en: `${staffName} has not acknowledged the week ${d.week} feedback in time; please follow up.`,
  });
  const lines = d.cases.map((l) => caseText(l, lang));
  const counts = countsLine(d.counts, lang);
  const text = [intro, '', counts, '', ...lines].join('\n');
  const html = page(subject, `<p>${escapeHtml(intro)}</p><p>${escapeHtml(counts)}</p>${list(lines)}`, lang);
  return { subject, text, html };
}

const itemText = (i: FollowUpItem, lang: Language) =>
  `${i.caseId} ${titleIn(i.title, lang)} (${linePlace(i, lang)}) — ${pairIn(lang)(i.ask.zh, i.ask.en)}`;

/** The week's withdrawn cases of the department's students: for information, with nothing to do. */
function withdrawnBlock(d: DepartmentDigest, lang: Language): { text: string[]; html: string } {
  const rows = (d.withdrawn ?? []).map(
    (w) => `${w.caseId} ${titleIn(w.title, lang)} (${linePlace(w, lang)})`,
  );
  if (rows.length === 0) return { text: [], html: '' };
  const head = pairIn(lang)(
    '以下案件已撤销，无需跟进（仅供知悉）：',
    'Withdrawn, nothing to follow up (for information):',
  );
  return { text: ['', head, ...rows], html: `<p>${escapeHtml(head)}</p>${list(rows)}` };
}

/** A department's follow-ups of the week (or the reminder of them), to one of its contacts, in their language first. */
export function departmentDigestEmail(
  d: DepartmentDigest,
  name: string,
  items: { item: FollowUpItem; url: string }[],
  reminder: boolean,
  lang: Language = 'zh-CN',
): RenderedEmail {
  name = noAutolink(name);
  d = { ...d, name: noAutolinkPair(d.name) };
  const both = pairIn(lang);
  const subject = `${reminder ? `【${both('提醒', 'Reminder')}】` : ''}【${both('学生情况反馈', 'Student feedback')}】${d.week} ${both(d.name.zh, d.name.en)}`;
  const intro = greetingIn(lang, name, {
    zh: `${d.week} 周涉及贵院学生的情况如下，请逐条跟进后点击“已处理”。`,
    en: `Cases concerning your students in week ${d.week}: please follow up on each and mark it handled.`,
  });
  const handled = both('已处理', 'Mark handled');
  const withdrawn = withdrawnBlock(d, lang);
  const text = [
    intro,
    '',
    ...items.map((x) => `${itemText(x.item, lang)}\n  ${handled}: ${x.url}`),
    ...withdrawn.text,
  ].join('\n');
  const html = page(
    subject,
    `<p>${escapeHtml(intro)}</p><ul>${items
      .map(
        (x) =>
          `<li>${escapeHtml(itemText(x.item, lang))} <a href="${escapeHtml(x.url)}">${escapeHtml(handled)}</a></li>`,
      )
      .join('')}</ul>${withdrawn.html}`,
    lang,
  );
  return { subject, text, html };
}

/** A department's follow-ups still open at the horizon, to one of the working group, in their language first. */
export function departmentEscalationEmail(
  d: DepartmentDigest,
  open: FollowUpItem[],
  name: string,
  lang: Language = 'zh-CN',
): RenderedEmail {
  name = noAutolink(name);
  d = { ...d, name: noAutolinkPair(d.name) };
  const both = pairIn(lang);
  const subject = `【${both('院系跟进未完成', 'Department follow-ups open')}】${d.week} ${both(d.name.zh, d.name.en)}`;
  const intro = greetingIn(lang, name, {
    zh: `${d.name.zh} 对 ${d.week} 周的以下情况仍未标记处理。`,
    en: `${d.name.en} has not marked these week ${d.week} follow-ups handled.`,
  });
  const lines = open.map((i) => itemText(i, lang));
  return {
    subject,
    text: [intro, '', ...lines].join('\n'),
    html: page(subject, `<p>${escapeHtml(intro)}</p>${list(lines)}`, lang),
  };
}

/** A building's or the campus's week, to one of its supervisors or the working group, in their language first. */
export function areaSummaryEmail(
  stored: AreaSummary,
  title: { zh: string; en: string },
  name: string,
  reportUrl: string,
  lang: Language,
): RenderedEmail {
  name = noAutolink(name);
  title = noAutolinkPair(title);
  const s = withBuildingLabels(stored);
  const both = pairIn(lang);
  const subject = `【${both('周报', 'Weekly summary')}】${s.week} ${both(title.zh, title.en)}`;
  const durationPair = (hours: number) => {
    const d = kpiDurationText(hours);
    return both(d.zh, d.en);
  };
  const kpis = s.kpis
    .filter((k) => k.value !== null)
    .map(
      (k) =>
        `${both(k.label.zh, k.label.en)}: ${k.unit === 'ratio' ? `${(k.value! * 100).toFixed(1)}%` : k.unit === 'hours' ? durationPair(k.value!) : k.value}${
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
    (r) =>
      `${r.label ? both(r.label.zh, r.label.en) : r.category} @ ${linePlace(r, lang)}: ${r.count} ${both('次', 'times')} (${r.caseIds.join(', ')})`,
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

/**
 * A building's morning brief, to one of its supervisors, in their language first; today's
 * deadlines by their stage's label and their time on the campus clock ("整改 rectification → 17:30").
 * With `publicBaseUrl`, each case links to its page (the text gives the address under the line), so
 * a supervisor on a phone opens what is due from the mail.
 */
export function dailyBriefEmail(
  b: DailyBrief,
  buildingName: { zh: string; en: string },
  name: string,
  lang: Language = 'zh-CN',
  publicBaseUrl?: string,
): RenderedEmail {
  name = noAutolink(name);
  buildingName = noAutolinkPair(buildingName);
  const both = pairIn(lang);
  const caseUrl = (caseId: string) =>
    publicBaseUrl === undefined ? undefined : `${publicBaseUrl.replace(/\/+$/, '')}${casePagePath(caseId)}`;
  const subject = `【${both('晨会简报', 'Morning brief')}】${b.date} ${both(buildingName.zh, buildingName.en)}`;
  const section = (zh: string, en: string, rows: Row[]) => ({
    head: `${both(zh, en)} (${rows.length}):`,
    rows: rows.length ? rows : [{ text: both('无', 'none') }],
  });
  type Row = { text: string; url?: string | undefined };
  const row = (l: CaseLine): Row => ({ text: caseText(l, lang), url: caseUrl(l.caseId) });
  const opened = b.opened.map(row);
  const closed = b.closed.map(row);
  const breached = b.breached.map(row);
  // Every deadline listed falls due on the brief's own campus date: its time on the campus clock says it all.
  const due = b.dueToday.map((d): Row => {
    const stage = stageLabel(d.stage);
    return {
      text: `${d.caseId} ${titleIn(d.title, lang)} (${linePlace(d, lang)}) ${both(stage.zh, stage.en)} → ${localTime(d.due, b.timeZone)}`,
      url: caseUrl(d.caseId),
    };
  });
  const intro = greetingIn(lang, name, {
    zh: `${buildingName.zh} 昨日情况与今日到期事项。`,
    en: `Yesterday at ${buildingName.en}, and what falls due today.`,
  });
  const blocks = [
    section('昨日新开', 'new yesterday', opened),
    section('昨日结案', 'closed yesterday', closed),
    section('昨日超时', 'breached yesterday', breached),
    section('今日到期', 'due today', due),
  ];
  const rowText = (r: Row) => (r.url ? `${r.text}\n  ${r.url}` : r.text);
  const rowHtml = (r: Row) =>
    r.url
      ? `<li><a href="${escapeHtml(r.url)}">${escapeHtml(r.text)}</a></li>`
      : `<li>${escapeHtml(r.text)}</li>`;
  return {
    subject,
    text: [intro, '', ...blocks.flatMap((x) => [x.head, ...x.rows.map(rowText), ''])].join('\n'),
    html: page(
      subject,
      `<p>${escapeHtml(intro)}</p>${blocks.map((x) => `<h3>${escapeHtml(x.head)}</h3><ul>${x.rows.map(rowHtml).join('')}</ul>`).join('')}`,
      lang,
    ),
  };
}
