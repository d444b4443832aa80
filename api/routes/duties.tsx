import { formOr400 } from '../form-body.ts';
import { pageLanguage } from '../middleware/session.ts';
import { shellPage } from '../pages/shell-page.tsx';
import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { addDays, localDate, localTime } from '../../domain/calendar.ts';
import { unlistedPlaceName } from '../../domain/place-name.ts';
import type { Directory } from '../../domain/directory.ts';
import {
  completionRatio,
  completionSchema,
  dutyById,
  duties,
  evidenceKinds,
  evidenceNames,
  evidenceNotTaken,
  evidenceNotTakenText,
  frequencyNames,
  ownerNames,
  partOf,
  reminderText,
  sameCompletion,
  statusNames,
  type CompletionInput,
  type DutyDefinition,
  type DutyOccurrence,
} from '../../domain/duties.ts';
import { citation, standardItem } from '../../domain/standards/catalogue.ts';
import { inLang, splitBilingual, type Bilingual } from '../../domain/text.ts';
import { getOccurrence, occurrencesDue } from '../../store/duties.ts';
import {
  DutyOccurrenceFailure,
  dutyOccurrenceQuery,
  recordDutyUpdate,
} from '../../workflows/duty/messages.ts';
import type { AuthEnv, Caller } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { bearerOrSession, type SessionOrBearerEnv } from '../middleware/bearer-or-session.ts';
import { callerLanguage, ProblemError, problemTypes, type Lang } from '../middleware/problems.ts';
import { jsonOnly, parseOr400 } from '../middleware/validation.ts';
import { directoryOrFail } from '../reads.ts';
import { boundedDate, langQuerySchema, safeString, wholeNumber } from '../schemas.ts';
import { formValues, parseForm } from '../pages/app/web-kit.tsx';
import { Field, Flash, formatTime, ScrollRegion, type FieldErrors, type FlashMessage } from '../pages/ui.tsx';
import { bi, documentResponse, JSON_TYPE, problems } from './declare.ts';
import { refusalSummary } from './refusal-summary.ts';

/** Roles that see every building's duties (the compliance calendar's board). */
const CAMPUS_READERS = ['admin', 'working_group', 'leadership', 'auditor'] as const;

// Dates in the years the API accepts (2000–2100), as every route's.
const date = boundedDate;
const valid = (d: string | undefined) => d !== undefined && date.safeParse(d).success;
const listFields = {
  buildingId: z.string().min(1).max(64).optional(),
  from: date.optional(),
  to: date.optional(),
  status: z.enum(['open', 'completed', 'missed']).optional(),
  limit: wholeNumber(1, 200).default(50),
  cursor: z.string().min(1).max(2048).optional(),
};
type ListFilters = z.infer<z.ZodObject<typeof listFields>>;
/** The dates in order, and at most 400 days apart: the API's and the page's rule alike. */
const orderedDates = <S extends z.ZodType<ListFilters>>(schema: S) =>
  schema
    .refine((q) => !q.from || !q.to || q.from <= q.to, {
      path: ['to'],
      message: 'to must not be before from / to 不能早于 from',
    })
    // Only between two valid dates: a bad one is already its own field's error (and addDays throws on it).
    .refine((q) => !valid(q.from) || !valid(q.to) || (q.to ?? '') <= addDays(q.from ?? '', 400), {
      path: ['to'],
      message: 'at most 400 days at a time / 一次最多查询 400 天',
    });
/** The API's: a misspelt filter is an error a script's author is told about. */
const listQuery = orderedDates(z.strictObject({ ...listFields, lang: z.enum(['zh-CN', 'en']).optional() }));
/**
 * The page's: a link from a mail or a bookmark carries what the site never asked for (utm_source,
 * a `lang` the language chooser does not know); a page ignores it, as every other page does.
 */
const pageListQuery = orderedDates(z.object(listFields));
const occurrenceParam = z.strictObject({
  occurrenceId: z
    .string()
    .regex(
      /^duty\.[a-z-]+\.[A-Za-z0-9_.:-]+$/,
      '须为职责实例编号，如 duty.manager-round.bldg-a.2026-12-04 / must be a duty occurrence id such as duty.manager-round.bldg-a.2026-12-04',
    ),
});

/**
 * A completion as a request carries it: the domain's shape (strict, and `extend` keeps it so), with
 * every text safe to store, show and mail.
 */
const completionBody = completionSchema.extend({
  part: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .pipe(safeString({ singleLine: true }))
    .optional(),
  note: z.string().trim().max(2000).pipe(safeString()).optional(),
  evidence: z
    .array(
      z.strictObject({
        kind: z.enum(evidenceKinds),
        ref: z
          .string()
          .trim()
          .min(1)
          .max(300)
          .pipe(safeString({ singleLine: true })),
      }),
    )
    .max(20)
    .default([]),
});

const listDutiesRoute = createRoute({
  method: 'get',
  path: '/api/duties',
  operationId: 'listDuties',
  tags: ['duties'],
  summary: bi({
    zh: '例行职责目录（频次、责任人、佐证、提醒）',
    en: 'The recurring duties (frequency, owner, evidence, reminders)',
  }),
  request: { query: langQuerySchema },
  responses: {
    200: documentResponse(JSON_TYPE, {
      zh: '职责及其所依据的 6T 条目',
      en: 'Each duty with the 6T items it comes from',
    }),
    ...problems([400, 401, 503]),
  },
});

const listOccurrencesRoute = createRoute({
  method: 'get',
  path: '/api/duties/occurrences',
  operationId: 'listDutyOccurrences',
  tags: ['duties'],
  summary: bi({
    zh: '职责日历：按截止日期列出各楼栋的待办与完成情况',
    en: 'The compliance calendar: occurrences by due date, with the completion rate',
  }),
  description: bi({
    zh: '默认从昨天起一年内到期的；工作小组、管理员、校领导、审计看全部楼栋，其他人看自己负责或督导的。按截止日期排序；limit 默认 50、最多 200；把 nextCursor 作为 cursor 取下一页，筛选条件须与取得它的请求相同（否则 400）。完成率按全部符合条件的实例计，不只本页。',
    en: 'By default those due from yesterday to a year ahead; the working group, admins, leadership and auditors see every building, others what they own or supervise. By due date; limit defaults to 50, at most 200; pass nextCursor as cursor for the next page, with the same filters as the request that returned it (else 400). The completion rate counts every occurrence the filters select, not the page only.',
  }),
  request: { query: listQuery },
  responses: {
    200: documentResponse(JSON_TYPE, { zh: '职责实例与完成率', en: 'Occurrences and the completion rate' }),
    ...problems([400, 401, 404, 503]),
  },
});

const getOccurrenceRoute = createRoute({
  method: 'get',
  path: '/api/duties/occurrences/{occurrenceId}',
  operationId: 'getDutyOccurrence',
  tags: ['duties'],
  summary: bi({ zh: '一次职责及其完成记录', en: 'One occurrence and its completions' }),
  request: { params: occurrenceParam, query: langQuerySchema },
  responses: {
    200: documentResponse(JSON_TYPE, { zh: '职责实例', en: 'The occurrence' }),
    ...problems([400, 401, 403, 404, 503]),
  },
});

const recordRoute = createRoute({
  method: 'post',
  path: '/api/duties/occurrences/{occurrenceId}/completions',
  operationId: 'recordDutyCompletion',
  tags: ['duties'],
  summary: bi({
    zh: '登记完成（说明、时长、佐证材料）',
    en: 'Record a completion (note, minutes, evidence refs)',
  }),
  description: bi({
    zh: '由责任人或楼栋主管登记；缺少佐证或时长不足返回 422 并说明所缺内容；附了该职责不收的佐证种类也返回 422，并列出它收的种类。重复提交是安全的：同一人再次提交与已登记的完成记录完全相同的内容（环节、说明、时长、佐证，佐证顺序不计）时不会重复计数，返回 200 与该职责实例的现状（职责已完成时也是如此），并带 "duplicate": true；新登记的返回 "duplicate": false。确实又做了一次（如又一次文化活动）时，请用不同的说明或佐证登记。',
    en: 'By an owner or the building\'s supervisor; missing evidence or too few minutes is a 422 naming what is missing; evidence of a kind the duty does not take is a 422 too, naming the kinds it takes. Safe to retry: a completion the same person already recorded with the same content (part, note, minutes and evidence, in any order) is not counted again; the answer is 200 with the occurrence as it stands (also once the occurrence is completed) and "duplicate": true, where a completion recorded now answers "duplicate": false. A real further completion (another cultural activity, say) carries its own note or evidence.',
  }),
  middleware: [jsonOnly],
  request: {
    params: occurrenceParam,
    query: langQuerySchema,
    body: { required: true, content: { [JSON_TYPE]: { schema: completionBody } } },
  },
  responses: {
    200: documentResponse(JSON_TYPE, {
      zh: '登记后的职责实例，另有 duplicate：此前已登记过相同的完成记录时为 true（未重复计数）',
      en: 'The occurrence after it, with duplicate: true when the same completion was on record already (not counted again)',
    }),
    ...problems([400, 401, 403, 404, 409, 415, 422, 503], {
      404: { zh: '没有该职责实例', en: 'No such occurrence' },
      409: { zh: '该职责已完成或已逾期', en: 'The occurrence is done or missed' },
      422: { zh: '环节、佐证或时长不符合要求', en: 'Part, evidence or minutes not as the duty asks' },
    }),
  },
});

export const dutyRouteDefinitions: RouteConfig[] = [
  listDutiesRoute,
  listOccurrencesRoute,
  getOccurrenceRoute,
  recordRoute,
];

const isCampusReader = (caller: Caller) =>
  caller.person.roles.some((r) => (CAMPUS_READERS as readonly string[]).includes(r));
const mayRecord = (caller: Caller, o: DutyOccurrence) =>
  o.ownerIds.includes(caller.person.id) || o.supervisorIds.includes(caller.person.id);
const mayRead = (caller: Caller, o: DutyOccurrence) => isCampusReader(caller) || mayRecord(caller, o);

/** An occurrence with its duty's and building's names and the items it cites, for the API and the page. */
function described(o: DutyOccurrence, dir: Directory) {
  const d = dutyById(o.dutyId);
  return {
    ...o,
    buildingName: dir.buildings.find((b) => b.id === o.buildingId)?.name,
    // By name, as the directory has them: a reader is told who, not an id (one who left keeps it).
    owners: o.ownerIds.map((id) => ({ id, name: dir.people.find((p) => p.id === id)?.name ?? id })),
    name: d?.name,
    frequency: d?.frequency,
    evidenceExpected: d?.evidence ?? [],
    minMinutes: d?.minMinutes,
    items: (d?.items ?? []).map((id) => {
      const item = standardItem(id);
      return { id, citation: item ? citation(item) : { zh: id, en: id } };
    }),
  };
}

function catalogue() {
  return duties.map((d) => ({
    ...d,
    frequencyName: frequencyNames[d.frequency],
    ownerName: ownerNames[d.owner],
    evidenceNames: d.evidence.map((k) => evidenceNames[k]),
    citations: d.items.map((id) => {
      const item = standardItem(id);
      return { id, citation: item ? citation(item) : { zh: id, en: id } };
    }),
  }));
}

/** The duties of a period the caller may see, with the completion rate over those decided. */
async function listFor(
  deps: AppDeps,
  caller: Caller,
  dir: Directory,
  q: {
    buildingId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    status?: string | undefined;
    limit?: number | undefined;
    cursor?: string | undefined;
  },
) {
  if (q.buildingId && !dir.buildings.some((b) => b.id === q.buildingId))
    throw new ProblemError('not_found', {
      zh: `没有楼栋 ${q.buildingId}`,
      en: `no building ${q.buildingId}`,
    });
  const today = localDate(new Date().toISOString(), deps.env.CAMPUS_TZ);
  const from = q.from ?? addDays(today, -1);
  const to = q.to ?? addDays(from, 366);
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const buildings = q.buildingId ? [q.buildingId] : dir.buildings.map((b) => b.id);
  const all = (await Promise.all(buildings.map((b) => occurrencesDue(store, b, from, to)))).flat();
  const visible = all.filter((o) => mayRead(caller, o));
  const occurrences = visible
    .filter((o) => !q.status || o.status === q.status)
    .sort((a, b) => a.due.localeCompare(b.due) || a.occurrenceId.localeCompare(b.occurrenceId));
  const ratio = completionRatio(visible);
  const filters = filtersOf({ ...q, from, to });
  const after = q.cursor === undefined ? undefined : afterCursor(q.cursor, filters);
  const rest = after === undefined ? occurrences : occurrences.filter((o) => orderKey(o) > after);
  const limit = q.limit ?? 50;
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return {
    from,
    to,
    completion: {
      ...ratio,
      rate: ratio.den === 0 ? null : Math.round((10_000 * ratio.num) / ratio.den) / 10_000,
    },
    occurrences: page.map((o) => described(o, dir)),
    nextCursor: rest.length > limit && last ? cursorOf(orderKey(last), filters) : null,
  };
}

/** Where an occurrence sorts in the calendar (due, then id): what a cursor points after. */
const orderKey = (o: DutyOccurrence) => `${o.due}|${o.occurrenceId}`;
const filtersOf = (q: {
  buildingId?: string | undefined;
  from: string;
  to: string;
  status?: string | undefined;
}) => [q.buildingId ?? '', q.from, q.to, q.status ?? ''].join('|');
const cursorOf = (after: string, filters: string) =>
  Buffer.from(JSON.stringify({ after, filters }), 'utf8').toString('base64url');

/** The position a cursor carries, refused (400) when it is not one or came from other filters. */
function afterCursor(cursor: string, filters: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const c = z.object({ after: z.string(), filters: z.string() }).safeParse(parsed);
  if (!c.success)
    throw new ProblemError('validation', {
      zh: 'cursor 无效：请使用上一页返回的 nextCursor',
      en: 'cursor is not valid: use the nextCursor of the page before',
    });
  if (c.data.filters !== filters)
    throw new ProblemError('validation', {
      zh: 'cursor 来自筛选条件不同的请求：取下一页时请保持 buildingId、from、to、status 不变',
      en: 'cursor came from a request with other filters: keep buildingId, from, to and status for the next page',
    });
  return c.data.after;
}

const recordRefusal = () =>
  new ProblemError('forbidden', {
    zh: '只有责任人或楼栋主管可以登记',
    en: "only the duty's owners or the building's supervisors may record it",
  });

/** The occurrence, when the caller may read it; a caller who came to record is told who may record. */
async function readable(
  deps: AppDeps,
  caller: Caller,
  occurrenceId: string,
  toRecord = false,
): Promise<DutyOccurrence> {
  const o = await getOccurrence({ ddb: deps.aws.ddb, tables: deps.aws.tables }, occurrenceId);
  if (!o)
    throw new ProblemError('not_found', {
      zh: `没有职责 ${occurrenceId}`,
      en: `no duty occurrence ${occurrenceId}`,
    });
  if (!mayRead(caller, o)) {
    if (toRecord) throw recordRefusal();
    throw new ProblemError('forbidden', {
      zh: '职责由责任人和楼栋主管查看；工作小组、管理员、校领导、审计可看全部',
      en: "a duty is for its owners and the building's supervisors; the working group, admins, leadership and auditors see all",
    });
  }
  return o;
}

/**
 * Records a completion through the occurrence's workflow, which decides. `duplicate` when the
 * same person had recorded the same completion already (a retry, a double tap): nothing counted.
 */
async function record(
  deps: AppDeps,
  caller: Caller,
  occurrenceId: string,
  body: CompletionInput,
  lang: Lang,
): Promise<{ occurrence: DutyOccurrence; duplicate: boolean }> {
  const o = await readable(deps, caller, occurrenceId, true);
  if (!mayRecord(caller, o)) throw recordRefusal();
  const duty = dutyById(o.dutyId);
  if (duty) refuseEvidenceNotTaken(duty, body, lang);
  // Sent again (a retry, a double tap): the completion on record answers, counted once, even once
  // the occurrence is over. The occurrence's run decides the same for two sent at once.
  const given = { ...body, part: duty ? partOf(duty, body) : (body.part ?? ''), by: caller.person.id };
  if (o.completions.some((c) => sameCompletion(c, given))) return { occurrence: o, duplicate: true };
  if (o.status !== 'open') throw new ProblemError('conflict', overText(o.status));
  try {
    const { duplicate, ...occurrence } = await deps.temporal.workflow
      .getHandle(occurrenceId)
      .executeUpdate(recordDutyUpdate, { args: [{ ...body, by: caller.person.id }] });
    return { occurrence, duplicate: duplicate === true };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const [zh = err.cause.message, en = err.cause.message] = err.cause.message.split(' / ');
      if (err.cause.type === DutyOccurrenceFailure.NotOwner)
        throw new ProblemError('forbidden', {
          zh: '您不是该职责的责任人',
          en: 'you are not an owner of this duty',
        });
      if (err.cause.type === DutyOccurrenceFailure.Closed) return closedMeanwhile(deps, occurrenceId, given);
      throw new ProblemError('unprocessable', { zh, en });
    }
    if (err instanceof WorkflowNotFoundError) return closedMeanwhile(deps, occurrenceId, given);
    throw err;
  }
}

/**
 * Evidence of a kind the duty does not ask for is refused (422), each such item named by its
 * field: stored, it would show on the duty's record as if the duty had asked for it.
 */
function refuseEvidenceNotTaken(duty: DutyDefinition, body: CompletionInput, lang: Lang): void {
  const kinds = evidenceNotTaken(duty, body.evidence);
  if (kinds.length === 0) return;
  const text = evidenceNotTakenText(duty, kinds);
  throw new ProblemError(
    'unprocessable',
    text,
    body.evidence.flatMap((e, i) =>
      kinds.includes(e.kind) ? [{ field: `evidence.${i}.kind`, message: inLang(text, lang) }] : [],
    ),
  );
}

/** Why nothing more is taken: the occurrence is over (done or missed), never "open". */
const overText = (status: DutyOccurrence['status']): Bilingual => {
  const over = status === 'open' ? 'completed' : status;
  return {
    zh: `该职责${statusNames[over].zh}，不能再登记`,
    en: `this duty is ${statusNames[over].en.toLowerCase()}; nothing more can be recorded`,
  };
};

/**
 * The occurrence closed between our read and the run taking the completion: most often a double
 * tap whose twin completed it. Read it again (the run's own state first, the store when the run is
 * gone) and answer a completion already on record as a retry, anything else as the conflict it is.
 */
async function closedMeanwhile(
  deps: AppDeps,
  occurrenceId: string,
  given: Parameters<typeof sameCompletion>[1],
): Promise<{ occurrence: DutyOccurrence; duplicate: boolean }> {
  const now =
    (await deps.temporal.workflow
      .getHandle(occurrenceId)
      .query(dutyOccurrenceQuery)
      .catch(() => undefined)) ??
    (await getOccurrence({ ddb: deps.aws.ddb, tables: deps.aws.tables }, occurrenceId));
  if (now?.completions.some((c) => sameCompletion(c, given))) return { occurrence: now, duplicate: true };
  throw new ProblemError('conflict', overText(now?.status ?? 'completed'));
}

/** `/api/duties…`: the duty catalogue and the compliance calendar as JSON (bearer token). */
export function dutyRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(listDutiesRoute, (c) => c.json({ duties: catalogue() }, 200));
  app.openapi(listOccurrencesRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json(await listFor(deps, c.get('caller'), await directoryOrFail(deps), q), 200);
  });
  app.openapi(getOccurrenceRoute, async (c) => {
    const { occurrenceId } = c.req.valid('param');
    const [o, dir] = await Promise.all([
      readable(deps, c.get('caller'), occurrenceId),
      directoryOrFail(deps),
    ]);
    return c.json(described(o, dir), 200);
  });
  app.openapi(recordRoute, async (c) => {
    const { occurrenceId } = c.req.valid('param');
    const r = await record(deps, c.get('caller'), occurrenceId, c.req.valid('json'), callerLanguage(c));
    return c.json({ ...described(r.occurrence, await directoryOrFail(deps)), duplicate: r.duplicate }, 200);
  });
  return app;
}

/** A building as the page's reader calls it: 学生公寓A栋, or its English name; its id, marked so, when the directory lacks it. */
const buildingText = (o: { buildingId: string; buildingName?: Bilingual | undefined }, lang: Lang) =>
  inLang(o.buildingName ?? unlistedPlaceName({ buildingId: o.buildingId }), lang);
/** When an occurrence is due, on the campus clock: a daily duty is due at a time, not a day. */
const dueText = (o: { due: string }, tz: string) => `${localDate(o.due, tz)} ${localTime(o.due, tz)}`;
/** Who the duty falls to, by name. */
const ownersText = (o: { owners: { name: string }[] }, lang: Lang) =>
  o.owners.map((p) => p.name).join(lang === 'en' ? ', ' : '、');
/** Each part's count against what it needs; completions past the need are said apart, not as "2/1". */
const progressText = (o: DutyOccurrence, lang: Lang) =>
  o.progress
    .map((p) => {
      const label = inLang(p.label, lang);
      if (p.done <= p.times) return `${label} ${p.done}/${p.times}`;
      return lang === 'en'
        ? `${label} ${p.times}/${p.times} (${p.done} recorded)`
        : `${label} ${p.times}/${p.times}（共登记 ${p.done} 次）`;
    })
    .join(' · ');
/** A term's label: occurrences stored before it was split carry the calendar's "中文 / English" name in both. */
const periodText = (label: Bilingual): Bilingual =>
  label.zh === label.en ? splitBilingual(label.zh) : label;

/** The app's badge colours: done is met, missed is breached, open is still pending. */
const statusBadge = { open: 'pending', completed: 'met', missed: 'breached' } as const;

function StatusBadge(props: { status: DutyOccurrence['status']; lang: Lang }) {
  return (
    <span class={`badge ${statusBadge[props.status]}`}>{inLang(statusNames[props.status], props.lang)}</span>
  );
}

function ListBody(props: {
  tz: string;
  lang: Lang;
  list: Awaited<ReturnType<typeof listFor>>;
  board: boolean;
  nextHref?: string | undefined;
}) {
  const { list, lang } = props;
  const t = (x: Bilingual) => inLang(x, lang);
  const rate = list.completion.rate === null ? '—' : `${Math.round(list.completion.rate * 1000) / 10}%`;
  return (
    <>
      <p class="muted">
        {t({
          zh: `列出截止日期在 ${list.from} 至 ${list.to}（含）之间的职责；完成率 ${rate}（${list.completion.num}/${list.completion.den}，按已完成或已逾期的计）`,
          en: `Duties due from ${list.from} through ${list.to}; completion ${rate} (${list.completion.num}/${list.completion.den} of those done or missed)`,
        })}
      </p>
      {list.occurrences.length === 0 ? (
        <p class="card">{t({ zh: '这段时间没有到期的职责。', en: 'No duties are due in this period.' })}</p>
      ) : props.board ? (
        <ScrollRegion label={t({ zh: '各楼栋的职责', en: 'Duties by building' })}>
          <table>
            <thead>
              <tr>
                <th>{t({ zh: '楼栋', en: 'Building' })}</th>
                <th>{t({ zh: '职责', en: 'Duty' })}</th>
                <th>{t({ zh: '周期', en: 'Period' })}</th>
                <th>{t({ zh: '截止', en: 'Due' })}</th>
                <th>{t({ zh: '责任人', en: 'Owners' })}</th>
                <th>{t({ zh: '状态', en: 'Status' })}</th>
                <th>{t({ zh: '案件', en: 'Case' })}</th>
              </tr>
            </thead>
            <tbody>
              {list.occurrences.map((o) => (
                <tr>
                  <td>{buildingText(o, lang)}</td>
                  <td>
                    <a href={`/duties/${o.occurrenceId}`}>{o.name ? t(o.name) : o.dutyId}</a>
                  </td>
                  <td>{t(periodText(o.periodLabel))}</td>
                  <td>{dueText(o, props.tz)}</td>
                  <td>{ownersText(o, lang)}</td>
                  <td>
                    <StatusBadge status={o.status} lang={lang} />
                  </td>
                  <td>{o.caseId ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : (
        list.occurrences.map((o) => (
          <div class="card">
            <a href={`/duties/${o.occurrenceId}`}>
              <strong>{o.name ? t(o.name) : o.dutyId}</strong>
            </a>{' '}
            <StatusBadge status={o.status} lang={lang} />
            <br />
            {buildingText(o, lang)}
            {' · '}
            {t({ zh: `责任人：${ownersText(o, lang)}`, en: `Owners: ${ownersText(o, lang)}` })}
            <br />
            <small class="muted">
              {t({ zh: `截止 ${dueText(o, props.tz)} `, en: `due ${dueText(o, props.tz)} ` })}
              {progressText(o, lang)}
            </small>
          </div>
        ))
      )}
      {props.nextHref ? (
        <p>
          <a href={props.nextHref}>{t({ zh: '下一页', en: 'Next page' })}</a>
        </p>
      ) : null}
    </>
  );
}

function OccurrenceBody(props: {
  tz: string;
  lang: Lang;
  o: ReturnType<typeof described>;
  names: (personId: string) => string;
  canRecord: boolean;
  csrf?: string | undefined;
  flash?: FlashMessage | null | undefined;
  /** The form as it was posted, shown again beside what to correct. */
  form?: DutyForm | undefined;
}) {
  const { o, lang } = props;
  const values = props.form?.values ?? {};
  const errors = props.form?.errors;
  const t = (x: Bilingual) => inLang(x, lang);
  const d = dutyById(o.dutyId);
  const due = dueText(o, props.tz);
  // A part as the form offers it (早高峰), not its key (morning).
  const partName = (key: string) => {
    const part = d?.parts.find((p) => p.key === key);
    return part ? t(part.label) : key;
  };
  const recording = props.canRecord && o.status === 'open';
  // A refusal links each field in error, or the form when it names none (and the page still shows it).
  const flash =
    props.flash?.kind === 'error'
      ? refusalSummary(props.flash.text, errors ?? {}, {
          label: (k) => fieldLabel(k),
          formLink: recording
            ? {
                href: `#${RECORD_TITLE_ID}`,
                text: { zh: '前往表单「登记完成」', en: 'Go to the form “Record it”' },
              }
            : undefined,
        })
      : props.flash;
  return (
    <>
      <Flash flash={flash} lang={lang} />
      <div class="card">
        <p>
          {buildingText(o, lang)} · {t(periodText(o.periodLabel))} ·{' '}
          {t({ zh: `截止 ${due}`, en: `due ${due}` })} · <StatusBadge status={o.status} lang={lang} />
        </p>
        <p>{t({ zh: `责任人：${ownersText(o, lang)}`, en: `Owners: ${ownersText(o, lang)}` })}</p>
        {o.progress.length > 0 ? <p>{progressText(o, lang)}</p> : null}
        {d ? <p class="muted">{t(d.requirement)}</p> : null}
        {d ? <p class="hint">{t(reminderText(d))}</p> : null}
        {o.items.length > 0 ? (
          <p class="hint">
            {t({ zh: '依据：', en: 'From: ' })}
            {o.items.map((i) => t(i.citation)).join(t({ zh: '；', en: '; ' }))}
          </p>
        ) : null}
      </div>
      {o.caseId ? (
        <div class="flash error" role="status">
          {t({ zh: `逾期已立案 ${o.caseId}`, en: `Missed: case ${o.caseId} opened` })}
        </div>
      ) : null}
      {o.completions.length > 0 ? (
        <>
          <h2>{t({ zh: '完成记录', en: 'Completions' })}</h2>
          <ol class="timeline">
            {o.completions.map((c) => (
              <li>
                {formatTime(c.at, props.tz)} {props.names(c.by)} {partName(c.part)}{' '}
                {c.minutes ? `${c.minutes}′` : ''} {c.note ?? ''}{' '}
                {c.evidence
                  .map((e) => `${t(evidenceNames[e.kind])}${t({ zh: '：', en: ': ' })}${e.ref}`)
                  .join(' ')}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {recording ? (
        <form method="post" action={`/duties/${o.occurrenceId}`} class="card">
          <h2 id={RECORD_TITLE_ID} tabindex={-1}>
            {t({ zh: '登记完成', en: 'Record it' })}
          </h2>
          {props.csrf ? <input type="hidden" name="_csrf" value={props.csrf} /> : null}
          {d && d.parts.length > 1 ? (
            <Field
              name="part"
              label={formLabels.part}
              lang={lang}
              errors={errors}
              control={(a) => (
                <select {...a}>
                  {d.parts.map((p) => (
                    <option value={p.key} selected={values.part === p.key}>
                      {t(p.label)}
                    </option>
                  ))}
                </select>
              )}
            />
          ) : null}
          {d?.minMinutes ? (
            <Field
              name="minutes"
              label={formLabels.minutes}
              hint={{ zh: `不少于 ${d.minMinutes}`, en: `at least ${d.minMinutes}` }}
              lang={lang}
              errors={errors}
              control={(a) => (
                <input
                  {...a}
                  type="number"
                  inputmode="numeric"
                  min={d.minMinutes}
                  value={values.minutes ?? String(d.minMinutes)}
                />
              )}
            />
          ) : null}
          {evidenceKinds
            .filter((k) => d?.evidence.includes(k))
            .map((k) => (
              <Field
                name={`evidence.${k}`}
                label={evidenceNames[k]}
                hint={{ zh: '文件编号或链接', en: 'file key or link' }}
                lang={lang}
                errors={errors}
                control={(a) => <input {...a} type="text" required value={values[a.name] ?? ''} />}
              />
            ))}
          <Field
            name="note"
            label={formLabels.note}
            lang={lang}
            errors={errors}
            control={(a) => (
              <textarea {...a} rows={2}>
                {values.note ?? ''}
              </textarea>
            )}
          />
          <div class="actions">
            <button type="submit">{t({ zh: '提交', en: 'Submit' })}</button>
          </div>
        </form>
      ) : null}
      <p>
        <a href="/duties">{t({ zh: '返回职责列表', en: 'Back to the duties' })}</a>
      </p>
    </>
  );
}

/** The duty form as posted (every field as typed) and what to correct in it, by field name. */
interface DutyForm {
  values: Record<string, string>;
  errors: FieldErrors;
}

/** The form's fields by their labels, for what is said about them. */
const formLabels = {
  part: { zh: '环节', en: 'Part' },
  minutes: { zh: '时长（分钟）', en: 'Minutes' },
  note: { zh: '说明', en: 'Note' },
} satisfies Record<string, Bilingual>;

/** The record form's heading, where a refusal naming no field leads. */
const RECORD_TITLE_ID = 'record-title';

/** A field of the form by its label, as its message and the error summary name it. */
const fieldLabel = (name: string): Bilingual | undefined => {
  if (name in formLabels) return formLabels[name as keyof typeof formLabels];
  const kind = evidenceKinds.find((k) => name === `evidence.${k}`);
  return kind ? evidenceNames[kind] : undefined;
};

const markedText: Bilingual = {
  zh: '未登记：请补全或修改下面标出的内容后再提交，已填写的内容均已保留。',
  en: 'Not recorded: complete or correct what is marked below and submit again; everything you typed is kept.',
};

/**
 * What the duty asks of a completion (the run's completionProblem) said beside each field of the
 * form, in the words of the form's labels: a photo left empty is "照片" to fill in, not a kind.
 */
function formErrors(duty: DutyDefinition, body: CompletionInput): FieldErrors {
  const errors: FieldErrors = {};
  const part = body.part ?? (duty.parts.length === 1 ? duty.parts[0]?.key : undefined);
  if (!part || !duty.parts.some((p) => p.key === part))
    errors.part = {
      zh: `请选择环节：${duty.parts.map((p) => p.label.zh).join('、')}`,
      en: `choose the part: ${duty.parts.map((p) => p.label.en).join(', ')}`,
    };
  for (const k of duty.evidence)
    if (!body.evidence.some((e) => e.kind === k))
      errors[`evidence.${k}`] = {
        zh: `请填写${evidenceNames[k].zh}的文件编号或链接`,
        en: `give the ${evidenceNames[k].en.toLowerCase()}: a file key or link`,
      };
  if (duty.minMinutes !== undefined && (body.minutes ?? 0) < duty.minMinutes)
    errors.minutes = {
      zh: `请填写时长，不少于 ${duty.minMinutes} 分钟`,
      en: `give the minutes: at least ${duty.minMinutes}`,
    };
  return errors;
}

// `lang` is the language chooser's (pickLang), which ignores a value it does not know.
const pageQuery = z.object({
  /** Set by the form's redirect: the completion was taken now, or was on record already. */
  recorded: z.enum(['new', 'again']).optional(),
});

const recordedFlash: Record<'new' | 'again', FlashMessage> = {
  new: { kind: 'ok', text: { zh: '已登记，谢谢。', en: 'Recorded. Thank you.' } },
  again: {
    kind: 'ok',
    text: {
      zh: '此前已登记过这条完成记录（相同的环节、说明、时长和佐证），未重复计数。',
      en: 'Recorded before: this completion (same part, note, minutes and evidence) is on record already and was not counted again.',
    },
  },
};

/**
 * The duty pages (a phone first): `/duties` lists what is due for the caller
 * (the whole calendar as a table for the working group, admins, leadership
 * and auditors, per building with `?buildingId=`), `/duties/{id}` shows one
 * occurrence with a form to record it. Bearer token or page session.
 */
export function dutyPageRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const auth = bearerOrSession(deps) as unknown as MiddlewareHandler<AuthEnv>;
  const langOf = (c: Context<AuthEnv>) => pageLanguage(c, deps.publicBaseUrl, c.get('caller').person);

  app.get('/duties', auth, async (c) => {
    const q = parseOr400(pageListQuery, c.req.query(), callerLanguage(c), 'query');
    const caller = c.get('caller');
    const list = await listFor(deps, caller, await directoryOrFail(deps), q);
    const next = new URLSearchParams(
      Object.entries({ ...c.req.query(), cursor: list.nextCursor ?? '' }).filter(([, v]) => v !== ''),
    );
    const lang = langOf(c);
    return shellPage(c, {
      title: { zh: '例行职责', en: 'Recurring duties' },
      lang,
      children: (
        <ListBody
          tz={deps.env.CAMPUS_TZ}
          lang={lang}
          list={list}
          board={isCampusReader(caller) || Boolean(q.buildingId)}
          nextHref={list.nextCursor ? `/duties?${next.toString()}` : undefined}
        />
      ),
    });
  });

  /** One occurrence's page: the form, when given, as posted and with what to correct. */
  const occurrencePage = async (
    c: Context<AuthEnv>,
    occurrenceId: string,
    opts: { flash?: FlashMessage | null; form?: DutyForm; status?: ContentfulStatusCode } = {},
  ) => {
    const caller = c.get('caller');
    const [o, dir] = await Promise.all([readable(deps, caller, occurrenceId), directoryOrFail(deps)]);
    const csrf = (c as unknown as Context<SessionOrBearerEnv>).get('csrfToken');
    const names = (id: string) => dir.people.find((p) => p.id === id)?.name ?? id;
    const shown = described(o, dir);
    const lang = langOf(c);
    return shellPage(c, {
      title: shown.name ?? o.dutyId,
      lang,
      status: opts.status ?? 200,
      error: opts.flash?.kind === 'error',
      children: (
        <OccurrenceBody
          tz={deps.env.CAMPUS_TZ}
          lang={lang}
          o={shown}
          names={names}
          canRecord={mayRecord(caller, o)}
          csrf={csrf}
          flash={opts.flash}
          form={opts.form}
        />
      ),
    });
  };

  app.get('/duties/:occurrenceId', auth, async (c) => {
    const problemLang = callerLanguage(c);
    const { recorded } = parseOr400(pageQuery, c.req.query(), problemLang, 'query');
    const { occurrenceId } = parseOr400(occurrenceParam, c.req.param(), problemLang, 'path');
    return occurrencePage(c, occurrenceId, { flash: recorded ? recordedFlash[recorded] : null });
  });

  /**
   * The form: part, minutes, note, and one `evidence.<kind>` field per evidence the duty expects.
   * What is refused comes back on the page, the fields to correct marked and everything typed kept,
   * as the case step forms do: a phone user is not left on an error page to type it all again.
   */
  app.post('/duties/:occurrenceId', auth, async (c) => {
    const lang = callerLanguage(c);
    const { occurrenceId } = parseOr400(occurrenceParam, c.req.param(), lang, 'path');
    const values = formValues(await formOr400(c));
    const again = (status: ContentfulStatusCode, text: Bilingual, errors: FieldErrors = {}) =>
      occurrencePage(c, occurrenceId, { flash: { kind: 'error', text }, form: { values, errors }, status });
    const field = (k: string) => {
      const v = values[k];
      return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
    };
    const minutes = field('minutes');
    const evidence = evidenceKinds.flatMap((kind) => {
      const ref = field(`evidence.${kind}`);
      return ref ? [{ kind, ref }] : [];
    });
    const parsed = parseForm(
      completionBody,
      {
        part: field('part'),
        note: field('note'),
        minutes: minutes === undefined ? undefined : Number(minutes),
        evidence,
      },
      formLabels,
    );
    if (!parsed.ok) {
      // The body's evidence.<i>.ref is the form's evidence.<kind>.
      const errors: FieldErrors = {};
      for (const [path, text] of Object.entries(parsed.errors)) {
        const m = /^evidence\.(\d+)/.exec(path);
        const kind = m ? evidence[Number(m[1])]?.kind : undefined;
        errors[kind ? `evidence.${kind}` : (path.split('.')[0] ?? path)] ??= text;
      }
      return again(400, markedText, errors);
    }
    const o = await readable(deps, c.get('caller'), occurrenceId);
    const duty = dutyById(o.dutyId);
    // Only a form the page did not draw sends these: said on the page, as nothing marks them.
    const notTaken = duty ? evidenceNotTaken(duty, parsed.data.evidence) : [];
    if (duty && notTaken.length > 0) return again(422, evidenceNotTakenText(duty, notTaken, false));
    const errors = duty ? formErrors(duty, parsed.data) : {};
    if (Object.keys(errors).length > 0) return again(422, markedText, errors);
    let r;
    try {
      r = await record(deps, c.get('caller'), occurrenceId, parsed.data, lang);
    } catch (err) {
      // Not allowed, or no such duty: the error page says so; anything else is said on the form.
      if (!(err instanceof ProblemError) || err.type === 'forbidden' || err.type === 'not_found') throw err;
      const text = typeof err.detail === 'string' ? splitBilingual(err.detail) : err.detail;
      return again(problemTypes[err.type].status as ContentfulStatusCode, text);
    }
    // The page says which it was: a form sent twice is told it was recorded before.
    return c.redirect(`/duties/${occurrenceId}?recorded=${r.duplicate ? 'again' : 'new'}`, 303);
  });
  return app;
}
