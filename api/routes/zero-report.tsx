import { WorkflowNotFoundError, WorkflowUpdateFailedError, ApplicationFailure } from '@temporalio/client';
import { FAVICON_HREF } from '../pages/favicon.ts';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { localDate } from '../../domain/calendar.ts';
import type { Directory } from '../../domain/directory.ts';
import { inLang } from '../../domain/text.ts';
import {
  gridCells,
  nightCounts,
  NIGHT,
  parseZeroLinkCaseId,
  placeInCell,
  reportGist,
  zeroReportBody,
  type OffCellRoom,
  type ZeroCell,
  type ZeroReport,
} from '../../domain/zero-report.ts';
import { loadNight, type NightRecord } from '../../store/zero-reports.ts';
import {
  zeroReportUpdate,
  ZeroReportFailure,
  type ZeroReportUpdateInput,
} from '../../workflows/zero-report/messages.ts';
import type { AuthEnv, Caller } from '../auth.ts';
import { requireRole } from '../middleware/bearer-auth.ts';
import { bearerOrSession } from '../middleware/bearer-or-session.ts';
import type { ActionHandler, AppDeps } from '../deps.ts';
import { callerLanguage, ProblemError, type Lang } from '../middleware/problems.ts';
import { pageLanguage } from '../middleware/session.ts';
import { jsonBody, parseOr400 } from '../middleware/validation.ts';
import { directoryOrFail as directoryOr503 } from '../reads.ts';
import { boundedDate } from '../schemas.ts';
import { SCROLL_REGION_CSS, ScrollRegion } from '../pages/ui.tsx';

export const nightParam = z.object({
  // A calendar date that exists (not 2026-02-30) within the years Rectify keeps.
  night: z.string().regex(NIGHT, 'a date like 2026-12-04 / 日期格式如 2026-12-04').pipe(boundedDate),
});
const pageQuery = z.object({ lang: z.enum(['zh-CN', 'en']).optional() });

const BOARD_READERS = [
  'grid_member',
  'supervisor',
  'working_group',
  'leadership',
  'admin',
  'department_contact',
  'auditor',
] as const;

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
  throw new ProblemError('not_found', {
    zh: `${night} 晚的零报告尚未开始（每晚 22:20 开始）`,
    en: `the zero report of ${night} has not opened (it opens at 22:20 each night)`,
  });
}

/** An `ifUnreported` report the night's run refused: the cell's report on record when it decided. */
class AlreadyReportedError extends Error {
  constructor(readonly onRecord: ZeroReport) {
    super(`cell ${onRecord.cellId} has reported tonight already`);
  }
}

/** Sends a report to the night's run; its refusals become 4xx, never 500. */
async function submit(deps: AppDeps, rec: NightRecord, input: ZeroReportUpdateInput): Promise<ZeroReport> {
  const night = rec.night.night;
  try {
    return await deps.temporal.workflow
      .getHandle(rec.night.workflowId)
      .executeUpdate(zeroReportUpdate, { args: [input] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
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
    if (
      err instanceof WorkflowNotFoundError ||
      err instanceof WorkflowUpdateFailedError ||
      (err instanceof Error && /completed|closed/i.test(err.message))
    )
      throw new ProblemError('conflict', {
        zh: `${night} 晚的零报告已截止，不再接收上报`,
        en: `the zero report of ${night} is closed and takes no more reports`,
      });
    throw err;
  }
}

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
      report: report ? { ...report, byName: name(report.personId) } : undefined,
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

const statusText = {
  missing: { zh: '未报', en: 'missing' },
  none: { zh: '无（零报告）', en: 'none' },
  reported: { zh: '已报', en: 'reported' },
} as const;

function BoardPage(props: { board: ZeroBoard; lang: Lang }) {
  const { board, lang } = props;
  const t = (x: { zh: string; en: string }) => (lang === 'en' ? `${x.en} / ${x.zh}` : `${x.zh} / ${x.en}`);
  const entries = (xs: { room: string; name?: string | undefined; note?: string | undefined }[]) =>
    xs.map((e) => [e.room, e.name, e.note].filter(Boolean).join(' ')).join('；');
  const c = board.counts;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t({ zh: `零报告 ${board.night}`, en: `Zero report ${board.night}` })}</title>
        <link rel="icon" href={FAVICON_HREF} />
        <style>{`body{font-family:system-ui,sans-serif;margin:1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}.missing{background:#fde2e2}.none{background:#e6f4ea}${SCROLL_REGION_CSS}`}</style>
      </head>
      <body>
        <h1>{t({ zh: `${board.night} 晚零报告`, en: `Zero report, night of ${board.night}` })}</h1>
        <p>
          {t({
            zh: `网格 ${c.cells} 个，已报 ${c.reported}（其中报"无" ${c.none}），未报 ${c.missing}；晚归 ${c.late} 人，未归 ${c.absent} 人`,
            en: `${c.cells} cells, ${c.reported} reported (${c.none} "none"), ${c.missing} missing; ${c.late} late, ${c.absent} absent`,
          })}
        </p>
        {/* Six columns do not fit a phone: they keep a readable width and scroll on their own, the page stays put. */}
        <ScrollRegion label={t({ zh: '各网格上报情况', en: 'Reports by grid cell' })}>
          <table style="min-width:40rem">
            <thead>
              <tr>
                <th>{t({ zh: '网格', en: 'Cell' })}</th>
                <th>{t({ zh: '网格员', en: 'Grid members' })}</th>
                <th>{t({ zh: '状态', en: 'Status' })}</th>
                <th>{t({ zh: '晚归', en: 'Late' })}</th>
                <th>{t({ zh: '未归', en: 'Absent' })}</th>
                <th>{t({ zh: '上报 / 上级', en: 'Reported by / escalated to' })}</th>
              </tr>
            </thead>
            <tbody>
              {board.cells.map((cell) => (
                <tr class={cell.status}>
                  <td>{t(cell.name)}</td>
                  <td>{cell.members.map((m) => m.name).join('、')}</td>
                  <td>{t(statusText[cell.status])}</td>
                  <td>{cell.report ? entries(cell.report.late) : ''}</td>
                  <td>{cell.report ? entries(cell.report.absent) : ''}</td>
                  <td>
                    {cell.report
                      ? `${cell.report.byName} ${cell.report.at}${cell.report.afterClose ? ' ⚠' : ''}`
                      : ''}
                    {cell.escalation ? `→ ${cell.escalation.toNames.join('、')}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </body>
    </html>
  );
}

/**
 * The nightly zero report over HTTP: a grid member's report
 * (`POST /api/zero-reports/{night}`), the night's board as JSON and as a page.
 * Paths are absolute and each route authenticates itself.
 */
export function zeroReportRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  // A bearer token, or the signed-in page session (its CSRF token on forms): the pages work on a phone.
  const auth = bearerOrSession(deps) as unknown as MiddlewareHandler<AuthEnv>;

  const board = async (c: Context<AuthEnv>) => {
    const lang = callerLanguage(c);
    const { night } = parseOr400(nightParam, c.req.param(), lang, 'path');
    requireRole(c.get('caller'), [...BOARD_READERS], {
      zh: '零报告看板仅供网格员、主管、工作小组、校领导、院系联系人查看',
      en: 'the zero-report board is for grid members, supervisors, the working group, leadership and departments',
    });
    const [dir, rec] = await Promise.all([directoryOr503(deps), nightOr404(deps, night)]);
    return boardOf(dir, rec);
  };

  app.get('/api/zero-reports/:night', auth, async (c) => c.json(await board(c)));
  app.get('/zero-report/:night', auth, async (c) => {
    parseOr400(pageQuery, c.req.query(), callerLanguage(c), 'query');
    const lang = pageLanguage(c, deps.publicBaseUrl, c.get('caller').person);
    return c.html('<!doctype html>' + String(<BoardPage board={await board(c)} lang={lang} />));
  });

  app.post('/api/zero-reports/:night', auth, async (c) => {
    const lang = callerLanguage(c);
    const { night } = parseOr400(nightParam, c.req.param(), lang, 'path');
    const caller: Caller = c.get('caller');
    requireRole(caller, ['grid_member'], {
      zh: '零报告由网格员上报',
      en: 'zero reports are made by grid members',
    });
    const body = await jsonBody(c, zeroReportBody);
    const [rec, dir] = await Promise.all([nightOr404(deps, night), directoryOr503(deps)]);
    const mine = rec.night.cells.filter((x) => x.memberIds.includes(caller.person.id));
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
    const report = await submit(deps, rec, {
      cellId,
      personId: caller.person.id,
      via: 'api',
      late: placed.late,
      absent: placed.absent,
    });
    return c.json(report, 201);
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
    return r.none
      ? { zh: `今晚已上报：${gist.zh}。`, en: `Already reported tonight: ${gist.en}.` }
      : {
          zh: `今晚已上报：${gist.zh}。此链接只能报告"无"，不会替换已有的上报；如情况有变，请通过应用或 API 更正上报。`,
          en: `Already reported tonight: ${gist.en}. This link can only report "none" and will not replace that report; if things have changed, correct the report through the app or the API.`,
        };
  };
  return {
    zero_report: {
      async describe(claims) {
        const f = await found(claims.caseId, claims.recipientId);
        if (!f) return null;
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
        try {
          // The read above may be stale by now (a report taken meanwhile): the run decides again.
          await submit(deps, f.rec, {
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
