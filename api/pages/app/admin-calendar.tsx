import path from 'node:path';
import { enCount } from '../../../domain/english-count.ts';
import { formOr400 } from '../../form-body.ts';
import { Hono } from 'hono';
import {
  calendarYear,
  changesNothing,
  parseCalendarFile,
  sameCalendarText,
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
 * was counted with. Since every version reaches every running case, the text in force
 * sent again saves nothing (and the form is sent once), and a file with no statement
 * replaces a calendar with changes only when the admin ticks that it should.
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

/** Which calendar is in force, as a phrase: 现行第 3 版 / version 3 in force. */
function inForceName(now: CurrentCalendar): Bilingual {
  const o = now.origin;
  if (o.kind === 'saved')
    return { zh: `现行第 ${o.version.number} 版`, en: `version ${o.version.number} in force` };
  const name = o.path ? path.basename(o.path) : undefined;
  return name
    ? { zh: `现行校历文件 ${name}`, en: `the calendar file ${name} in force` }
    : { zh: '现行校历（仅内置数据）', en: 'the calendar in force (bundled data only)' };
}

/** A Chinese phrase ending in a Latin file name takes a space before the next Chinese word. */
const spaced = (zh: string): string => (/[A-Za-z0-9]$/.test(zh) ? `${zh} ` : zh);

/** What a confirmation to clear the calendar names: the version it was shown, so a newer one is not cleared unseen. */
const inForceKey = (now: CurrentCalendar): string =>
  now.origin.kind === 'saved' ? `v${now.origin.version.number}` : 'file';

/** The school's changes a file makes, one line a kind, in the page's language. */
function changesOf(file: CalendarFile): Bilingual[] {
  const out: Bilingual[] = [];
  if (file.official.length)
    out.push({
      zh: `${file.official.length} 个按国务院通知录入的年份：${file.official.map((o) => o.year).join('、')}`,
      en: `${enCount(file.official.length, 'year')} entered from the State Council's notice: ${file.official.map((o) => o.year).join(', ')}`,
    });
  if (file.holidays.length)
    out.push({
      zh: `${file.holidays.length} 天录入的节假日`,
      en: `${enCount(file.holidays.length, 'holiday')} entered`,
    });
  if (file.workdays.length)
    out.push({
      zh: `${file.workdays.length} 天录入的调休上班日`,
      en: `${enCount(file.workdays.length, 'make-up working day')} entered`,
    });
  if (file.closures.length)
    out.push({
      zh: `${file.closures.length} 次学校放假：${named(file.closures)}`,
      en: `${enCount(file.closures.length, 'school closure')}: ${named(file.closures)}`,
    });
  if (file.terms.length)
    out.push({
      zh: `${file.terms.length} 个学期：${named(file.terms)}`,
      en: `${enCount(file.terms.length, 'term')}: ${named(file.terms)}`,
    });
  return out;
}

/** The label of the box that confirms clearing the calendar: the refusal quotes it. */
const CLEAR_LABEL: Bilingual = {
  zh: '确认删除现行校历中的全部变更',
  en: 'Confirm: remove every change of the calendar in force',
};

/**
 * Why an empty file was not saved. An emptied text box is far likelier than a school that
 * drops every term and closure at once, and saving one recounts every running case, so it
 * takes a tick naming what goes; `stale` when the tick was for a calendar no longer in force.
 */
function emptyRefusal(now: CurrentCalendar, stale: boolean): Bilingual {
  const which = inForceName(now);
  return {
    zh: `${stale ? `勾选的确认针对的是此前的校历，此后已有新版本保存（${which.zh}）；` : ''}校历文件是空的（没有一行有效内容），未保存。保存它会删除${spaced(which.zh)}中的全部变更（见下方列表），所有进行中的案件会按只含国家法定安排的校历重新计算当前环节的时限。若确要删除全部变更，请勾选下方“${CLEAR_LABEL.zh}”后再保存；若是误删，请重新打开本页，现行校历会回到文本框中。`,
    en: `${stale ? `The confirmation was for an earlier calendar; a newer one was saved since (${which.en}). ` : ''}The calendar file is empty (no statement, only blank lines or comments), so it was not saved. Saving it would remove every change of ${which.en} (listed below), and every running case would have its open stage's deadline recounted with the official arrangement alone. To remove them all, tick '${CLEAR_LABEL.en}' below and save again; if the box was emptied by mistake, open this page again and the calendar in force is back in the box.`,
  };
}

/** What saving a file that changes nothing would remove from the calendar in force. */
function Removal(props: { now: CurrentCalendar; lang: Lang }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  const which = inForceName(props.now);
  return (
    <div class="flash error" role="alert" data-calendar-clears={inForceKey(props.now)}>
      <p style="margin-top:0">
        {t({
          zh: `这个校历文件没有任何变更。保存它将删除${spaced(which.zh)}中的全部变更，只按国家法定安排和周末计算：`,
          en: `This calendar file makes no change. Saving it removes every change of ${which.en}, leaving the official arrangement and weekends alone:`,
        })}
      </p>
      <ul>
        {changesOf(props.now.file).map((x) => (
          <li>{t(x)}</li>
        ))}
      </ul>
    </div>
  );
}

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

/** A refusal of the page's own, not a line's: `beside` shows the other language after it. */
type PageError = CalendarFileError & { beside?: boolean };

function Errors(props: { errors: PageError[]; lang: Lang }) {
  const other: Lang = props.lang === 'en' ? 'zh-CN' : 'en';
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
          <li data-line={e.line}>
            {inLang(e.message, props.lang)}
            {e.beside && (
              <>
                {' '}
                <span lang={other}>{inLang(e.message, other)}</span>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A form sent once: every save is sent to all running cases, so a double click must not send two.
 * The clicked button's name and value go in a hidden field, as a disabled button sends none.
 * Back from the next page (bfcache) the buttons work again. Without script the server still
 * saves an unchanged text only once (store/calendar-versions.ts).
 */
const ONE_SUBMIT_SCRIPT = `(function(){
var f=document.getElementById('cal-form');if(!f)return;
function buttons(on){f.querySelectorAll('button[type=submit]').forEach(function(b){b.disabled=!on;if(on)b.removeAttribute('aria-busy');else b.setAttribute('aria-busy','true');});}
f.addEventListener('submit',function(e){
  if(f.dataset.sent){e.preventDefault();return;}
  f.dataset.sent='1';
  var b=e.submitter;
  if(b&&b.name){var h=document.createElement('input');h.type='hidden';h.name=b.name;h.value=b.value;h.setAttribute('data-sent-by','');f.appendChild(h);}
  buttons(false);
});
window.addEventListener('pageshow',function(e){if(!e.persisted)return;delete f.dataset.sent;f.querySelectorAll('[data-sent-by]').forEach(function(h){h.remove();});buttons(true);});
})();`;

function Editor(props: {
  text: string;
  note: string;
  lang: Lang;
  csrf: string;
  clearKey?: string | undefined;
}) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  return (
    <form method="post" action="/app/admin/calendar" class="card" aria-labelledby="cal-edit-h" id="cal-form">
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
      {props.clearKey !== undefined && (
        // Only beside a file that changes nothing: what it removes is listed above the box.
        <label data-calendar-clear>
          <input type="checkbox" name="clear" value={props.clearKey} /> {t(CLEAR_LABEL)}
        </label>
      )}
      <div class="actions">
        <button type="submit" name="action" value="preview" class="secondary">
          {t({ zh: '检查并预览', en: 'Check and preview' })}
        </button>
        <button type="submit" name="action" value="save">
          {t({ zh: '保存为新版本', en: 'Save as a new version' })}
        </button>
      </div>
      <script dangerouslySetInnerHTML={{ __html: ONE_SUBMIT_SCRIPT }} />
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
      errors?: PageError[];
      preview?: CalendarFile;
      saved?: number;
      /** Sent as it stands in force: nothing was saved. */
      unchanged?: boolean;
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
    // A file that changes nothing, sent while the calendar in force has changes: what it removes.
    const clears = opts.preview !== undefined && changesNothing(opts.preview) && !changesNothing(now.file);
    const origin = now.origin;
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
        {opts.unchanged && (
          <div
            class="flash ok"
            role="status"
            data-calendar-unchanged={origin.kind === 'saved' ? origin.version.number : 'file'}
          >
            {inLang(
              origin.kind === 'saved'
                ? {
                    zh: `与现行第 ${origin.version.number} 版（${saved.who(origin.version.savedBy)}，${saved.when(origin.version.savedAt)} 保存）相同，未保存新版本；进行中的案件不会再次收到通知。`,
                    en: `Same as version ${origin.version.number} in force (saved by ${saved.who(origin.version.savedBy)}, ${saved.when(origin.version.savedAt)}): nothing saved, and running cases are not told again.`,
                  }
                : {
                    zh: `与${spaced(inForceName(now).zh)}相同，未保存。`,
                    en: `Same as ${inForceName(now).en}: nothing saved.`,
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
        {clears && <Removal now={now} lang={lang} />}
        <Editor
          text={opts.text ?? now.text}
          note={opts.note ?? ''}
          lang={lang}
          csrf={c.get('csrfToken')}
          clearKey={clears ? inForceKey(now) : undefined}
        />
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
    const shown = { text, note, preview: parsed.file };
    if (body.action !== 'save') return render(c, shown);
    const now = await read();
    // The same file again (a double click, a form sent twice, Save pressed with no edit) is no new
    // version: each version is sent to every running case.
    if (sameCalendarText(text, now.text)) return render(c, { ...shown, unchanged: true });
    if (changesNothing(parsed.file) && !changesNothing(now.file)) {
      const tick = typeof body.clear === 'string' ? body.clear : undefined;
      if (tick !== inForceKey(now))
        return render(c, {
          ...shown,
          errors: [{ line: 0, message: emptyRefusal(now, tick !== undefined), beside: true }],
          status: 400,
        });
    }
    const viewer = c.get('viewer');
    const saved = await saveCalendarVersion(store, {
      text,
      savedBy: viewer?.person.id ?? 'unknown',
      savedAt: new Date().toISOString(),
      note: note || undefined,
    });
    // Sent twice at once: the other request saved it first.
    if (!saved.created) return render(c, { ...shown, unchanged: true });
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
