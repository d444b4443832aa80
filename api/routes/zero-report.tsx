import {
  ActivityFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  ApplicationFailure,
} from '@temporalio/client';
import { shellPage } from '../pages/shell-page.tsx';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { localDate } from '../../domain/calendar.ts';
import { EffectFailure } from '../../domain/effect-failure.ts';
import type { Directory } from '../../domain/directory.ts';
import { inLang, splitBilingual, type Bilingual } from '../../domain/text.ts';
import {
  defaultZeroReportConfig,
  gridCells,
  nightCounts,
  NIGHT,
  parseZeroLinkCaseId,
  placeInCell,
  reportGist,
  zeroReportBody,
  zeroReportLimits,
  overLimits,
  ZERO_REPORT_BOARD_READERS,
  type OffCellRoom,
  type ReturnEntry,
  type ZeroCell,
  type ZeroReport,
  type ZeroReportBody,
} from '../../domain/zero-report.ts';
import { noCellTonight } from '../../domain/zero-report-no-cell.ts';
import { loadNight, type NightRecord } from '../../store/zero-reports.ts';
import {
  zeroNightQuery,
  zeroReportUpdate,
  ZeroReportFailure,
  type ZeroReportUpdateInput,
} from '../../workflows/zero-report/messages.ts';
import type { AuthEnv, Caller } from '../auth.ts';
import { requireRole } from '../middleware/bearer-auth.ts';
import { bearerOrSession, type SessionOrBearerEnv } from '../middleware/bearer-or-session.ts';
import { formOr400 } from '../form-body.ts';
import type { ActionHandler, AppDeps } from '../deps.ts';
import { callerLanguage, ProblemError, problemTypes, type Lang } from '../middleware/problems.ts';
import { isLang } from '../middleware/language.ts';
import { pageLanguage } from '../middleware/session.ts';
import { jsonBody, parseOr400 } from '../middleware/validation.ts';
import { directoryOrFail as directoryOr503 } from '../reads.ts';
import { boundedDate } from '../schemas.ts';
import { Field, Flash, formatTime } from '../pages/ui.tsx';
import { boardPage, pageHolding } from './zero-board-paging.ts';
import { boardAddress, boardAddressText, boardReadersText, BoardRefusalBody } from './zero-board-refusal.tsx';
import { BoardBody, cellAnchor, CellReportBody } from './zero-board-view.tsx';
import { refusalSummary } from './refusal-summary.ts';
import { PageOutcome } from '../pages/link-page.tsx';
import { formValues, parseForm } from '../pages/app/web-kit.tsx';

export const nightParam = z.object({
  // A calendar date that exists (not 2026-02-30) within the years Rectify keeps.
  night: z.string().regex(NIGHT, 'a date like 2026-12-04 / 日期格式如 2026-12-04').pipe(boundedDate),
});
// A language the app does not have is ignored, as the /app pages ignore it: the reader's own is used.
const pageQuery = z.object({
  lang: z
    .string()
    .optional()
    .transform((v) => (isLang(v) ? v : undefined)),
});

async function nightOr404(deps: AppDeps, night: string): Promise<NightRecord> {
  const rec = await loadNight({ ddb: deps.aws.ddb, tables: deps.aws.tables }, night);
  if (rec) return rec;
  // A night already past never opens: "has not opened" would send the caller back to wait for it.
  const tonight = localDate(new Date().toISOString(), deps.env.CAMPUS_TZ);
  if (night < tonight)
    throw new ProblemError('not_found', {
      zh: `${night} 晚没有零报告记录（当晚没有进行零报告）`,
      en: `there is no zero-report round on record for the night of ${night}`,
    });
  const notOpened: Bilingual = {
    zh: `${night} 晚的零报告尚未开始（每晚 ${defaultZeroReportConfig.openAt} 开始）`,
    en: `the zero report of ${night} has not opened (it opens at ${defaultZeroReportConfig.openAt} each night)`,
  };
  throw night === tonight
    ? new NotOpenedTonightError(night, notOpened)
    : new ProblemError('not_found', notOpened);
}

/**
 * Tonight's run, asked for before it opens: still a 404 to the API, but the pages say the night
 * has not started yet (the menu's 零报告 leads there all day), not that it was not found.
 */
class NotOpenedTonightError extends ProblemError {
  constructor(
    readonly night: string,
    detail: Bilingual,
  ) {
    super('not_found', detail);
  }
}

/** The page for tonight's zero report before it opens: when it does, and last night's board if there is one. */
async function notOpenedPage(deps: AppDeps, c: Context<AuthEnv>, night: string, lang: Lang, asked?: string) {
  const t = (b: Bilingual) => inLang(b, lang);
  const query = asked ? `?lang=${asked}` : '';
  const lastNight = new Date(Date.parse(`${night}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const last = await loadNight({ ddb: deps.aws.ddb, tables: deps.aws.tables }, lastNight);
  const { openAt, closeAt } = defaultZeroReportConfig;
  return shellPage(c, {
    title: { zh: '今晚零报告尚未开始', en: 'Tonight’s zero report has not started' },
    lang,
    children: (
      <>
        <p class="flash ok" role="status" data-not-opened={night}>
          {t({
            zh: `今晚（${night}）的零报告 ${openAt} 开始，${closeAt} 截止。开始后请回到此页。`,
            en: `Tonight’s (${night}) zero report opens at ${openAt} and closes at ${closeAt}. Come back to this page then.`,
          })}
        </p>
        <p>
          {last && (
            <>
              <a href={`/zero-report/${lastNight}${query}`} data-last-night={lastNight}>
                {t({ zh: `昨晚（${lastNight}）的零报告看板`, en: `Last night’s (${lastNight}) board` })}
              </a>
              {' · '}
            </>
          )}
          <a href={`/app${query}`}>{t({ zh: '返回工作台', en: 'Back to the workbench' })}</a>
        </p>
      </>
    ),
  });
}

/** An `ifUnreported` report the night's run refused: the cell's report on record when it decided. */
class AlreadyReportedError extends Error {
  constructor(readonly onRecord: ZeroReport) {
    super(`cell ${onRecord.cellId} has reported tonight already`);
  }
}

/** Sends a report to the night's run; its refusals become 4xx, never 500. */
/**
 * Whether the night takes no more reports: its run says so (it decides every report, late or
 * not, and a run ended early is over however much of its late window is left); the time of its
 * late window only when the run cannot be asked.
 */
async function nightClosed(deps: AppDeps, rec: NightRecord): Promise<boolean> {
  try {
    const run = await deps.temporal.workflow.getHandle(rec.night.workflowId).query(zeroNightQuery);
    return run.phase === 'done';
  } catch {
    return Date.now() >= Date.parse(rec.night.acceptUntil);
  }
}

/** "The zero report of … is over", and when reports were due and late ones taken until. */
function nightOverText(rec: NightRecord, tz: string): { over: Bilingual; window: Bilingual } {
  const { night, closeAt, acceptUntil } = rec.night;
  const close = formatTime(closeAt, tz);
  const until = formatTime(acceptUntil, tz);
  return {
    over: {
      zh: `${night} 晚的零报告已结束，不再接收上报。`,
      en: `The zero report of ${night} is over and takes no more reports.`,
    },
    window: {
      zh: `上报截止时间为 ${close}，逾时补报至 ${until} 为止。`,
      en: `Reports were due by ${close}; late ones were taken until ${until}.`,
    },
  };
}

async function submit(deps: AppDeps, rec: NightRecord, input: ZeroReportUpdateInput): Promise<ZeroReport> {
  const night = rec.night.night;
  try {
    return await deps.temporal.workflow
      .getHandle(rec.night.workflowId)
      .executeUpdate(zeroReportUpdate, { args: [input] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      if (err.cause.type === ZeroReportFailure.Closed) throw closedProblem(night);
      if (err.cause.type === ZeroReportFailure.TooManyReports)
        throw new ProblemError('unprocessable', {
          zh: `网格 ${input.cellId} 今晚已上报 ${zeroReportLimits.reportsPerCell} 次，不能再更正；如需更正请联系上一级网格员`,
          en: `cell ${input.cellId} has reported ${zeroReportLimits.reportsPerCell} times tonight, the most a night takes; ask the level above to correct it`,
        });
      if (err.cause.type === ZeroReportFailure.NotMember)
        throw new ProblemError('forbidden', {
          zh: `您不是网格 ${input.cellId} 的网格员`,
          en: `you are not a grid member of cell ${input.cellId}`,
        });
      const onRecord = err.cause.details?.[0] as ZeroReport | undefined;
      if (err.cause.type === ZeroReportFailure.AlreadyReported && onRecord)
        throw new AlreadyReportedError(onRecord);
      if (err.cause.type === ZeroReportFailure.UnknownCell)
        throw new ProblemError('unprocessable', {
          zh: `没有网格 ${input.cellId}`,
          en: `there is no grid cell ${input.cellId}`,
        });
    }
    // The store refused this write itself (not a passing outage): sending it again would be refused
    // again, so the reporter is told to change it, not to wait.
    if (
      err instanceof WorkflowUpdateFailedError &&
      err.cause instanceof ActivityFailure &&
      err.cause.cause instanceof ApplicationFailure &&
      err.cause.cause.type === EffectFailure.Invalid
    )
      throw new ProblemError('unprocessable', {
        zh: '数据库拒绝保存这份报告（内容过长或含无法保存的字符），未被记录；请缩短或修改后重新提交',
        en: 'the database refused to save this report (too long or holding characters it cannot store) and it was not recorded; shorten or change it and send it again',
      });
    // The report was taken, then its write failed past its retries: the night's run does not keep
    // it, and the same report sent later may be taken.
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ActivityFailure)
      throw new ProblemError('unavailable', {
        zh: '报告未能保存（数据库暂时不可用），未被记录；请稍后重新提交',
        en: 'the report could not be saved (the database is unavailable right now) and was not recorded; send it again shortly',
      });
    // The night's run is gone (ended, terminated): nothing takes reports for the night now.
    if (
      err instanceof WorkflowNotFoundError ||
      (!(err instanceof WorkflowUpdateFailedError) &&
        err instanceof Error &&
        /completed|closed/i.test(err.message))
    )
      throw closedProblem(night);
    throw err;
  }
}

const closedProblem = (night: string) =>
  new ProblemError('conflict', {
    zh: `${night} 晚的零报告已截止，不再接收上报`,
    en: `the zero report of ${night} is closed and takes no more reports`,
  });

/**
 * The rooms a cell answers for: those it was asked about at the opening, and
 * those the directory gives it now (a room added during the evening is taken).
 */
function cellRooms(dir: Directory, cell: ZeroCell): Set<string> {
  const now = gridCells(dir).find((c) => c.cellId === cell.cellId);
  return new Set([...cell.rooms, ...(now?.rooms ?? [])]);
}

function offCellProblem(
  cell: ZeroCell,
  rooms: Set<string>,
  outside: OffCellRoom[],
  lang: Lang,
): ProblemError {
  const named = [...new Set(outside.map((o) => o.room))];
  // A building's cell has hundreds of rooms: list them only when the list helps.
  const list = rooms.size <= 30 ? [...rooms] : null;
  const zh = `房间 ${named.join('、')} 不在网格「${cell.name.zh}」（${cell.cellId}）内`;
  const en = `room ${named.join(', ')} ${named.length === 1 ? 'is' : 'are'} not in grid cell "${cell.name.en}" (${cell.cellId})`;
  return new ProblemError(
    'unprocessable',
    {
      zh: list ? `${zh}；本网格的房间：${list.join('、')}` : zh,
      en: list ? `${en}; its rooms are ${list.join(', ')}` : en,
    },
    outside.map((o) => ({
      field: o.field,
      message: inLang(
        {
          zh: `房间 ${o.room} 不在网格 ${cell.cellId} 内`,
          en: `room ${o.room} is not in cell ${cell.cellId}`,
        },
        lang,
      ),
    })),
  );
}

/** The night's board: every cell, who reported what, who is missing and where it was escalated. */
export function boardOf(dir: Directory, rec: NightRecord) {
  const name = (id: string) => dir.people.find((p) => p.id === id)?.name ?? id;
  const cells = rec.night.cells.map((c) => {
    const report = rec.reports.find((r) => r.cellId === c.cellId);
    const escalation = rec.escalations.find((e) => e.cellId === c.cellId);
    return {
      cellId: c.cellId,
      level: c.level,
      buildingId: c.buildingId,
      floorId: c.floorId,
      name: c.name,
      members: c.memberIds.map((id) => ({ id, name: name(id) })),
      status: !report ? ('missing' as const) : report.none ? ('none' as const) : ('reported' as const),
      /** The report on record replaced an earlier one: what was reported before is in `report.earlier`. */
      corrected: (report?.earlier?.length ?? 0) > 0,
      report: report
        ? {
            ...report,
            byName: name(report.personId),
            earlier: (report.earlier ?? []).map((e) => ({ ...e, byName: name(e.personId) })),
          }
        : undefined,
      escalation: escalation ? { ...escalation, toNames: escalation.toIds.map(name) } : undefined,
    };
  });
  return {
    night: rec.night.night,
    closeAt: rec.night.closeAt,
    acceptUntil: rec.night.acceptUntil,
    counts: nightCounts(rec.night.cells, rec.reports),
    cells,
    missing: cells.filter((c) => c.status === 'missing').map((c) => c.cellId),
    summaries: rec.summaries,
  };
}
export type ZeroBoard = ReturnType<typeof boardOf>;

/**
 * Takes a grid member's report for the night, as the API and the report page send it: the cell
 * (the caller's only one, or the one named), its rooms as the directory spells them, then the
 * night's run, which decides. Refusals are ProblemErrors in `lang`.
 */
async function takeReport(
  deps: AppDeps,
  caller: Caller,
  night: string,
  body: ZeroReportBody,
  lang: Lang,
  via: 'api' | 'page',
): Promise<ZeroReport> {
  const over = overLimits(body);
  if (over.length > 0)
    throw new ProblemError(
      'unprocessable',
      over[0]?.message ?? { zh: '', en: '' },
      over.map((o) => ({ field: o.field, message: inLang(o.message, lang) })),
    );
  const [rec, dir] = await Promise.all([nightOr404(deps, night), directoryOr503(deps)]);
  const mine = rec.night.cells.filter((x) => x.memberIds.includes(caller.person.id));
  // On none of tonight's cells, whatever cellId says: the night's run would refuse every one.
  if (mine.length === 0) throw noCellProblem(deps, dir, rec, caller.person.id);
  const cellId = body.cellId ?? (mine.length === 1 ? mine[0]?.cellId : undefined);
  if (!cellId)
    throw new ProblemError('validation', {
      zh: `您负责多个网格，请用 cellId 指明（${mine.map((x) => x.cellId).join('、')}）`,
      en: `you are on several cells: name one with cellId (${mine.map((x) => x.cellId).join(', ')})`,
    });
  // Not the caller's cell (or no cell): the night's run refuses it below, with 403 or 422.
  const cell = mine.find((x) => x.cellId === cellId);
  const rooms = cell ? cellRooms(dir, cell) : null;
  const placed = rooms ? placeInCell(rooms, body) : { late: body.late, absent: body.absent, outside: [] };
  if (cell && rooms && placed.outside.length > 0) throw offCellProblem(cell, rooms, placed.outside, lang);
  return submit(deps, rec, {
    cellId,
    personId: caller.person.id,
    via,
    late: placed.late,
    absent: placed.absent,
  });
}

/** A grid member on none of the night's cells (named in the directory since it opened): 403, saying so and whom to tell. */
function noCellProblem(deps: AppDeps, dir: Directory, rec: NightRecord, personId: string): ProblemError {
  return new ProblemError(
    'forbidden',
    noCellTonight({
      night: rec.night.night,
      openedAt: formatTime(rec.night.openedAt, deps.env.CAMPUS_TZ),
      personId,
      cellsNow: gridCells(dir),
      tonight: rec.night.cells,
      name: (id) => dir.people.find((p) => p.id === id)?.name ?? id,
    }),
  );
}

const onlyGridMembers = { zh: '零报告由网格员上报', en: 'zero reports are made by grid members' };
type Kind = 'late' | 'absent';
const KINDS: readonly Kind[] = ['late', 'absent'];
const ENTRY_FIELDS = ['room', 'name', 'note'] as const;
/** Rows the form shows of each list at first, and at most (a cell's rooms hold fewer people). */
const FIRST_ROWS = 2;
const MAX_ROWS = 60;

/** What the report page shows and keeps: the rows typed, what to correct, and why. */
interface ReportForm {
  values: Record<string, string>;
  rows: Record<Kind, number>;
  errors: Record<string, Bilingual>;
  problem?: Bilingual | undefined;
}

const kindText: Record<Kind, Bilingual> = {
  late: { zh: '晚归', en: 'Late' },
  absent: { zh: '未归', en: 'Absent' },
};
const entryText: Record<(typeof ENTRY_FIELDS)[number], Bilingual> = {
  room: { zh: '房间', en: 'Room' },
  name: { zh: '姓名', en: 'Name' },
  note: { zh: '备注（如返回时间）', en: 'Note (e.g. the time back)' },
};

/** A row's name: its list and its number (`晚归 第 1 人`, `Late, person 1`). */
const rowText = (k: Kind, i: number): Bilingual => ({
  zh: `${kindText[k].zh} 第 ${i + 1} 人`,
  en: `${kindText[k].en}, person ${i + 1}`,
});
/** A row's field as the error summary names it (`晚归 第 1 人 房间`), from its name (`late.0.room`). */
function rowFieldText(name: string): Bilingual | undefined {
  const m = /^(late|absent)\.(\d+)\.(room|name|note)$/.exec(name);
  if (!m) return undefined;
  const row = rowText(m[1] as Kind, Number(m[2]));
  const field = entryText[m[3] as (typeof ENTRY_FIELDS)[number]];
  return { zh: `${row.zh} ${field.zh}`, en: `${row.en}, ${field.en.toLowerCase()}` };
}
const REPORT_FORM_ID = 'report-form';

/** A row's group drawn as a rule between rows, not a box in a box on a phone. */
const rowStyle = 'border:0;border-top:1px solid #d0d5dc;margin:0 0 .5rem;padding:.25rem 0 0;min-width:0';

/** The form's rows, filled in from a report on record (to correct it) when the caller has one cell. */
function formFrom(report: ZeroReport | undefined): ReportForm {
  const values: Record<string, string> = {};
  const rows = { late: FIRST_ROWS, absent: FIRST_ROWS };
  for (const k of KINDS) {
    const xs = report?.[k] ?? [];
    rows[k] = Math.min(MAX_ROWS, Math.max(FIRST_ROWS, xs.length + 1));
    xs.forEach((e, i) => {
      for (const f of ENTRY_FIELDS) if (e[f]) values[`${k}.${i}.${f}`] = e[f] ?? '';
    });
  }
  return { values, rows, errors: {} };
}

function ReportBody(props: {
  lang: Lang;
  tz: string;
  night: string;
  closeAt: string;
  acceptUntil: string;
  /** Now, as the page decides whether the close has passed. */
  now: number;
  /** The night takes no more reports (nightClosed), and what it says about that. */
  over: { over: Bilingual; window: Bilingual } | null;
  cells: { cell: ZeroCell; report?: (ZeroReport & { byName: string }) | undefined }[];
  action: string;
  boardHref: string;
  csrf?: string | undefined;
  form: ReportForm;
  sent?: boolean;
}) {
  const { lang, tz, form } = props;
  const t = (x: Bilingual) => inLang(x, lang);
  const rooms = [...new Set(props.cells.flatMap((c) => c.cell.rooms))];
  const chosen = form.values.cellId ?? props.cells[0]?.cell.cellId;
  // One deadline, the close (when missing cells are escalated); after it the run still takes a
  // report, marked late, until acceptUntil, and then nothing. Each phase says only what holds.
  const close = formatTime(props.closeAt, tz);
  const until = formatTime(props.acceptUntil, tz);
  const phase = props.over ? 'closed' : props.now < Date.parse(props.closeAt) ? 'open' : 'late';
  return (
    <>
      {phase === 'open' ? (
        <p>
          {t({
            zh: `请在 ${close} 前上报本网格的晚归、未归情况；无人晚归、未归也须上报"无"。`,
            en: `Report your cell's late and absent returns before ${close}; "none" must be reported too.`,
          })}
        </p>
      ) : phase === 'late' ? (
        <p class="flash error" role="status">
          {t({
            zh: `上报截止时间 ${close} 已过，未上报的网格已报告上级。${until} 前仍可补报或更正，将标记为逾时上报。`,
            en: `The deadline, ${close}, has passed and cells that had not reported were escalated. Until ${until} a report or correction is still taken, marked as late.`,
          })}
        </p>
      ) : props.over ? (
        <p class="card" role="status">
          <strong>{t(props.over.over)}</strong> {t(props.over.window)}
        </p>
      ) : null}
      {props.cells.map(({ cell, report }) => (
        <p class="card">
          <strong>{t(cell.name)}</strong>
          <br />
          {report
            ? t({
                zh: `今晚已上报（${report.byName} ${formatTime(report.at, tz)}）：${reportGist(report).zh}${report.earlier?.length ? '（已更正）' : ''}`,
                en: `Reported tonight (${report.byName} ${formatTime(report.at, tz)}): ${reportGist(report).en}${report.earlier?.length ? ' (corrected)' : ''}`,
              })
            : t({ zh: '今晚尚未上报', en: 'Not reported tonight yet' })}
        </p>
      ))}
      <Flash
        flash={
          props.sent
            ? {
                kind: 'ok',
                text: {
                  zh: '已上报，谢谢。如有变化可再次提交更正。',
                  en: 'Reported. Thank you. Send it again to correct it.',
                },
              }
            : null
        }
        lang={lang}
      />
      {/* A message given in the page's language only carries it in both slots: inLang shows it once. */}
      <Flash
        flash={
          form.problem
            ? refusalSummary(form.problem, form.errors, {
                label: rowFieldText,
                formLink:
                  phase !== 'closed'
                    ? {
                        href: `#${REPORT_FORM_ID}`,
                        text: { zh: '前往上报表单', en: 'Go to the report form' },
                      }
                    : undefined,
              })
            : null
        }
        lang={lang}
      />
      {phase !== 'closed' ? (
        <form method="post" action={props.action} id={REPORT_FORM_ID}>
          {props.csrf ? <input type="hidden" name="_csrf" value={props.csrf} /> : null}
          <input type="hidden" name="lateRows" value={String(form.rows.late)} />
          <input type="hidden" name="absentRows" value={String(form.rows.absent)} />
          {props.cells.length > 1 ? (
            <Field
              name="cellId"
              label={{ zh: '网格', en: 'Cell' }}
              lang={lang}
              control={(a) => (
                <select {...a}>
                  {props.cells.map(({ cell }) => (
                    <option value={cell.cellId} selected={cell.cellId === chosen}>
                      {t(cell.name)}
                    </option>
                  ))}
                </select>
              )}
            />
          ) : (
            <input type="hidden" name="cellId" value={chosen ?? ''} />
          )}
          <div class="actions">
            <button type="submit" name="kind" value="none" style="width:100%">
              {t({ zh: '无晚归、未归 — 一键上报', en: 'Nobody late or absent — report "none"' })}
            </button>
          </div>
          <datalist id="cell-rooms">
            {rooms.map((r) => (
              <option value={r} />
            ))}
          </datalist>
          {KINDS.map((k) => (
            <fieldset class="card">
              <legend>
                <strong>{t(kindText[k])}</strong>
              </legend>
              {/* Each row a group of its own, named with its list and number: the three fields
                  repeat row after row, and a screen reader reads the group's name with each. */}
              {Array.from({ length: form.rows[k] }, (_, i) => (
                <fieldset style={rowStyle}>
                  <legend class="hint" style="padding:0 .25rem">
                    {t(rowText(k, i))}
                  </legend>
                  {ENTRY_FIELDS.map((f) => (
                    <Field
                      name={`${k}.${i}.${f}`}
                      label={entryText[f]}
                      lang={lang}
                      errors={form.errors}
                      control={(a) => (
                        <input
                          {...a}
                          type="text"
                          value={form.values[a.name] ?? ''}
                          maxlength={zeroReportLimits[f]}
                          list={f === 'room' ? 'cell-rooms' : undefined}
                          autocomplete="off"
                        />
                      )}
                    />
                  ))}
                </fieldset>
              ))}
              <div class="actions">
                <button type="submit" name="add" value={k} class="secondary">
                  {t({
                    zh: `再加一行${kindText[k].zh}`,
                    en: `Add another ${kindText[k].en.toLowerCase()} row`,
                  })}
                </button>
              </div>
            </fieldset>
          ))}
          <div class="actions">
            <button type="submit" name="kind" value="list" style="width:100%">
              {t({ zh: '提交晚归、未归名单', en: 'Report the late and absent list' })}
            </button>
          </div>
        </form>
      ) : null}
      <p>
        <a href={props.boardHref}>{t({ zh: '查看当晚看板', en: 'Tonight’s board' })}</a>
      </p>
    </>
  );
}

/** The rows the form posted, the ones with anything typed, and where each came from on the form. */
function rowsPosted(values: Record<string, string>): {
  rows: Record<Kind, number>;
  entries: Record<Kind, { entry: ReturnEntry; row: number }[]>;
} {
  const count = (k: Kind) => {
    const n = Number(values[`${k}Rows`]);
    return Number.isInteger(n) && n >= 0 ? Math.min(n, MAX_ROWS) : FIRST_ROWS;
  };
  const rows = { late: count('late'), absent: count('absent') };
  const entries = { late: [], absent: [] } as Record<Kind, { entry: ReturnEntry; row: number }[]>;
  for (const k of KINDS)
    for (let i = 0; i < rows[k]; i++) {
      const given = Object.fromEntries(
        ENTRY_FIELDS.flatMap((f) => {
          const v = values[`${k}.${i}.${f}`]?.trim() ?? '';
          return v === '' ? [] : [[f, v]];
        }),
      ) as Partial<ReturnEntry>;
      if (Object.keys(given).length > 0) entries[k].push({ entry: given as ReturnEntry, row: i });
    }
  return { rows, entries };
}

/**
 * The nightly zero report over HTTP: a grid member's report
 * (`POST /api/zero-reports/{night}`, or the phone page `/zero-report/{night}/report`), the
 * night's board as JSON and as a page. Paths are absolute and each route authenticates itself.
 */
export function zeroReportRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  // A bearer token, or the signed-in page session (its CSRF token on forms): the pages work on a phone.
  const auth = bearerOrSession(deps) as unknown as MiddlewareHandler<AuthEnv>;
  const pageLang = (c: Context<AuthEnv>) => {
    const q = parseOr400(pageQuery, c.req.query(), callerLanguage(c), 'query');
    return { lang: pageLanguage(c, deps.publicBaseUrl, c.get('caller').person), asked: q.lang };
  };

  const board = async (c: Context<AuthEnv>) => {
    const lang = callerLanguage(c);
    const { night } = parseOr400(nightParam, c.req.param(), lang, 'path');
    // The rule only: requireRole names the roles that may, from ZERO_REPORT_BOARD_READERS itself.
    requireRole(c.get('caller'), [...ZERO_REPORT_BOARD_READERS], {
      zh: '您的角色不能查看零报告看板',
      en: 'your role may not read the zero-report board',
    });
    const [dir, rec] = await Promise.all([directoryOr503(deps), nightOr404(deps, night)]);
    return boardOf(dir, rec);
  };

  app.get('/api/zero-reports/:night', auth, async (c) => c.json(await board(c)));
  // Tonight's page by a fixed address (a menu item, a bookmark): the report form for a grid
  // member, the board for everyone else.
  // Before tonight's round opens (22:20), the menu leads to last night's board rather than to
  // a page saying tonight's has not begun.
  /** Whether the caller may read the board: the menu leads everyone there, and not all may. */
  const mayReadBoard = (c: Context<AuthEnv>) =>
    c.get('caller').person.roles.some((r) => (ZERO_REPORT_BOARD_READERS as readonly string[]).includes(r));
  /** The board refused, as a page: why, focused, and the way back to the board (or the workbench). */
  const boardRefusal = (
    c: Context<AuthEnv>,
    opts: { lang: Lang; query: string; text: Bilingual; status: 400 | 403 | 404; night?: string },
  ) =>
    shellPage(c, {
      title: { zh: '零报告看板', en: 'Zero-report board' },
      lang: opts.lang,
      status: opts.status,
      error: true,
      children: (
        <BoardRefusalBody
          lang={opts.lang}
          text={opts.text}
          status={opts.status}
          boardHref={opts.night ? `/zero-report/${opts.night}${opts.query}` : undefined}
          homeHref={`/app${opts.query}`}
        />
      ),
    });

  app.get('/zero-report', auth, async (c) => {
    const { lang, asked } = pageLang(c);
    const query = asked ? `?lang=${asked}` : '';
    // Not to a night's page that can only refuse them: who reports and reads the board, here.
    if (!mayReadBoard(c)) return boardRefusal(c, { lang, query, text: boardReadersText, status: 403 });
    const tonight = localDate(new Date().toISOString(), deps.env.CAMPUS_TZ);
    const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
    const rec = await loadNight(store, tonight);
    if (!rec) {
      const lastNight = new Date(Date.parse(`${tonight}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      if (await loadNight(store, lastNight)) return c.redirect(`/zero-report/${lastNight}${query}`, 302);
    }
    const { person } = c.get('caller');
    // A grid member on none of tonight's cells (named after the night opened) has nothing to
    // report tonight: the board, not a report page that can only refuse them.
    const grid =
      person.roles.includes('grid_member') &&
      (!rec || rec.night.cells.some((cell) => cell.memberIds.includes(person.id)));
    return c.redirect(`/zero-report/${tonight}${grid ? '/report' : ''}${query}`, 302);
  });
  /**
   * The board as a page: `BOARD_PAGE_CELLS` cells at a time (`after`, `before`: a cell of the
   * night), each list's first rows; `cell` shows one cell's whole report instead.
   */
  app.get('/zero-report/:night', auth, async (c) => {
    const { lang, asked } = pageLang(c);
    const query = asked ? `?lang=${asked}` : '';
    if (!mayReadBoard(c)) return boardRefusal(c, { lang, query, text: boardReadersText, status: 403 });
    const { night } = parseOr400(nightParam, c.req.param(), callerLanguage(c), 'path');
    const address = boardAddress(c.req.queries());
    if (!address.ok) return boardRefusal(c, { lang, query, text: address.text, status: 400, night });
    const at = address.at;
    let b: Awaited<ReturnType<typeof board>>;
    try {
      b = await board(c);
    } catch (err) {
      if (err instanceof NotOpenedTonightError) return notOpenedPage(deps, c, err.night, lang, asked);
      throw err;
    }
    const href = (query: Record<string, string>) => {
      const params = new URLSearchParams({ ...query, ...(asked ? { lang: asked } : {}) }).toString();
      return `/zero-report/${b.night}${params ? `?${params}` : ''}`;
    };
    const noCell = (cellId: string) =>
      boardRefusal(c, { lang, query, text: boardAddressText.noCell(b.night, cellId), status: 404, night });
    const title = { zh: `${b.night} 晚零报告`, en: `Zero report, night of ${b.night}` };
    if (at.cell !== undefined) {
      const cell = b.cells.find((x) => x.cellId === at.cell);
      if (!cell) return noCell(at.cell);
      return shellPage(c, {
        title: { zh: `${title.zh}：${cell.name.zh}`, en: `${title.en}: ${cell.name.en}` },
        lang,
        children: (
          <CellReportBody
            board={b}
            cell={cell}
            backHref={`${href(pageHolding(b.cells, cell.cellId))}#${cellAnchor(cell.cellId)}`}
            lang={lang}
            tz={deps.env.CAMPUS_TZ}
          />
        ),
      });
    }
    const page = boardPage(b.cells, at);
    if (!page) return noCell(at.after ?? at.before ?? '');
    const me = c.get('caller').person.id;
    const mine = b.cells.some((cell) => cell.members.some((m) => m.id === me));
    const reportHref = mine ? `/zero-report/${b.night}/report${asked ? `?lang=${asked}` : ''}` : undefined;
    return shellPage(c, {
      title,
      lang,
      children: (
        <BoardBody
          board={b}
          page={page}
          href={href}
          lang={lang}
          tz={deps.env.CAMPUS_TZ}
          reportHref={reportHref}
        />
      ),
    });
  });

  app.post('/api/zero-reports/:night', auth, async (c) => {
    const lang = callerLanguage(c);
    const { night } = parseOr400(nightParam, c.req.param(), lang, 'path');
    const caller: Caller = c.get('caller');
    requireRole(caller, ['grid_member'], onlyGridMembers);
    const body = await jsonBody(c, zeroReportBody);
    return c.json(await takeReport(deps, caller, night, body, lang, 'api'), 201);
  });

  /** The report page for the caller's cells tonight, with `form` (or the rows on record) in it. */
  const reportPage = async (
    c: Context<AuthEnv>,
    night: string,
    opts: { form?: ReportForm; status?: ContentfulStatusCode; sent?: boolean } = {},
  ) => {
    const { lang, asked } = pageLang(c);
    const caller = c.get('caller');
    requireRole(caller, ['grid_member'], onlyGridMembers);
    const [rec, dir] = await Promise.all([nightOr404(deps, night), directoryOr503(deps)]);
    const name = (id: string) => dir.people.find((p) => p.id === id)?.name ?? id;
    const cells = rec.night.cells
      .filter((x) => x.memberIds.includes(caller.person.id))
      .map((cell) => {
        const r = rec.reports.find((x) => x.cellId === cell.cellId);
        return { cell, report: r ? { ...r, byName: name(r.personId) } : undefined };
      });
    if (cells.length === 0) throw noCellProblem(deps, dir, rec, caller.person.id);
    const query = asked ? `?lang=${asked}` : '';
    const form = opts.form ?? formFrom(cells.length === 1 ? cells[0]?.report : undefined);
    const csrf = (c as unknown as Context<SessionOrBearerEnv>).get('csrfToken');
    return shellPage(c, {
      title: { zh: `${night} 晚零报告`, en: `Zero report, night of ${night}` },
      lang,
      status: opts.status ?? 200,
      error: Boolean(opts.form?.problem),
      children: (
        <ReportBody
          lang={lang}
          tz={deps.env.CAMPUS_TZ}
          night={night}
          closeAt={rec.night.closeAt}
          acceptUntil={rec.night.acceptUntil}
          now={Date.now()}
          over={(await nightClosed(deps, rec)) ? nightOverText(rec, deps.env.CAMPUS_TZ) : null}
          cells={cells}
          action={`/zero-report/${night}/report${query}`}
          boardHref={`/zero-report/${night}${query}`}
          csrf={csrf}
          form={form}
          sent={opts.sent ?? false}
        />
      ),
    });
  };

  app.get('/zero-report/:night/report', auth, async (c) => {
    const { night } = parseOr400(nightParam, c.req.param(), callerLanguage(c), 'path');
    try {
      return await reportPage(c, night, { sent: c.req.query('sent') === '1' });
    } catch (err) {
      if (!(err instanceof NotOpenedTonightError)) throw err;
      const { lang, asked } = pageLang(c);
      return notOpenedPage(deps, c, err.night, lang, asked);
    }
  });

  /**
   * The report page's form: `kind=none` (one tap), or `kind=list` with rows
   * `late.<i>.room|name|note` and `absent.<i>.…` (rows left blank are not sent); `add=late|absent`
   * shows one more row and keeps what was typed. What is refused comes back on the page, beside
   * its row, with what was typed.
   */
  app.post('/zero-report/:night/report', auth, async (c) => {
    const { lang, asked } = pageLang(c);
    const { night } = parseOr400(nightParam, c.req.param(), lang, 'path');
    const caller = c.get('caller');
    requireRole(caller, ['grid_member'], onlyGridMembers);
    const values = formValues(await formOr400(c));
    const { rows, entries } = rowsPosted(values);
    const again = (
      status: ContentfulStatusCode,
      problem?: Bilingual,
      errors: Record<string, Bilingual> = {},
    ) => reportPage(c, night, { form: { values, rows, errors, problem }, status });

    const add = values.add;
    if (add === 'late' || add === 'absent') {
      rows[add] = Math.min(MAX_ROWS, rows[add] + 1);
      return again(200);
    }
    const cellId = values.cellId?.trim() ? values.cellId.trim() : undefined;
    const filled = entries.late.length + entries.absent.length;
    if (values.kind === 'none' && filled > 0)
      return again(400, {
        zh: '名单中已填写了晚归或未归的人：要上报名单请点“提交晚归、未归名单”；确实无人晚归、未归，请先清空名单再点“无”。',
        en: 'The list names people late or absent: to report them, press "Report the late and absent list"; if nobody is, clear the list before reporting "none".',
      });
    if (values.kind !== 'none' && filled === 0)
      return again(400, {
        zh: '请至少填写一人的房间，或点“无晚归、未归 — 一键上报”。',
        en: 'Give the room of at least one person, or press "Nobody late or absent".',
      });
    const body = {
      ...(cellId ? { cellId } : {}),
      ...(values.kind === 'none' ? { none: true } : {}),
      late: entries.late.map((e) => e.entry),
      absent: entries.absent.map((e) => e.entry),
    };
    // A field of the body (late.<i>.room, the i-th row given) is a row of the form.
    const fieldOnForm = (path: string): string | undefined => {
      const m = /^(late|absent)\.(\d+)(?:\.(\w+))?$/.exec(path);
      if (!m) return undefined;
      const row = entries[m[1] as Kind][Number(m[2])]?.row;
      return row === undefined ? undefined : `${m[1]}.${row}.${m[3] ?? 'room'}`;
    };
    const split = (errs: [string, Bilingual][]) => {
      const errors: Record<string, Bilingual> = {};
      const general: Bilingual[] = [];
      for (const [path, text] of errs) {
        const at = fieldOnForm(path);
        if (at) errors[at] ??= text;
        else general.push(text);
      }
      return { errors, general };
    };
    const parsed = parseForm(zeroReportBody, body);
    if (!parsed.ok) {
      const { errors, general } = split(Object.entries(parsed.errors));
      const marked = { zh: '请修改下面标出的项。', en: 'Please correct what is marked below.' };
      return again(400, general[0] ?? marked, errors);
    }
    try {
      await takeReport(deps, caller, night, parsed.data, lang, 'page');
    } catch (err) {
      if (!(err instanceof ProblemError) || err.type === 'forbidden') throw err;
      const detail = typeof err.detail === 'string' ? splitBilingual(err.detail) : err.detail;
      // Field messages come in the page's language only: shown as they are, in both slots.
      const { errors } = split((err.errors ?? []).map((e) => [e.field, { zh: e.message, en: e.message }]));
      return again(problemTypes[err.type].status as ContentfulStatusCode, detail, errors);
    }
    return c.redirect(`/zero-report/${night}/report?sent=1${asked ? `&lang=${asked}` : ''}`, 303);
  });
  return app;
}

/** The `zero_report` one-click link: a grid member reports "none" for their cell. */
export function zeroReportActionHandlers(deps: AppDeps): Record<string, ActionHandler> {
  async function found(caseId: string, personId: string) {
    const id = parseZeroLinkCaseId(caseId);
    if (!id) return null;
    const rec = await loadNight({ ddb: deps.aws.ddb, tables: deps.aws.tables }, id.night);
    const cell = rec?.night.cells.find((c) => c.cellId === id.cellId);
    if (!rec || !cell || !cell.memberIds.includes(personId)) return null;
    return { rec, cell, night: id.night, onRecord: rec.reports.find((r) => r.cellId === cell.cellId) };
  }
  // The link only ever says "none": it must not silently replace a report that names students.
  const alreadyNone = (night: string, cell: ZeroCell) => ({
    message: {
      zh: `${night} 晚 ${cell.name.zh} 已上报过"无晚归、未归"，无需重复上报。谢谢。`,
      en: `${cell.name.en} already reported nobody late or absent on ${night}; nothing more to do. Thank you.`,
    },
  });
  const standing = (r: ZeroReport) => {
    const gist = reportGist(r);
    // The phone page where a grid member corrects the night's report (the link pages show text
    // only: the address in full, to tap or copy).
    const page = `${deps.publicBaseUrl}/zero-report/${r.night}/report`;
    return r.none
      ? { zh: `今晚已上报：${gist.zh}。`, en: `Already reported tonight: ${gist.en}.` }
      : {
          zh: `今晚已上报：${gist.zh}。此链接只能报告"无"，不会替换已有的上报；如情况有变，请打开零报告上报页面 ${page} 更正（可逐人修改名单，或改报"无"）。`,
          en: `Already reported tonight: ${gist.en}. This link can only report "none" and will not replace that report; if things have changed, correct it on the zero report page ${page} (edit the list, or report "none").`,
        };
  };
  // Once late reports are no longer taken the link has nothing to sign: its page says the night is
  // over, as the report page does, rather than offer a button whose press is refused.
  const closed = (f: NonNullable<Awaited<ReturnType<typeof found>>>) => {
    const { over, window } = nightOverText(f.rec, deps.env.CAMPUS_TZ);
    const onRecord = f.onRecord ? reportGist(f.onRecord) : null;
    return new PageOutcome(
      409,
      'closed',
      { zh: '零报告已结束', en: 'The zero report is over' },
      {
        zh: `${over.zh}${window.zh}${onRecord ? `${f.cell.name.zh}当晚已上报：${onRecord.zh}。` : `${f.cell.name.zh}当晚未上报。`}`,
        en: `${over.en} ${window.en} ${onRecord ? `${f.cell.name.en} reported that night: ${onRecord.en}.` : `${f.cell.name.en} did not report that night.`}`,
      },
    );
  };
  return {
    zero_report: {
      async describe(claims) {
        const f = await found(claims.caseId, claims.recipientId);
        if (!f) return null;
        if (await nightClosed(deps, f.rec)) throw closed(f);
        // A cell whose report names students: the link's one button ("none") would be refused, so
        // its page says what is on record and leads to where the report is corrected.
        if (f.onRecord && !f.onRecord.none) {
          const gist = reportGist(f.onRecord);
          throw new PageOutcome(
            409,
            'already_reported',
            { zh: `${f.cell.name.zh} 今晚已上报`, en: `${f.cell.name.en} has reported tonight` },
            {
              zh: `今晚已上报：${gist.zh}。此链接只能报告"无"，不会替换已有的上报；如情况有变，请在零报告上报页面更正（可逐人修改名单，或改报"无"）。`,
              en: `Already reported tonight: ${gist.en}. This link can only report "none" and will not replace that report; if things have changed, correct it on the zero report page (edit the list, or report "none").`,
            },
            undefined,
            {
              href: `${deps.publicBaseUrl}/zero-report/${f.night}/report`,
              label: { zh: '打开零报告上报页面', en: 'Open the zero report page' },
            },
          );
        }
        const rooms = {
          zh: `${f.cell.name.zh}，宿舍 ${f.cell.rooms.join('、')}`,
          en: `${f.cell.name.en}, rooms ${f.cell.rooms.join(', ')}`,
        };
        const onRecord = f.onRecord ? standing(f.onRecord) : null;
        return {
          title: {
            zh: `零报告：${f.night} ${f.cell.name.zh}${onRecord ? '（今晚已上报）' : ''}`,
            en: `Zero report: ${f.night} ${f.cell.name.en}${onRecord ? ' (already reported tonight)' : ''}`,
          },
          summary: onRecord
            ? { zh: `${onRecord.zh}\n${rooms.zh}`, en: `${onRecord.en}\n${rooms.en}` }
            : rooms,
          statement: {
            zh: `本人报告：${f.night} 晚 ${f.cell.name.zh} 无晚归、无未归学生。`,
            en: `I report that on the night of ${f.night} nobody in ${f.cell.name.en} returned late or is absent.`,
          },
        };
      },
      async perform(claims) {
        const f = await found(claims.caseId, claims.recipientId);
        if (!f) return { message: { zh: '该零报告已不存在。', en: 'This zero report no longer exists.' } };
        if (f.onRecord?.none) return alreadyNone(f.night, f.cell);
        if (f.onRecord) throw new ProblemError('conflict', standing(f.onRecord));
        let taken: ZeroReport;
        try {
          // The read above may be stale by now (a report taken meanwhile): the run decides again.
          taken = await submit(deps, f.rec, {
            cellId: f.cell.cellId,
            personId: claims.recipientId,
            via: 'link',
            late: [],
            absent: [],
            ifUnreported: true,
          });
        } catch (err) {
          if (!(err instanceof AlreadyReportedError)) throw err;
          if (err.onRecord.none) return alreadyNone(f.night, f.cell);
          throw new ProblemError('conflict', standing(err.onRecord));
        }
        // After the close the cell was already reported silent upward: say it came late.
        if (taken.afterClose)
          return {
            message: {
              zh: `已补报：${f.night} 晚 ${f.cell.name.zh} 无晚归、未归。此报告在关闭时间之后收到，已标记为补报；上级此前已收到本格未报的通知，现已另行告知。谢谢。`,
              en: `Reported late: nobody late or absent in ${f.cell.name.en} on ${f.night}. It came after the close and is marked late; the level above, told earlier that this cell had not reported, has been told it has. Thank you.`,
            },
          };
        return {
          message: {
            zh: `已上报：${f.night} 晚 ${f.cell.name.zh} 无晚归、未归。谢谢。`,
            en: `Reported: nobody late or absent in ${f.cell.name.en} on ${f.night}. Thank you.`,
          },
        };
      },
    },
  };
}
