import path from 'node:path';
import { enCount } from '../../../domain/english-count.ts';
import { formOr400 } from '../../form-body.ts';
import { Hono } from 'hono';
import {
  calendarYear,
  parseCalendarFile,
  type CalendarFile,
  type CalendarFileError,
} from '../../../domain/calendar-file.ts';
import { createCalendar, localDate } from '../../../domain/calendar.ts';
import { missingNextYear, missingYearNotice } from '../../../domain/calendar-warning.ts';
import { overridesFrom } from '../../../domain/calendar-file.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { currentCalendarReader, type CurrentCalendar } from '../../../infra/calendar.ts';
import {
  recentCalendarVersions,
  saveCalendarVersion,
  type CalendarVersion,
} from '../../../store/calendar-versions.ts';
import type { AppDeps } from '../../deps.ts';
import {
  calendarBroadcastState,
  startCalendarBroadcast,
  type BroadcastState,
} from '../../../workflows/calendar-broadcast/start.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { Csrf, formatTime } from '../ui.tsx';
import { loadDirectory } from '../../../store/directory.ts';
import { personNamer } from '../../directory-names.ts';
import { page, refusedPage, viewerHas, type WebContext } from './dashboard-common.tsx';
import { broadcastText } from './calendar-broadcast-text.ts';

/**
 * /app/admin/calendar: the calendar file (CALENDAR_FILE's format, one statement
 * a line) viewed and edited by admins. Preview checks it (every error names its
 * line) and shows each year it touches as GET /api/calendar/{year} will answer;
 * save writes it as the next numbered version in the ops table. The newest
 * version is the calendar in force at once, no restart: every case opened from
 * then on pins it, and the running cases are told of it (workflows/calendar-broadcast):
 * each recounts its open stage's deadline. Each deadline records the version it
 * was counted with.
 */

const TITLE: Bilingual = { zh: '校历', en: 'Campus calendar' };
const RULE: Bilingual = { zh: '校历仅限管理员编辑', en: 'only admins may edit the calendar' };
const MAX_TEXT = 100_000;
/** A text over MAX_TEXT still goes back in the box up to this size, so the edit is not lost. */
const MAX_SHOWN_BACK = 1_000_000;

const count = (n: number) => n.toLocaleString('en-US');
/** "1 running case", "258 running cases": an English count with its noun agreeing. */

function tooLong(length: number, shown: boolean): Bilingual {
  const limit = {
    zh: `校历文件不能超过 ${count(MAX_TEXT)} 个字符（约 ${MAX_TEXT / 1000} KB），这次提交了 ${count(length)} 个字符，未检查也未保存。`,
    en: `the calendar file may be at most ${count(MAX_TEXT)} characters (about ${MAX_TEXT / 1000} KB); this one has ${count(length)}, so it was neither checked nor saved.`,
  };
  return shown
    ? {
        zh: `${limit.zh}提交的内容已放回下方文本框，请删减后再检查或保存。`,
        en: `${limit.en} What you sent is back in the box below: shorten it, then check or save again.`,
      }
    : {
        zh: `${limit.zh}内容太大，无法放回文本框，本页也没有保留它；请在自己的编辑器里删减后再粘贴。`,
        en: `${limit.en} It is too large to show back in the box and this page did not keep it: shorten it in your own editor and paste it again.`,
      };
}

function notText(size: number): Bilingual {
  return {
    zh: `校历文件内容无法读取：它是作为文件上传的（${count(size)} 字节），而不是填在文本框里的文字；请把内容粘贴到文本框中再提交。未检查也未保存。`,
    en: `the calendar file could not be read: it came as an uploaded file (${count(size)} bytes), not as text typed in the box. Paste it into the box and send it again. Nothing was checked or saved.`,
  };
}

/** Today's banner text while next year's official data is missing (from 1 November), else null. */
export function calendarBanner(file: CalendarFile, today: string): Bilingual | null {
  const cal = createCalendar(overridesFrom(file));
  const year = missingNextYear(today, (y) => cal.hasOfficialData(y));
  return year === null ? null : missingYearNotice(year);
}

/** The years a preview shows: this year, next year, and every year the file mentions. */
function yearsOf(file: CalendarFile, today: string): number[] {
  const y = Number(today.slice(0, 4));
  const years = new Set([y, y + 1]);
  for (const o of file.official) years.add(o.year);
  for (const d of [...file.holidays, ...file.workdays]) years.add(Number(d.date.slice(0, 4)));
  for (const r of [...file.closures, ...file.terms]) {
    years.add(Number(r.from.slice(0, 4)));
    years.add(Number(r.to.slice(0, 4)));
  }
  return [...years].sort((a, b) => a - b);
}

/** Consecutive dates as ranges: 2027-02-06..2027-02-13. */
function ranges(dates: readonly string[]): string {
  const out: string[] = [];
  let start: string | undefined;
  let prev: string | undefined;
  const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  for (const d of dates) {
    if (prev && next(prev) === d) {
      prev = d;
      continue;
    }
    if (start && prev) out.push(start === prev ? start : `${start}..${prev}`);
    start = d;
    prev = d;
  }
  if (start && prev) out.push(start === prev ? start : `${start}..${prev}`);
  return out.join(', ');
}

const named = (xs: readonly { name: string; from: string; to: string }[]) =>
  xs.map((x) => `${x.name} (${x.from}..${x.to})`).join('; ');

/**
 * A list of dates and ranges whose items wrap only between each other: a phone would otherwise
 * break 2026-01-01..2026-01-03 at its hyphens, a piece a line (the table scrolls instead).
 */
function whole(list: string, sep: string) {
  if (!list) return '';
  return list.split(sep).map((item, i) => (
    <>
      {i > 0 ? sep : ''}
      <span class="nowrap">{item}</span>
    </>
  ));
}

const SOURCE_LABEL: Record<string, Bilingual> = {
  official: { zh: '内置官方数据', en: 'bundled official data' },
  configured: { zh: '按国务院通知录入', en: "entered from the State Council's notice" },
  missing: { zh: '缺少官方数据（按周末计算）', en: 'no official data (weekends only)' },
};

function Preview(props: { file: CalendarFile; today: string; lang: Lang }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  return (
    <section class="card" aria-labelledby="cal-preview-h" data-calendar-preview>
      <h2 id="cal-preview-h" style="margin-top:0">
        {t({ zh: '预览（各年份）', en: 'Preview by year' })}
      </h2>
      <p class="hint">
        {t({
          zh: '与期限计算一致：学校放假（closure）的日子不上班，即使是法定调休上班日；只有校历文件中的 workday 行能让放假中的某天上班。放假日计入“放假日”。',
          en: 'As deadlines count them: a school closure day is a day off, even on an official make-up working day; only a workday line of the file makes a closure day a working day. Closure days are counted among the days off.',
        })}
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t({ zh: '年份', en: 'Year' })}</th>
              <th scope="col">{t({ zh: '来源', en: 'Source' })}</th>
              <th scope="col">{t({ zh: '放假日', en: 'Days off' })}</th>
              <th scope="col">{t({ zh: '调休上班', en: 'Make-up working days' })}</th>
              <th scope="col">{t({ zh: '学校放假', en: 'School closures' })}</th>
              <th scope="col">{t({ zh: '学期', en: 'Terms' })}</th>
            </tr>
          </thead>
          <tbody>
            {yearsOf(props.file, props.today).map((year) => {
              const y = calendarYear(year, props.file);
              return (
                <tr data-year={year} data-source={y.source}>
                  <th scope="row" style="font-weight:400">
                    {year}
                  </th>
                  <td>
                    <span class={`badge${y.source === 'missing' ? ' overdue' : ''}`}>
                      {t(SOURCE_LABEL[y.source] ?? { zh: y.source, en: y.source })}
                    </span>
                  </td>
                  <td>
                    {y.holidays.length} <span class="muted">{whole(ranges(y.holidays), ', ')}</span>
                  </td>
                  <td>{whole(ranges(y.workdays), ', ') || '—'}</td>
                  <td data-closures>{whole(named(y.closures), '; ') || '—'}</td>
                  <td>{whole(named(y.terms), '; ') || '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Errors(props: { errors: CalendarFileError[]; lang: Lang }) {
  return (
    <div class="flash error" role="alert" data-calendar-errors>
      <p style="margin-top:0">
        {inLang(
          {
            zh: `校历有 ${props.errors.length} 处错误，未保存：`,
            en: `${enCount(props.errors.length, 'error')}; nothing was saved:`,
          },
          props.lang,
        )}
      </p>
      <ul>
        {props.errors.map((e) => (
          <li data-line={e.line}>{inLang(e.message, props.lang)}</li>
        ))}
      </ul>
    </div>
  );
}

function Editor(props: { text: string; note: string; lang: Lang; csrf: string }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  return (
    <form method="post" action="/app/admin/calendar" class="card" aria-labelledby="cal-edit-h">
      <h2 id="cal-edit-h" style="margin-top:0">
        {t({ zh: '编辑校历文件', en: 'Edit the calendar file' })}
      </h2>
      <Csrf token={props.csrf} />
      <p class="hint" id="cal-text-hint">
        {t({
          zh: '每行一条：official <年份> <国务院通知标题>；holiday <日期>[..<日期>] <名称>；workday（调休上班）；closure（学校自定放假）；term（学期）。日期格式 2027-02-06。# 之后为注释。新一年的法定安排只能在国务院通知发布后照通知录入，不得推测。',
          en: 'One statement a line: official <year> <title of the State Council notice>; holiday <date>[..<date>] <name>; workday (make-up working day); closure (the school’s own days off); term. Dates like 2027-02-06; # starts a comment. A new year’s official arrangement is entered from the State Council’s notice once published, never guessed.',
        })}
      </p>
      <label for="cal-text">{t({ zh: '校历文件', en: 'Calendar file' })}</label>
      <textarea
        id="cal-text"
        name="text"
        rows={20}
        spellcheck={false}
        aria-describedby="cal-text-hint"
        style="width:100%;font-family:ui-monospace,monospace;font-size:.9rem"
      >
        {props.text}
      </textarea>
      <label for="cal-note">{t({ zh: '修改说明（可选）', en: 'What changed (optional)' })}</label>
      <input id="cal-note" name="note" type="text" maxlength={200} value={props.note} />
      <div class="actions">
        <button type="submit" name="action" value="preview" class="secondary">
          {t({ zh: '检查并预览', en: 'Check and preview' })}
        </button>
        <button type="submit" name="action" value="save">
          {t({ zh: '保存为新版本', en: 'Save as a new version' })}
        </button>
      </div>
    </form>
  );
}

/** Who saved a version, by name, and when, on the campus clock. */
interface SavedNames {
  who: (id: string) => string;
  when: (iso: string) => string;
}

function InForce(props: { now: CurrentCalendar; lang: Lang; saved: SavedNames }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  const o = props.now.origin;
  const by = o.kind === 'saved' ? props.saved.who(o.version.savedBy) : '';
  const at = o.kind === 'saved' ? props.saved.when(o.version.savedAt) : '';
  return (
    <p class="muted" data-calendar-origin={o.kind}>
      {o.kind === 'saved'
        ? t({
            zh: `当前生效：第 ${o.version.number} 版（${by}，${at}）。`,
            en: `In force: version ${o.version.number} (${by}, ${at}).`,
          })
        : t({
            // The file's name: where the server keeps it is no business of the page.
            zh: `当前生效：校历文件 ${o.path ? path.basename(o.path) : '（未配置，仅内置数据）'}；尚无在本页保存的版本。`,
            en: `In force: the calendar file ${o.path ? path.basename(o.path) : '(none configured: bundled data only)'}; no version saved on this page yet.`,
          })}{' '}
      {t({
        zh: '保存后立即生效，无需重启：此后新立的案件按新版本计算期限；进行中的案件在几分钟内收到新版本，当前环节的时限从环节开始重新计算（新增停课日顺延，取消则提前），每次改动记入案件的审计记录；已超时的环节不再重算。2026 年 12 月 5 日前立案的案件从下一个环节起按新版本计算。',
        en: 'A save takes effect at once, with no restart. Cases opened from then on count their deadlines with the new version. Running cases get it within minutes: the deadline of each one’s current stage is counted again from the stage’s start (an added closure day moves it later; one taken away moves it earlier), and each change is written to the case’s audit trail. A stage already overdue keeps its deadline. Cases opened before 5 December 2026 take the new version at their next stage.',
      })}
    </p>
  );
}

/** Where telling the running cases of the version in force stands. */
function BroadcastLine(props: { state: { version: number; state: BroadcastState }; lang: Lang }) {
  const { version, state } = props.state;
  const text = broadcastText(version, state);
  return (
    <p class="muted" data-calendar-broadcast={state.kind}>
      {inLang(text, props.lang)}
    </p>
  );
}

function Versions(props: { versions: CalendarVersion[]; lang: Lang; saved: SavedNames }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  if (props.versions.length === 0) return null;
  return (
    <section class="card" aria-labelledby="cal-versions-h">
      <h2 id="cal-versions-h" style="margin-top:0">
        {t({ zh: '历史版本', en: 'Versions' })}
      </h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t({ zh: '版本', en: 'Version' })}</th>
              <th scope="col">{t({ zh: '保存人', en: 'Saved by' })}</th>
              <th scope="col">{t({ zh: '时间', en: 'When' })}</th>
              <th scope="col">{t({ zh: '说明', en: 'Note' })}</th>
            </tr>
          </thead>
          <tbody>
            {props.versions.map((v) => (
              <tr data-version={v.number}>
                <td>{v.number}</td>
                <td>{props.saved.who(v.savedBy)}</td>
                <td>
                  <time datetime={v.savedAt}>{props.saved.when(v.savedAt)}</time>
                </td>
                <td>{v.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The calendar admin page's routes (mounted under /app, guarded there: session, viewer, CSRF). */
export function calendarAdminRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const read = currentCalendarReader(deps.env, store);
  const today = () => localDate(new Date().toISOString(), deps.env.CAMPUS_TZ);
  // Where telling the running cases stands; the page still shows when Temporal does not answer.
  const broadcastOf = (version: number) =>
    calendarBroadcastState(deps.temporal, deps.env.TEMPORAL_TASK_QUEUE, version)
      .then((state) => ({ version, state }))
      .catch((err: unknown) => {
        console.error('[calendar] broadcast state', err);
        return undefined;
      });

  const render = async (
    c: WebContext,
    opts: {
      text?: string;
      note?: string;
      errors?: CalendarFileError[];
      preview?: CalendarFile;
      saved?: number;
      status?: 200 | 400 | 413;
    },
  ) => {
    const lang = c.get('lang');
    const [now, versions, dir] = await Promise.all([
      read(),
      recentCalendarVersions(store),
      loadDirectory(deps.aws.ddb, deps.aws.tables),
    ]);
    const broadcast = now.origin.kind === 'saved' ? await broadcastOf(now.origin.version.number) : undefined;
    const savers = [
      ...versions.map((v) => v.savedBy),
      ...(now.origin.kind === 'saved' ? [now.origin.version.savedBy] : []),
    ];
    const name = await personNamer(deps.aws, dir, savers);
    const saved: SavedNames = {
      who: (id) => name(id, lang),
      when: (iso) => formatTime(iso, deps.env.CAMPUS_TZ),
    };
    const banner = calendarBanner(now.file, today());
    return page(
      c,
      TITLE,
      <>
        {opts.saved !== undefined && (
          <div class="flash ok" role="status" data-calendar-saved={opts.saved}>
            {inLang(
              {
                zh: `已保存为第 ${opts.saved} 版，立即生效：此后新立的案件按此版计算，进行中的案件正在按此版重新计算当前环节的时限。`,
                en: `Saved as version ${opts.saved}; in force now for cases opened from now on, and running cases are having their open stage's deadline recounted with it.`,
              },
              lang,
            )}
          </div>
        )}
        {banner && (
          <div class="flash error" role="alert" data-calendar-banner>
            {inLang(banner, lang)}
          </div>
        )}
        <InForce now={now} lang={lang} saved={saved} />
        {broadcast && <BroadcastLine state={broadcast} lang={lang} />}
        {opts.errors && opts.errors.length > 0 && <Errors errors={opts.errors} lang={lang} />}
        <Editor text={opts.text ?? now.text} note={opts.note ?? ''} lang={lang} csrf={c.get('csrfToken')} />
        <Preview file={opts.preview ?? now.file} today={today()} lang={lang} />
        <Versions versions={versions} lang={lang} saved={saved} />
      </>,
      opts.status ?? (opts.errors?.length ? 400 : 200),
    );
  };

  app.get('/admin/calendar', async (c) => {
    if (!viewerHas(c, ['admin'])) return refusedPage(c, TITLE, RULE);
    const saved = Number(c.req.query('saved'));
    return render(c, Number.isInteger(saved) && saved > 0 ? { saved } : {});
  });

  app.post('/admin/calendar', async (c) => {
    if (!viewerHas(c, ['admin'])) return refusedPage(c, TITLE, RULE);
    const body = await formOr400(c);
    const note = typeof body.note === 'string' ? body.note.trim().slice(0, 200) : '';
    if (body.text !== undefined && typeof body.text !== 'string')
      // Sent as a file (a multipart upload), not typed: nothing to check or to show back.
      return render(c, {
        text: '',
        note,
        errors: [{ line: 0, message: notText(body.text.size) }],
        status: body.text.size > MAX_TEXT ? 413 : 400,
      });
    const text = typeof body.text === 'string' ? body.text.replace(/\r\n/g, '\n') : '';
    if (text.length > MAX_TEXT) {
      // The admin's edit goes back in the box, so it is not lost; only a text too large to
      // show back in a page is dropped, and the message says so.
      const shown = text.length <= MAX_SHOWN_BACK;
      return render(c, {
        text: shown ? text : '',
        note,
        errors: [{ line: 0, message: tooLong(text.length, shown) }],
        status: 413,
      });
    }
    const parsed = parseCalendarFile(text);
    if (!parsed.ok) return render(c, { text, note, errors: parsed.errors });
    if (body.action !== 'save') return render(c, { text, note, preview: parsed.file });
    const viewer = c.get('viewer');
    const saved = await saveCalendarVersion(store, {
      text,
      savedBy: viewer?.person.id ?? 'unknown',
      savedAt: new Date().toISOString(),
      note: note || undefined,
    });
    // The running cases are told in the background; if Temporal cannot take it now, the daily
    // calendar check starts it (the page says which).
    await startCalendarBroadcast(deps.temporal, deps.env.TEMPORAL_TASK_QUEUE, {
      version: saved.number,
      savedAt: saved.savedAt,
    }).catch((err: unknown) => console.error('[calendar] broadcast not started', err));
    return c.redirect(`/app/admin/calendar?saved=${saved.number}`, 303);
  });

  return app;
}
