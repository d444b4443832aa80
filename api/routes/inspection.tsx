import { createHash } from 'node:crypto';
import { formOr400 } from '../form-body.ts';
import { pageLanguage } from '../middleware/session.ts';
import { isLang } from '../middleware/language.ts';
import { ErrorSummaryBox, type SummaryEntry } from '../pages/error-summary.tsx';
import { shellPage } from '../pages/shell-page.tsx';
import {
  ActivityFailure,
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import {
  checkResults,
  checklistSubmission,
  entryPlace,
  roundKindNames,
  sameCheck,
  unansweredItems,
  type CheckEntry,
  type ChecklistSubmission,
  type DimensionScore,
  type InspectionRound,
  type RoundStatus,
} from '../../domain/inspection.ts';
import { addDays } from '../../domain/calendar.ts';
import { placeNameOf } from '../../domain/place-name.ts';
import { DATE_RANGE, dateInRange } from '../../domain/safe-text.ts';
import { citation, dimensionKeys, standardItem, standards } from '../../domain/standards/catalogue.ts';
import { inLang, splitBilingual, upFirst, type Bilingual } from '../../domain/text.ts';
import {
  checkedFile,
  EvidenceError,
  getEvidence,
  MAX_EVIDENCE_BYTES,
  parseEvidenceRef,
  putEvidence,
} from '../../store/evidence.ts';
import { getRound, roundsBetween } from '../../store/inspections.ts';
import { InspectionRoundFailure, recordChecksUpdate } from '../../workflows/inspection-round/messages.ts';
import type { AuthEnv } from '../auth.ts';
import { readsEverything, reportScopeRefusal, supervisedBuildings } from '../middleware/access.ts';
import { requireRole } from '../middleware/bearer-auth.ts';
import { bearerOrSession, type SessionOrBearerEnv } from '../middleware/bearer-or-session.ts';
import type { AppDeps } from '../deps.ts';
import {
  callerLanguage,
  ProblemError,
  problemTypes,
  type FieldError,
  type Lang,
} from '../middleware/problems.ts';
import { jsonBody, parseOr400 } from '../middleware/validation.ts';
import { repeatedParams, validQuery } from '../repeated-params.ts';
import { MAX_PHOTOS } from '../pages/app/case-page.tsx';
import { resultLabels, UnsavedFindings, type UnsavedFinding } from '../pages/app/inspection-unsaved.tsx';
import { parseForm } from '../pages/app/web-kit.tsx';
import { buildingIdSchema, wholeNumber } from '../schemas.ts';
import { formatTime } from '../pages/ui.tsx';
import { directoryOrFail as directoryOr503 } from '../reads.ts';

// A campus date that exists (2026-02-30 does not), in the years every route accepts.
const date = z.iso
  .date({
    error: (issue) =>
      issue.input === undefined
        ? '须给出日期，如 2026-12-04 / give a date like 2026-12-04'
        : '须为实际存在的日期，格式如 2026-12-04 / must be a date that exists, written like 2026-12-04',
  })
  .refine(
    dateInRange,
    `须在 ${DATE_RANGE.min.slice(0, 4)} 至 ${DATE_RANGE.max.slice(0, 4)} 年之间 / must fall in the years ${DATE_RANGE.min.slice(0, 4)} to ${DATE_RANGE.max.slice(0, 4)}`,
  );
/** The longest range one list covers, as the duties' calendar. */
const MAX_RANGE_DAYS = 400;
const valid = (d: string) => date.safeParse(d).success;
const listShape = {
  buildingId: buildingIdSchema.optional(),
  from: date,
  to: date,
  limit: wholeNumber(1, 100).default(20),
  cursor: z.string().min(1).max(512).optional(),
};
const listChecks = <S extends z.ZodType<{ from: string; to: string }>>(schema: S) =>
  schema
    .refine((q) => !valid(q.from) || !valid(q.to) || q.from <= q.to, {
      path: ['to'],
      message: 'to 不能早于 from / to must not be before from',
    })
    // Only between two valid dates: a bad one is already its own field's error (and addDays throws on it).
    .refine((q) => !valid(q.from) || !valid(q.to) || q.to <= addDays(q.from, MAX_RANGE_DAYS), {
      path: ['to'],
      message: `一次最多查询 ${MAX_RANGE_DAYS} 天 / at most ${MAX_RANGE_DAYS} days at a time`,
    });
// Exported for the document (api/pages/page-routes.ts, which adds `lang` to every route). Rounds
// starting on `from` through `to` are listed; strict, so a misspelt parameter is refused.
export const listQuery = listChecks(z.strictObject(listShape));
const listRequest = listChecks(z.strictObject({ ...listShape, lang: z.enum(['zh-CN', 'en']).optional() }));
export const roundParam = z.object({
  roundId: z
    .string()
    .regex(
      /^inspection\.(daily|weekly|monthly)\.[A-Za-z0-9_.:-]+$/,
      '须为检查轮次编号，如 inspection.daily.bldg-a.2026-12-06 / must be an inspection round id such as inspection.daily.bldg-a.2026-12-06',
    ),
});
// A language the app does not have is ignored, as the /app pages ignore it: the reader's own is used.
const pageQuery = z.object({
  lang: z
    .string()
    .optional()
    .transform((v) => (isLang(v) ? v : undefined)),
});

/** The API's photo upload (`POST /api/inspections/{roundId}/photos`): a photo's limit, not a JSON body's. */
export const isPhotoUpload = (path: string): boolean => /^\/api\/inspections\/[^/]+\/photos$/.test(path);

// A form may carry each failed item's photos; more than this is refused before it is read.
export const checklistMax = MAX_PHOTOS * MAX_EVIDENCE_BYTES + 1024 * 1024;
const MB = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * The checklist page's form as the document shows it (api/pages/page-routes.ts): the handler reads
 * the fields by name, one set per checklist item, and these are the names and limits it reads with.
 */
export const checklistFormFields = z.object({
  _csrf: z
    .string()
    .optional()
    .describe(
      '页面会话的 CSRF 令牌（使用 bearer 令牌时不需要）/ the page session’s CSRF token (not with a bearer token)',
    ),
  finish: z
    .enum(['true', 'false'])
    .describe(
      '按下的按钮：true 提交并结束本轮（须全部填写），false 保存进度 / the button pressed: true ends the round (every item answered), false saves progress',
    ),
  '{itemId}.result': z
    .enum(checkResults)
    .optional()
    .describe(
      '每个清单条目一组字段，{itemId} 换成条目编号，如 6t.safety.1.result；未填写的条目不发送 / one set of fields per checklist item, {itemId} replaced by its id, as in 6t.safety.1.result; items left blank are not sent',
    ),
  '{itemId}.note': z
    .string()
    .max(2000)
    .optional()
    .describe(
      '备注，不合格项必填，成为其案件的描述 / the note: required with fail, it becomes the case’s description',
    ),
  '{itemId}.roomId': z
    .string()
    .max(32)
    .optional()
    .describe('房间（可选），如 B101 / the room (optional), such as B101'),
  '{itemId}.photosAgain': z
    .literal('1')
    .optional()
    .describe(
      '页面在要求重新选择该项照片时带上：本次提交若仍被退回且未选照片，页面继续提示 / set by a page asking for the item’s photos again: if this post is refused too and no photo was chosen, the page asks again',
    ),
  '{itemId}.photos[]': z
    .array(z.file())
    .max(MAX_PHOTOS)
    .optional()
    .describe(
      `该项的照片（可重复此字段）：只随尚未立案的不合格项提交，每项最多 ${MAX_PHOTOS} 张，JPEG、PNG 或 WebP，每张不超过 ${MB(MAX_EVIDENCE_BYTES)} MB，整个表单不超过 ${MB(checklistMax)} MB；存为本轮的证据，立案时归入该项的案件并在其描述中引用 / the item’s photos (the field repeated): only with a failed item whose case is still to open, at most ${MAX_PHOTOS} per item, JPEG, PNG or WebP, ${MB(MAX_EVIDENCE_BYTES)} MB each, ${MB(checklistMax)} MB for the whole form; stored as the round’s evidence, they go to the item’s case as it opens and its description cites them`,
    ),
});

/** The API's photo upload for a failed item: one photo in `file`. */
export const photoUploadForm = z.object({
  file: z
    .file()
    .describe(
      `一张照片，JPEG、PNG 或 WebP，不超过 ${MB(MAX_EVIDENCE_BYTES)} MB / one photo, JPEG, PNG or WebP, at most ${MB(MAX_EVIDENCE_BYTES)} MB`,
    ),
});

const READERS = ['supervisor', 'admin', 'working_group', 'leadership', 'auditor'] as const;

/** Scores summed over rounds, per building and dimension: the pass rate of the items checked. */
export function aggregateScores(rounds: readonly InspectionRound[]) {
  const out: (Omit<DimensionScore, 'unchecked'> & { buildingId: string })[] = [];
  for (const buildingId of [...new Set(rounds.map((r) => r.buildingId))].sort()) {
    for (const dimension of dimensionKeys) {
      const s = rounds
        .filter((r) => r.buildingId === buildingId && r.status === 'completed')
        .flatMap((r) => r.scores.filter((x) => x.dimension === dimension));
      const passed = s.reduce((n, x) => n + x.passed, 0);
      const failed = s.reduce((n, x) => n + x.failed, 0);
      const na = s.reduce((n, x) => n + x.na, 0);
      if (passed + failed + na === 0) continue;
      out.push({
        buildingId,
        dimension,
        passed,
        failed,
        na,
        score: passed + failed > 0 ? Math.round((1000 * passed) / (passed + failed)) / 10 : null,
      });
    }
  }
  return out;
}

/** Where a round stands in a list: by building, then as the store sorts a building's rounds. */
type ListPosition = readonly [buildingId: string, sortKey: string];
const positionOf = (r: InspectionRound): ListPosition => [r.buildingId, `${r.from}#${r.kind}`];
const comparePositions = (a: ListPosition, b: ListPosition) =>
  a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1;

/** A short fingerprint of what a list covers: its cursor carries it, so it cannot continue another. */
const queryHash = (buildings: readonly string[], from: string, to: string) =>
  createHash('sha256')
    .update(JSON.stringify([buildings, from, to]))
    .digest('base64url')
    .slice(0, 16);

const encodeListCursor = (q: string, after: ListPosition) =>
  Buffer.from(JSON.stringify({ q, b: after[0], k: after[1] }), 'utf8').toString('base64url');

/** The position a cursor continues after, when it is one this list issued; a 400 otherwise. */
function decodeListCursor(cursor: string, q: string, lang: Lang): ListPosition {
  const bad = (reason: Bilingual) =>
    new ProblemError(
      'validation',
      {
        zh: `cursor 无效：${reason.zh}。请用相同的条件重发返回它的请求，使用其响应中的 nextCursor，或去掉 cursor 从第一页开始`,
        en: `bad cursor: ${reason.en}. Repeat the request that returned it with the same parameters and use its nextCursor, or leave cursor out to start from the first page`,
      },
      [{ field: 'cursor', message: inLang(reason, lang) }],
    );
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad({ zh: '它不是本接口签发的', en: 'it is not one this API issued' });
  }
  const c = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (typeof c.q !== 'string' || typeof c.b !== 'string' || typeof c.k !== 'string')
    throw bad({ zh: '它不是本接口签发的', en: 'it is not one this API issued' });
  if (c.q !== q)
    throw bad({
      zh: '它属于另一组查询条件（楼栋或日期不同）',
      en: 'it belongs to other parameters (another building or other dates)',
    });
  return [c.b, c.k];
}

/** A round with each checklist item's text, for the checklist page and the API. */
function withItems(round: InspectionRound) {
  return {
    ...round,
    kindName: roundKindNames[round.kind],
    items: round.checklist.map((id) => {
      const item = standardItem(id);
      const result = round.results.find((r) => r.itemId === id);
      return {
        id,
        citation: item ? citation(item) : { zh: id, en: id },
        requirement: item?.requirement,
        result: result?.result,
        note: result?.note,
        caseId: round.cases[id],
      };
    }),
  };
}

/** What the checklist shows in an item's fields: what was recorded, or what was just posted. */
interface ItemValues {
  result?: string | undefined;
  note?: string | undefined;
  roomId?: string | undefined;
}
/** What to correct, by item id. */
type ItemErrors = Record<string, Bilingual[]>;

const savedValues = (round: InspectionRound): Record<string, ItemValues> =>
  Object.fromEntries(
    round.results.map((r) => [r.itemId, { result: r.result, note: r.note, roomId: r.roomId }]),
  );

/** Whether what the form holds for an item would change what was saved for it (nothing saved yet included). */
const changesSaved = (was: ItemValues | undefined, now: ItemValues): boolean => {
  const same = (a: string | undefined, b: string | undefined) => (a ?? '') === (b ?? '');
  return !was || !same(now.result, was.result) || !same(now.note, was.note) || !same(now.roomId, was.roomId);
};

const statusNames: Record<RoundStatus, Bilingual> = {
  open: { zh: '进行中', en: 'open' },
  completed: { zh: '已完成', en: 'completed' },
  missed: { zh: '逾期未完成', en: 'missed' },
};

/** The id of the notice asking for an item's photos again, which describes its file input. */
const photosAgainId = (itemId: string) => `photos-${itemId}-again`;

/**
 * The hidden field a page asking for an item's photos again carries (`<itemId>.photosAgain`): the
 * next post, if it is refused too, asks again while no photo was chosen and the item still fails.
 */
const PHOTOS_AGAIN_FIELD = 'photosAgain';

/** Said before a save, where it is decided: a failure saved is a case at once, and final. */
const saveOpensCasesText: Bilingual = {
  zh: '保存或提交后，标为不合格的项即立案，其结果不能再修改',
  en: 'Saving (or finishing) opens a case for each failed item; its result then cannot change',
};
const failOpensCaseText: Bilingual = {
  zh: '保存后即为此项立案，结果不能再修改',
  en: 'Saving opens a case for this item; its result then cannot change',
};
const SAVE_WARNING_ID = 'save-opens-cases';
const failHintId = (itemId: string) => `fail-hint-${itemId}`;

/** Why a post was refused: a text, or one that counts the items the page marks to correct. */
type Problem = Bilingual | ((marked: number) => Bilingual);

/** The checklist inside the app shell: its items, and the form when the reader walks the round. */
function ChecklistBody(props: {
  round: ReturnType<typeof withItems>;
  lang: Lang;
  /** Where the form posts (keeping the page's `?lang=`). */
  action: string;
  /** The page's `?lang=` for its links, or ''. */
  langQuery: string;
  csrf?: string | undefined;
  values: Record<string, ItemValues>;
  errors?: ItemErrors | undefined;
  /** Why the post was refused, when it was. */
  problem?: Problem | undefined;
  /** What a post the round could no longer take carried: shown to copy, with a way to open a case. */
  unsaved?: readonly UnsavedFinding[] | undefined;
  /** The page's `?lang=` value, when it was asked for. */
  asked?: string | undefined;
  /** What the worker said when it was, for whoever is asked to look into it: never the lead. */
  technical?: string | undefined;
  /** The due in campus time. */
  dueText: string;
  /** Items whose photos came with a post the page shows again: they are to be chosen again. */
  photosAgain?: ReadonlySet<string> | undefined;
  /** Whether the reader walks this round (one of its assignees): anyone else reads it only. */
  mayRecord: boolean;
}) {
  const { round, lang, values } = props;
  const errors = props.errors ?? {};
  const open = round.status === 'open' && props.mayRecord;
  // Everything the page says, its refusals too, in its language only, as every app page does (the
  // header switches it).
  const t = (x: Bilingual) => inLang(x, lang);
  // What is stored counts as filled in; a refused post's choices are only on the page until saved,
  // and only those that would change what is stored are pending (the page shows the saved ones too).
  const saved = round.items.filter((it) => it.result).length;
  const recorded = savedValues(round);
  const pending = round.items.filter((it) => {
    const v = values[it.id];
    return v?.result !== undefined && changesSaved(recorded[it.id], v);
  }).length;
  const marked = round.items.filter((it) => (errors[it.id] ?? []).length > 0);
  type Item = (typeof round.items)[number];
  // A failure whose case opened is the case's now: shown as recorded, not offered for change.
  const isHeld = (it: Item) => !open || Boolean(it.caseId && it.result);
  /** Whether an item's file input is shown asking for the photos a refused post carried. */
  const askedAgain = (it: Item) => !isHeld(it) && props.photosAgain?.has(it.id) === true;
  /** What the error summary lists of an item: what is wrong with it, and its photos to choose again. */
  const summaryEntries = (it: Item): SummaryEntry[] => [
    ...(marked.includes(it)
      ? [{ href: `#item-${it.id}`, field: it.id, text: itemSummary(it.citation, errors[it.id] ?? []) }]
      : []),
    ...(askedAgain(it)
      ? [
          {
            href: `#photos-${it.id}`,
            field: `${it.id}.photos[]`,
            text: itemSummary(it.citation, [photosAgainText]),
          },
        ]
      : []),
  ];
  /** The stored photos an item's recorded result cites (keys an API client gave are not files here). */
  const photosOf = (itemId: string) =>
    (round.results.find((r) => r.itemId === itemId)?.photos ?? []).flatMap((p) => {
      const ref = parseEvidenceRef(p);
      return ref ? [ref] : [];
    });
  // The lead counts what the summary lists: items to correct and items whose photos to choose again.
  const summary = round.items.flatMap(summaryEntries);
  const markedCount = round.items.filter((it) => marked.includes(it) || askedAgain(it)).length;
  const problem = typeof props.problem === 'function' ? props.problem(markedCount) : props.problem;
  const items = round.items.map((it) => {
    const v = values[it.id] ?? {};
    const errs = errors[it.id] ?? [];
    const held = isHeld(it);
    const again = askedAgain(it);
    const photos = photosOf(it.id);
    // What the server knows needs the fields: a failure, a refusal, anything typed or recorded.
    const shown =
      v.result === 'fail' || errs.length > 0 || again || Boolean(v.note || v.roomId) || photos.length > 0;
    return (
      <fieldset
        id={`item-${it.id}`}
        class={errs.length > 0 ? 'card item invalid' : 'card item'}
        aria-describedby={errs.length > 0 ? `error-${it.id}` : undefined}
        aria-invalid={errs.length > 0 ? 'true' : undefined}
        // The summary's link lands here: focus on the item, its legend and errors in view and read.
        tabindex={errs.length > 0 ? -1 : undefined}
      >
        <legend>{t(it.citation)}</legend>
        {it.requirement ? <p class="hint">{lang === 'en' ? it.requirement.en : it.requirement.zh}</p> : ''}
        {errs.length > 0 ? (
          // The page's summary is the alert; this is read with the item it marks.
          <ul class="field-error" id={`error-${it.id}`}>
            {errs.map((e) => (
              <li>{t(e)}</li>
            ))}
          </ul>
        ) : (
          ''
        )}
        <div class="choices">
          {checkResults.map((r) => (
            <label>
              <input
                type="radio"
                name={`${it.id}.result`}
                value={r}
                checked={v.result === r}
                disabled={held}
                aria-describedby={r === 'fail' && !held ? failHintId(it.id) : undefined}
              />{' '}
              {t(resultLabels[r] ?? { zh: r, en: r })}
            </label>
          ))}
        </div>
        {held ? (
          ''
        ) : (
          // Where 不合格 is chosen: what saving it does (shown once it is chosen, where :has works).
          <p class="hint fail-hint" id={failHintId(it.id)} data-fail-hint="">
            {t(failOpensCaseText)}
          </p>
        )}
        {shown || held ? (
          ''
        ) : (
          // Not sent (no name): it only opens the fields of an item passed or n/a that needs a note.
          <label class="more">
            <input type="checkbox" data-more="" aria-controls={`details-${it.id}`} />{' '}
            {t({ zh: '填写房间或备注', en: 'Add a room or note' })}
          </label>
        )}
        <div class="details" id={`details-${it.id}`} data-details="" data-shown={shown ? '' : undefined}>
          <label for={`room-${it.id}`}>{t({ zh: '房间（可选）', en: 'Room (optional)' })}</label>
          <input
            type="text"
            id={`room-${it.id}`}
            name={`${it.id}.roomId`}
            value={v.roomId ?? ''}
            disabled={held}
            placeholder={t({ zh: '房间（可选）', en: 'Room (optional)' })}
          />
          <label for={`note-${it.id}`}>{t({ zh: '备注', en: 'Note' })}</label>
          <textarea
            id={`note-${it.id}`}
            name={`${it.id}.note`}
            rows={2}
            disabled={held}
            placeholder={t({ zh: '备注', en: 'Note' })}
          >
            {v.note ?? ''}
          </textarea>
          {photos.length > 0 ? (
            <div class="thumbs" data-photos="">
              {photos.map((p, n) => (
                <a href={`/api/evidence/${p.evidenceId}`} title={`sha256 ${p.sha256}`}>
                  <img
                    src={`/api/evidence/${p.evidenceId}`}
                    alt={`${t({ zh: '检查照片', en: 'Inspection photo' })} ${n + 1}`}
                    loading="lazy"
                  />
                </a>
              ))}
            </div>
          ) : (
            ''
          )}
          {held ? (
            ''
          ) : (
            <>
              <label for={`photos-${it.id}`}>
                {t({ zh: '照片（不合格项可附）', en: 'Photos (with a failure)' })}
              </label>
              <input
                type="file"
                id={`photos-${it.id}`}
                name={`${it.id}.photos[]`}
                accept="image/*"
                multiple
                aria-describedby={
                  again ? `photos-${it.id}-hint ${photosAgainId(it.id)}` : `photos-${it.id}-hint`
                }
                aria-invalid={again ? 'true' : undefined}
              />
              {again ? (
                // The page's summary is the alert and links here; this is read with the input it marks.
                // The hidden field asks again on the next refused post, until photos are chosen.
                <>
                  <p class="field-error" id={photosAgainId(it.id)} data-photos-again="">
                    {t(photosAgainText)}
                  </p>
                  <input type="hidden" name={`${it.id}.${PHOTOS_AGAIN_FIELD}`} value="1" />
                </>
              ) : (
                ''
              )}
              <p class="hint" id={`photos-${it.id}-hint`}>
                {t({
                  zh: `可拍照或从相册选择，最多 ${MAX_PHOTOS} 张，每张不超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB（JPEG、PNG、WebP）`,
                  en: `take or choose up to ${MAX_PHOTOS} photos, ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB each (JPEG, PNG, WebP)`,
                })}
              </p>
            </>
          )}
        </div>
        {it.caseId ? (
          <p>
            <a href={`/app/cases/${encodeURIComponent(it.caseId)}${props.langQuery}`} data-case={it.caseId}>
              {t({ zh: `已立案 ${it.caseId}`, en: `Case ${it.caseId} opened` })}
            </a>
            {open && it.result ? (
              <small data-held="">
                {' '}
                {t({
                  zh: '此项结果不能再修改，整改与复查在案件中进行',
                  en: 'its result can no longer be changed; it is handled in the case',
                })}
              </small>
            ) : (
              ''
            )}
          </p>
        ) : (
          ''
        )}
      </fieldset>
    );
  });
  return (
    <>
      {/* The page's few rules of its own; everything else is the app shell's. */}
      <style dangerouslySetInnerHTML={{ __html: CHECKLIST_CSS }} />
      <p>
        <a href={`/app${props.langQuery}`} data-back="">
          ← {t({ zh: '返回工作台', en: 'Back to the workbench' })}
        </a>
      </p>
      <p class="muted" data-status="">
        {t({
          zh: `状态：${statusNames[round.status].zh}；截止：${props.dueText}；${pending === 0 ? `已填写 ${saved}/${round.items.length} 项` : `已保存 ${saved}/${round.items.length} 项（本页填写了 ${pending} 项，尚未保存）`}`,
          en: `Status: ${statusNames[round.status].en}; due ${props.dueText}; ${pending === 0 ? `${saved} of ${round.items.length} items answered` : `${saved} of ${round.items.length} items saved (${pending} filled in on this page, not saved yet)`}`,
        })}
      </p>
      {problem ? (
        // Where the keyboard lands when the page loads (the page's error summary).
        // A checklist is many screens long: each item to correct is a link to it, saying what is wrong.
        <ErrorSummaryBox lang={lang} text={problem} entries={summary} data={{ 'data-problem': '' }} />
      ) : (
        ''
      )}
      {props.unsaved && props.unsaved.length > 0 ? (
        <UnsavedFindings items={props.unsaved} lang={lang} asked={props.asked} />
      ) : (
        ''
      )}
      {props.technical ? (
        <details data-technical="">
          <summary>{t({ zh: '技术细节', en: 'Technical detail' })}</summary>
          <code>{props.technical}</code>
        </details>
      ) : (
        ''
      )}
      {open ? (
        <form method="post" action={props.action} enctype="multipart/form-data">
          {props.csrf ? <input type="hidden" name="_csrf" value={props.csrf} /> : null}
          {items}
          {/* Kept in view while the items scroll by (a checklist is many screens long on a phone);
              the first button is what Enter in a field presses: saving never ends the round. */}
          <div class="actions submit-bar" data-submit-bar="">
            <p class="muted" data-saved-count="">
              {t({
                zh: `已保存 ${saved}/${round.items.length} 项`,
                en: `${saved} of ${round.items.length} saved`,
              })}
            </p>
            {/* Beside the buttons, read with them: a failure saved is a case at once. */}
            <p class="hint save-warning" id={SAVE_WARNING_ID} data-save-warning="">
              {t(saveOpensCasesText)}
            </p>
            <button type="submit" name="finish" value="false" aria-describedby={SAVE_WARNING_ID}>
              {t({ zh: '保存进度', en: 'Save progress' })}
            </button>
            <button type="submit" name="finish" value="true" aria-describedby={SAVE_WARNING_ID}>
              {t({ zh: '提交并结束检查', en: 'Submit and finish' })}
            </button>
          </div>
        </form>
      ) : (
        <div>
          <p data-read-only="">
            {round.status === 'open'
              ? t({
                  zh: '您不是本次检查的检查人，只能查看。',
                  en: 'You are not assigned to this round: you may read it only.',
                })
              : t({
                  zh: '本次检查已结束，结果不能再修改。',
                  en: 'This round is over; its results can no longer be changed.',
                })}
          </p>
          {items}
        </div>
      )}
    </>
  );
}

/**
 * An item shows its choices only until it needs more (a daily round is ~40 items, ~600 px each on
 * a phone with every field shown): its room, note and photos once it is marked 不合格, its toggle
 * is ticked or something is typed in them, or when the server marked them shown (a refusal, what
 * was sent back or recorded). Without `:has` every field shows and the toggle does not, as before;
 * no script either way.
 */
const COMPACT_CSS =
  '.more{display:none}@supports selector(:has(*)){' +
  'fieldset.item .details:not([data-shown]){display:none}' +
  'fieldset.item:has(input[value=fail]:checked) .details,fieldset.item:has(input[data-more]:checked) .details,' +
  'fieldset.item:has(.details :is(input[type=text],textarea):not(:placeholder-shown)) .details{display:block}' +
  'fieldset.item .more{display:inline-flex;align-items:center;gap:.4rem;font-weight:400;font-size:.9rem;margin:0;min-height:44px}' +
  'fieldset.item:has(input[value=fail]:checked) .more{display:none}}';
/**
 * What saving a failure does is said where it is decided: beside the 不合格 chosen, and over the
 * save buttons while any item still open to change is marked 不合格. Without `:has` both always show.
 */
const CASE_WARNING_CSS =
  '.fail-hint,.submit-bar p.save-warning{color:#92400e;font-size:.85rem;margin:.1rem 0}' +
  '@supports selector(:has(*)){fieldset.item:not(:has(input[value=fail]:checked)) .fail-hint{display:none}' +
  'form:not(:has(fieldset.item input[value=fail]:checked:not(:disabled))) .save-warning{display:none}}';
/**
 * The checklist's own rules on top of the app shell's: an item is a card (a fieldset never wider
 * than the phone), its three choices side by side with room to tap each.
 */
const CHECKLIST_CSS = `fieldset.item{min-width:0}fieldset.item.invalid{border-color:#b91c1c;border-width:2px}fieldset.item legend{font-weight:600;padding:0 .25rem;overflow-wrap:anywhere}.choices{display:flex;flex-wrap:wrap;gap:0 1.25rem}.choices label{display:inline-flex;align-items:center;gap:.4rem;font-weight:400;margin:.25rem 0;min-height:44px}fieldset.item>p.hint{margin:.25rem 0 .5rem}ul.field-error{padding-left:1.25rem}fieldset.item{scroll-margin-top:1rem}fieldset.item:target{outline:3px solid #b45309}.submit-bar{position:sticky;bottom:0;z-index:1;align-items:center;margin:1rem -1rem 0;padding:.4rem 1rem;gap:.35rem .5rem;background:#fff;border-top:1px solid #d0d5dc;box-shadow:0 -2px 6px rgba(0,0,0,.08)}.submit-bar p{flex-basis:100%;margin:0;font-size:.9rem}.submit-bar button{flex:1 1 8rem;padding:.4rem .5rem;font-size:.9rem;line-height:1.3}${COMPACT_CSS}${CASE_WARNING_CSS}`;

/** The checklist page's answer when it cannot show a round (another building's, or none): why, and a way back. */
function RefusalBody(props: { lang: Lang; langQuery: string; refusal: Bilingual; status: number }) {
  const { lang } = props;
  const t = (x: Bilingual) => inLang(x, lang);
  return (
    <>
      <ErrorSummaryBox
        lang={lang}
        text={props.refusal}
        data={{ 'data-problem': '', 'data-problem-status': String(props.status) }}
      />
      <p>
        <a href={`/app${props.langQuery}`} data-back="">
          ← {t({ zh: '返回工作台', en: 'Back to the workbench' })}
        </a>
      </p>
    </>
  );
}

/**
 * Inspection rounds over HTTP: a round's checklist (JSON and a mobile page),
 * results posted by its supervisors, and rounds with their scores by building
 * and period. Paths are absolute and each route authenticates itself.
 */
export function inspectionRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  // A bearer token, or the signed-in page session (its CSRF token on forms): the pages work on a phone.
  const auth = bearerOrSession(deps) as unknown as MiddlewareHandler<AuthEnv>;
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };

  const roundOr404 = async (roundId: string) => {
    const round = await getRound(store, roundId);
    if (!round)
      throw new ProblemError('not_found', {
        zh: `没有检查 ${roundId}`,
        en: `no inspection round ${roundId}`,
      });
    return round;
  };

  /**
   * A round the caller may read, or why not: the KPIs' and reports' scope (campus-wide for the
   * working group, admins, auditors and leadership; a supervisor their own buildings).
   */
  const readOrRefusal = async (
    c: Context<AuthEnv>,
    action: ScopedAction = 'read',
  ): Promise<{ round: InspectionRound; refusal: Bilingual | null }> => {
    const lang = callerLanguage(c);
    const { roundId } = parseOr400(roundParam, c.req.param(), lang, 'path');
    requireRole(c.get('caller'), [...READERS], readersText);
    const round = await roundOr404(roundId);
    const dir = await directoryOr503(deps);
    const refused = reportScopeRefusal(c.get('caller'), dir, round.buildingId) !== null;
    return {
      round,
      refusal: refused ? outOfScope(placeNameOf(dir, { buildingId: round.buildingId }), action) : null,
    };
  };
  const readable = async (c: Context<AuthEnv>, action: ScopedAction = 'read') => {
    const { round, refusal } = await readOrRefusal(c, action);
    if (refusal) throw new ProblemError('forbidden', refusal);
    return round;
  };

  app.get('/api/inspections', auth, async (c) => {
    const lang = callerLanguage(c);
    // A parameter given twice is the declared routes' 400 ('参数 from 重复了 2 次'), not read as its
    // first value; otherwise each message in the caller's language only, as parseOr400 says it.
    const repeated = Object.keys(repeatedParams(c.req.queries())).length > 0;
    const q = repeated ? validQuery(c, listRequest) : parseOr400(listRequest, c.req.query(), lang, 'query');
    const caller = c.get('caller');
    requireRole(caller, [...READERS], readersText);
    const dir = await directoryOr503(deps);
    if (q.buildingId && !dir.buildings.some((b) => b.id === q.buildingId))
      throw new ProblemError('not_found', {
        zh: `没有楼栋 ${q.buildingId}`,
        en: `no building ${q.buildingId}`,
      });
    if (q.buildingId && reportScopeRefusal(caller, dir, q.buildingId))
      throw new ProblemError('forbidden', outOfScope(placeNameOf(dir, { buildingId: q.buildingId }), 'read'));
    // Without a building: the campus for its readers, a supervisor's own buildings for them.
    const buildings = q.buildingId
      ? [q.buildingId]
      : readsEverything(caller)
        ? dir.buildings.map((b) => b.id)
        : supervisedBuildings(caller, dir);
    if (buildings.length === 0) throw new ProblemError('forbidden', noBuildingsText);
    // Every round of the range is read: `scores` sums them all, whichever page is asked for.
    const rounds = (await Promise.all(buildings.map((b) => roundsBetween(store, b, q.from, q.to))))
      .flat()
      .sort((a, b) => comparePositions(positionOf(a), positionOf(b)));
    const query = queryHash(buildings, q.from, q.to);
    const after = q.cursor === undefined ? undefined : decodeListCursor(q.cursor, query, lang);
    const rest = after ? rounds.filter((r) => comparePositions(positionOf(r), after) > 0) : rounds;
    const page = rest.slice(0, q.limit);
    const last = page[page.length - 1];
    return c.json({
      from: q.from,
      to: q.to,
      catalogueVersion: standards.version,
      /** Rounds in the range, over all pages. */
      total: rounds.length,
      /** Over every round of the range, not only this page's. */
      scores: aggregateScores(rounds),
      rounds: page.map((r) => ({
        roundId: r.roundId,
        kind: r.kind,
        buildingId: r.buildingId,
        period: r.period,
        status: r.status,
        assigneeIds: r.assigneeIds,
        completedAt: r.completedAt,
        scores: r.scores,
        cases: r.cases,
      })),
      nextCursor: rest.length > page.length && last ? encodeListCursor(query, positionOf(last)) : null,
    });
  });

  app.get('/api/inspections/:roundId', auth, async (c) => c.json(withItems(await readable(c))));

  /** The checklist page's language, as the /app pages and the zero-report board choose it. */
  const checklistLanguage = (c: Context<AuthEnv>) => {
    const q = parseOr400(pageQuery, c.req.query(), callerLanguage(c), 'query');
    const lang: Lang = pageLanguage(c, deps.publicBaseUrl, c.get('caller').person);
    return { lang, asked: q.lang };
  };

  const checklistLimit = bodyLimit({
    maxSize: checklistMax,
    onError: () => {
      const mb = MB(checklistMax);
      throw new ProblemError('payload_too_large', {
        zh: `一次提交不能超过 ${mb} MB：请减少照片数量或大小，或每拍完一项的照片就“保存进度”。页面无法保留已选的照片，请返回后重新选择照片`,
        en: `one post may carry at most ${mb} MB: send fewer or smaller photos, or save your progress after each failed item's photos. The page cannot keep the photos chosen: go back and choose the photos again`,
      });
    },
  }) as unknown as MiddlewareHandler<AuthEnv>;

  /**
   * Why an item's photos cannot go with this post, or null: they go with a failure whose case is
   * still to open, as many and as large as the case page takes, each a photo by its own bytes.
   */
  const photoRefusal = async (
    round: InspectionRound,
    itemId: string,
    result: string | undefined,
    files: readonly File[],
  ): Promise<Bilingual | null> => {
    const caseId = round.cases[itemId];
    if (caseId)
      return {
        zh: `已立案 ${caseId}：此项的照片请在案件页面上传`,
        en: `case ${caseId} is open for this item: add its photos on the case's page`,
      };
    if (result !== 'fail')
      return {
        zh: '照片只随不合格项提交：请选择“不合格”并写明问题，或不附照片',
        en: 'photos go with a failed item: choose fail and say what is wrong, or leave the photos out',
      };
    if (files.length > MAX_PHOTOS)
      return {
        zh: `每项最多 ${MAX_PHOTOS} 张照片（选了 ${files.length} 张）`,
        en: `at most ${MAX_PHOTOS} photos per item (${files.length} chosen)`,
      };
    for (const file of files)
      try {
        await checkedFile({ file, photosOnly: true });
      } catch (err) {
        if (err instanceof EvidenceError) return photoText(err, file.name);
        throw err;
      }
    return null;
  };

  /** A page in the app shell: menu and sign-out for a page session, neither for a bearer token. */
  const shell = (
    c: Context<AuthEnv>,
    lang: Lang,
    title: Bilingual,
    body: Child,
    status: ContentfulStatusCode,
  ) =>
    // A refusal (a 4xx) is titled as one: 错误：… first.
    shellPage(c, { title, lang, status, error: status >= 400, children: body });

  /** The checklist page, with what was posted and what to correct when a post was refused. */
  const checklistPage = async (
    c: Context<AuthEnv>,
    round: InspectionRound,
    opts: {
      values?: Record<string, ItemValues>;
      errors?: ItemErrors;
      problem?: Problem;
      technical?: string;
      status?: ContentfulStatusCode;
      photosAgain?: ReadonlySet<string>;
      unsaved?: readonly UnsavedFinding[];
    } = {},
  ) => {
    const { lang, asked } = checklistLanguage(c);
    const dir = await directoryOr503(deps);
    const building = dir.buildings.find((b) => b.id === round.buildingId);
    // Signed in through the page session, the form carries its CSRF token; with a bearer token none is needed.
    const csrf = (c as unknown as Context<SessionOrBearerEnv>).get('csrfToken');
    const kind = roundKindNames[round.kind];
    const name = building?.name ?? { zh: round.buildingId, en: round.buildingId };
    return shell(
      c,
      lang,
      {
        zh: `${kind.zh} ${name.zh} ${round.period}`,
        en: `${kind.en} ${name.en} ${round.period}`,
      },
      <ChecklistBody
        round={withItems(round)}
        lang={lang}
        action={`/inspection/${round.roundId}${asked ? `?lang=${asked}` : ''}`}
        langQuery={asked ? `?lang=${asked}` : ''}
        csrf={csrf}
        values={opts.values ?? savedValues(round)}
        errors={opts.errors}
        problem={opts.problem}
        unsaved={opts.unsaved}
        asked={asked}
        technical={opts.technical}
        photosAgain={opts.photosAgain}
        dueText={dueText(round.due, deps.env.CAMPUS_TZ)}
        mayRecord={round.assigneeIds.includes(c.get('caller').person.id)}
      />,
      opts.status ?? 200,
    );
  };

  /** A round outside the reader's buildings: a page saying so, in the page's language. */
  const refusalPage = (c: Context<AuthEnv>, refusal: Bilingual, action: ScopedAction = 'read') => {
    const { lang, asked } = checklistLanguage(c);
    return shell(
      c,
      lang,
      action === 'read'
        ? { zh: '无权查看此检查', en: 'You may not read this round' }
        : { zh: '无权记录此检查', en: 'You may not record this round' },
      <RefusalBody lang={lang} langQuery={asked ? `?lang=${asked}` : ''} refusal={refusal} status={403} />,
      403,
    );
  };

  /**
   * A checklist address with no round behind it (a link cut short, or a round id that never
   * ran): a page saying so in plain words, not the API's report on the path parameter.
   */
  const noRoundPage = (c: Context<AuthEnv>, roundId: string, wellFormed: boolean) => {
    const { lang, asked } = checklistLanguage(c);
    return shell(
      c,
      lang,
      { zh: '没有这次检查', en: 'No such inspection round' },
      <RefusalBody
        lang={lang}
        langQuery={asked ? `?lang=${asked}` : ''}
        refusal={noRoundText(roundId.slice(0, 120), wellFormed)}
        status={404}
      />,
      404,
    );
  };

  /** The round a checklist address names and whether the reader may read it, or the page saying why not. */
  const pageRead = async (
    c: Context<AuthEnv>,
    action: ScopedAction = 'read',
  ): Promise<Awaited<ReturnType<typeof readOrRefusal>> | Response> => {
    const roundId = c.req.param('roundId') ?? '';
    if (!roundParam.safeParse({ roundId }).success) return noRoundPage(c, roundId, false);
    try {
      return await readOrRefusal(c, action);
    } catch (err) {
      // The page is opened from the app and from mail: a role that may not read rounds is told so
      // on a page, as a reader of another building is, whatever the client asked for.
      if (err instanceof ProblemError && err.type === 'forbidden' && typeof err.detail !== 'string')
        return refusalPage(c, err.detail, action);
      if (err instanceof ProblemError && err.type === 'not_found') return noRoundPage(c, roundId, true);
      throw err;
    }
  };

  app.get('/inspection/:roundId', auth, async (c) => {
    const read = await pageRead(c);
    if (read instanceof Response) return read;
    return read.refusal ? refusalPage(c, read.refusal) : checklistPage(c, read.round);
  });

  /**
   * Results that name a place not in the round's building or a rectifier who is not staff, by
   * index; and the results with each room as the directory spells it ("b101" is B101).
   */
  const checkPlacesAndPeople = async (round: InspectionRound, results: ChecklistSubmission['results']) => {
    const dir = await directoryOr503(deps);
    const wrong: { index: number; field: string; text: Bilingual }[] = [];
    const placed = results.map((r, i) => {
      const place = entryPlace(dir, round.buildingId, r);
      if (!place.ok)
        wrong.push({
          index: i,
          field: place.field === 'buildingId' ? `results.${i}` : `results.${i}.${place.field}`,
          text: place.text,
        });
      if (r.assigneeId && !dir.people.some((p) => p.id === r.assigneeId && p.roles.includes('staff')))
        wrong.push({
          index: i,
          field: `results.${i}.assigneeId`,
          text: { zh: '不是员工', en: 'not a staff member' },
        });
      return place.ok && r.roomId ? { ...r, roomId: place.location.roomId } : r;
    });
    return { wrong, results: placed };
  };

  /** Hands results to the round's workflow, which decides; its refusals become problems in both languages. */
  const submit = async (round: InspectionRound, by: string, body: ChecklistSubmission, lang: Lang) => {
    try {
      return await deps.temporal.workflow.getHandle(round.roundId).executeUpdate(recordChecksUpdate, {
        args: [{ by, results: body.results, finish: body.finish }],
      });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        const m = err.cause.message;
        if (err.cause.type === InspectionRoundFailure.NotAssigned) throw notAssigned();
        if (err.cause.type === InspectionRoundFailure.Closed) throw new RoundEndedError(roundOverText);
        if (err.cause.type === InspectionRoundFailure.Finishing)
          throw new RoundEndedError(roundFinishingText);
        if (err.cause.type === InspectionRoundFailure.Busy) throw new ProblemError('conflict', roundBusyText);
        if (err.cause.type === InspectionRoundFailure.NotOnChecklist)
          throw new ProblemError('unprocessable', notOnChecklist(offChecklist(round, body.results)));
        if (err.cause.type === InspectionRoundFailure.Unanswered)
          throw new UnansweredError(idsOf(err.cause.details?.[0]), round.checklist.length);
        if (err.cause.type === InspectionRoundFailure.CaseOpened)
          throw caseOpened(lockedOf(err.cause.details?.[0]), body.results, lang);
        if (err.cause.type === InspectionRoundFailure.CaseOpening)
          throw caseOpening(idsOf(err.cause.details?.[0]), body.results, lang);
        if (err.cause.type === InspectionRoundFailure.BadEntry) throw new CaseNotOpenedError(m);
        throw new ProblemError('unprocessable', { zh: m, en: m });
      }
      // An activity of the post failed past its retries: the round's save, or a case's opening
      // that did not fail as a refusal (the workflow names those BadEntry, above).
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ActivityFailure)
        throw activityProblem(err.cause, lang);
      if (err instanceof WorkflowNotFoundError) throw new RoundEndedError(roundOverText);
      throw err;
    }
  };

  /**
   * The round once a finish refused as ended (or ending) has settled: the post that ended it may
   * still be saving, so an open round is read again for a few seconds. Two taps of the finish
   * button, or a client's retry sent before the first answer came, then find the round the
   * first one finished.
   */
  const settledRound = async (roundId: string): Promise<InspectionRound | null> => {
    const until = Date.now() + SETTLE_MS;
    for (;;) {
      const round = await getRound(store, roundId);
      if (!round || round.status !== 'open' || Date.now() >= until) return round;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  /**
   * Why photos an API client sends cannot go with their items, by field: photos (keys or evidence
   * references, `evidence:<id>#sha256=<hex>`) are a failure's, as the page takes them, and a pass or
   * n/a carries none; references go with a failure whose case is still to open (its case takes
   * them as it opens), as many as the page takes, each a confirmed photo uploaded for this round
   * with the hash the reference carries, and each on one item only. An item whose case is open is
   * left to the round's workflow (the same failure again changes nothing; a change is refused).
   */
  const citedPhotoProblems = async (round: InspectionRound, results: readonly CheckEntry[]) => {
    const wrong: { field: string; text: Bilingual }[] = [];
    const cited = new Set<string>();
    for (const [i, r] of results.entries()) {
      if ((r.photos ?? []).length === 0 || round.cases[r.itemId] !== undefined) continue;
      const field = `results.${i}.photos`;
      // Photos, as keys or references, go with a failure only: its case is where they are used. A
      // pass or n/a sent again exactly as recorded before this rule is left as it was.
      if (r.result !== 'fail') {
        const recorded = round.results.find((x) => x.itemId === r.itemId);
        if (!recorded || !sameCheck(recorded, r)) wrong.push({ field, text: photosOnFailuresText });
        continue;
      }
      const refs = (r.photos ?? []).filter((p) => parseEvidenceRef(p) !== null);
      if (refs.length === 0) continue;
      if (refs.length > MAX_PHOTOS)
        wrong.push({
          field,
          text: {
            zh: `每项最多 ${MAX_PHOTOS} 张照片（引用了 ${refs.length} 张）`,
            en: `at most ${MAX_PHOTOS} photos per item (${refs.length} cited)`,
          },
        });
      for (const ref of refs) {
        const parsed = parseEvidenceRef(ref);
        const record = parsed ? await getEvidence(deps, parsed.evidenceId) : null;
        const photo = record?.contentType.startsWith('image/') === true;
        if (cited.has(ref))
          wrong.push({
            field,
            text: { zh: `同一张照片只能随一项提交：${ref}`, en: `a photo goes with one item only: ${ref}` },
          });
        else if (!record || record.status !== 'confirmed' || record.caseId !== round.roundId)
          wrong.push({
            field,
            text: {
              zh: `不是为本轮检查上传并已确认的照片：${ref}`,
              en: `not a confirmed photo uploaded for this round: ${ref}`,
            },
          });
        else if (record.sha256 !== parsed?.sha256)
          wrong.push({
            field,
            text: {
              zh: `引用中的 sha256 与该照片不符：${ref}`,
              en: `the sha256 in the reference is not the photo's: ${ref}`,
            },
          });
        else if (!photo)
          wrong.push({
            field,
            text: { zh: `不是照片（JPEG、PNG、WebP）：${ref}`, en: `not a photo (JPEG, PNG, WebP): ${ref}` },
          });
        cited.add(ref);
      }
    }
    return wrong;
  };

  const photoUploadLimit = bodyLimit({
    maxSize: MAX_EVIDENCE_BYTES + 64 * 1024,
    onError: () => {
      throw new ProblemError('payload_too_large', {
        zh: `照片不能超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`,
        en: `a photo may be at most ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`,
      });
    },
  }) as unknown as MiddlewareHandler<AuthEnv>;

  /**
   * A photo for a failed item, from an API client: multipart, the file in `file`, one per request.
   * Stored under the round (the case it goes with has no number yet) and answered with its
   * reference, which the results then cite in the item's `photos`; its case takes it as it opens.
   */
  app.post('/api/inspections/:roundId/photos', photoUploadLimit, auth, async (c) => {
    const lang = callerLanguage(c);
    parseOr400(roundParam, c.req.param(), lang, 'path');
    const caller = c.get('caller');
    requireRole(caller, ['supervisor'], onlySupervisors);
    if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? ''))
      throw new ProblemError('unsupported_media_type', {
        zh: '请以 multipart/form-data 提交，照片放在 file 字段',
        en: 'send multipart/form-data with the photo in the field `file`',
      });
    const form = await formOr400(c, { all: true });
    const file = form.file;
    if (!(file instanceof File))
      throw new ProblemError(
        'validation',
        Array.isArray(file)
          ? {
              zh: '每次只能上传一张照片（file 字段出现了多次）',
              en: 'send one photo per upload (`file` came more than once)',
            }
          : { zh: '缺少照片（file 字段）', en: 'no photo in the field `file`' },
        [{ field: 'file', message: lang === 'en' ? 'one photo, required' : '必填，一张照片' }],
      );
    const round = await readable(c, 'upload');
    if (!round.assigneeIds.includes(caller.person.id)) throw notAssigned();
    if (round.status !== 'open') throw roundOver();
    try {
      const stored = await putEvidence(deps, {
        caseId: round.roundId,
        uploaderId: caller.person.id,
        file,
        photosOnly: true,
      });
      return c.json(stored, 201, { 'cache-control': 'no-store' });
    } catch (err) {
      if (!(err instanceof EvidenceError)) throw err;
      throw new ProblemError(err.code === 'too_large' ? 'payload_too_large' : 'validation', err.text, [
        { field: 'file', message: inLang(err.text, lang) },
      ]);
    }
  });

  // Results from an API client: `finish` defaults to true (send false to walk a round in parts).
  app.post('/api/inspections/:roundId/results', auth, async (c) => {
    const lang = callerLanguage(c);
    const { roundId } = parseOr400(roundParam, c.req.param(), lang, 'path');
    const caller = c.get('caller');
    requireRole(caller, ['supervisor'], onlySupervisors);
    const body = await jsonBody(c, checklistSubmission);
    const round = await roundOr404(roundId);
    const { wrong, results } = await checkPlacesAndPeople(round, body.results);
    if (wrong.length > 0)
      throw new ProblemError(
        'unprocessable',
        { zh: '检查结果中有无效的位置或人员', en: 'unknown places or people in the results' },
        wrong.map((w): FieldError => ({ field: w.field, message: inLang(w.text, lang) })),
      );
    const badPhotos = await citedPhotoProblems(round, results);
    if (badPhotos.length > 0)
      throw new ProblemError(
        'unprocessable',
        // Said as what is wrong: photos on a pass are not "a failed item's photos".
        badPhotos.every((w) => w.text === photosOnFailuresText)
          ? {
              zh: `${photosOnFailuresText.zh}；请去掉这些项的 photos`,
              en: `${photosOnFailuresText.en}: leave photos out of those items`,
            }
          : {
              zh: '检查结果中的照片不可用：照片只随尚未立案的不合格项提交，引用的须为本轮检查上传的照片（POST /api/inspections/{roundId}/photos）',
              en: 'photos in the results that cannot be taken: photos go with a failed item whose case is still to open, and each one cited must be a photo uploaded for this round (POST /api/inspections/{roundId}/photos)',
            },
        badPhotos.map((w): FieldError => ({ field: w.field, message: inLang(w.text, lang) })),
      );
    // A finish repeated as it was taken (a retry after the answer was lost) is answered as then.
    if (
      body.finish &&
      round.assigneeIds.includes(caller.person.id) &&
      repeatsFinish(round, results, sameCheck)
    )
      return c.json(withItems(round));
    try {
      return c.json(withItems(await submit(round, caller.person.id, { ...body, results }, lang)));
    } catch (err) {
      // The same finish sent twice at once: the one that lost the race repeats the one that won.
      if (body.finish && err instanceof RoundEndedError && round.assigneeIds.includes(caller.person.id)) {
        const now = await settledRound(roundId);
        if (now && repeatsFinish(now, results, sameCheck)) return c.json(withItems(now));
      }
      throw err;
    }
  });

  /**
   * The checklist page's form: fields `<itemId>.result|note|roomId` (items left blank are not
   * sent) and `finish`, the button pressed: only `finish=true` ends the round, and only once
   * every item is answered. What the page refuses comes back on the checklist, with what was
   * typed and the reason beside each item, in the page's language.
   */
  // Before the sign-in check, which reads the form for its CSRF token: a form with photos is the largest.
  app.post('/inspection/:roundId', checklistLimit, auth, async (c) => {
    const { lang, asked } = checklistLanguage(c);
    const roundId = c.req.param('roundId');
    if (!roundParam.safeParse({ roundId }).success) return noRoundPage(c, roundId, false);
    const caller = c.get('caller');
    requireRole(caller, ['supervisor'], onlySupervisors);
    const form = await formOr400(c);
    const read = await pageRead(c, 'record');
    if (read instanceof Response) return read;
    const { round, refusal } = read;
    if (refusal) return refusalPage(c, refusal, 'record');
    // The workflow's validator decides; asked here first so the page can answer in its language.
    if (!round.assigneeIds.includes(caller.person.id)) throw notAssigned();
    const field = (k: string) => {
      const v = form[k];
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
    };
    const ids = [
      ...new Set(
        Object.keys(form)
          .filter((k) => /\.(result|note|roomId)$/.test(k))
          .map((k) => k.replace(/\.(result|note|roomId)$/, '')),
      ),
    ];
    const posted: Record<string, ItemValues> = Object.fromEntries(
      ids.map((id) => [
        id,
        { result: field(`${id}.result`), note: field(`${id}.note`), roomId: field(`${id}.roomId`) },
      ]),
    );
    const values = { ...savedValues(round), ...posted };
    const finish = field('finish') === 'true';
    // Photos taken for a failed item (`<itemId>.photos[]`); a file input left empty sends a nameless empty file.
    const photos = new Map<string, File[]>();
    for (const [k, v] of Object.entries(form)) {
      const itemId = /^(.+)\.photos\[\]$/.exec(k)?.[1];
      const files = (Array.isArray(v) ? v : [v]).filter(
        (f): f is File => f instanceof File && (f.size > 0 || f.name !== ''),
      );
      if (itemId !== undefined && files.length > 0) photos.set(itemId, files);
    }
    // A page shown again cannot hold the files chosen: it asks for them again beside their items,
    // and keeps asking (the page it asked on says so in a hidden field) until photos are chosen
    // again, or the item no longer fails, or its case is open (its photos then go to the case).
    const askedBefore = Object.keys(form).flatMap((k) => {
      const itemId = k.endsWith(`.${PHOTOS_AGAIN_FIELD}`) ? k.slice(0, -PHOTOS_AGAIN_FIELD.length - 1) : '';
      return itemId && posted[itemId]?.result === 'fail' && round.cases[itemId] === undefined ? [itemId] : [];
    });
    const photosAgain = new Set([...photos.keys(), ...askedBefore]);
    const formEntries = ids.map((itemId) => ({ itemId, ...posted[itemId] }));
    // The finishing form sent again as it was (a retry after the answer was lost): done, as then.
    if (finish && repeatsFinish(round, formEntries, samePageValues))
      return c.redirect(`/inspection/${roundId}${asked ? `?lang=${asked}` : ''}`, 303);
    /**
     * The round as it now stands when it can no longer take the post (it ended while the page was
     * open): what the post carried that the round does not hold, read-only, with a way to a case.
     */
    const overPage = (now: InspectionRound, why: Bilingual, status: ContentfulStatusCode) => {
      const recorded = savedValues(now);
      const unsaved = withItems(now).items.flatMap((it): UnsavedFinding[] => {
        const v = posted[it.id];
        const typed =
          v !== undefined && Boolean(v.result || v.note || v.roomId) && changesSaved(recorded[it.id], v);
        if (!typed && !photos.has(it.id)) return [];
        const chosen = photos.get(it.id)?.length ?? 0;
        return [{ itemId: it.id, citation: it.citation, ...v, photos: chosen, caseId: now.cases[it.id] }];
      });
      return checklistPage(c, now, {
        problem: unsaved.length > 0 ? notTakenText(why) : why,
        status,
        unsaved,
      });
    };
    if (round.status !== 'open') return overPage(round, roundOverText, 409);
    const again = (status: ContentfulStatusCode, errors: ItemErrors, problem: Problem) =>
      checklistPage(c, round, {
        values,
        errors,
        problem,
        status,
        photosAgain,
      });

    const off = [...new Set([...ids.filter((id) => posted[id]?.result), ...photos.keys()])].filter(
      (id) => !round.checklist.includes(id),
    );
    if (off.length > 0) return again(422, {}, notOnChecklistPage(off));

    const errors: ItemErrors = {};
    const add = (id: string, text: Bilingual) => (errors[id] ??= []).push(text);
    for (const id of ids)
      if (!posted[id]?.result && (posted[id]?.note || posted[id]?.roomId))
        add(id, {
          zh: '填写了备注或房间，请同时选择结果',
          en: 'a note or room was given: choose a result too',
        });
    for (const [id, files] of photos) {
      const refusal = await photoRefusal(round, id, posted[id]?.result, files);
      if (refusal) add(id, refusal);
    }
    const entries = ids.filter((id) => posted[id]?.result).map((id) => ({ itemId: id, ...posted[id] }));
    // Items whose failure opened a case are shown, not posted: a finish may carry nothing of its
    // own, and the first recorded result, as it was, carries it.
    const first = round.results[0];
    const carried = finish && entries.length === 0 && Object.keys(errors).length === 0 && first;
    const parsed = parseForm(checklistSubmission, {
      results: carried ? [asEntry(first)] : entries,
      finish,
    });
    // Errors that belong to no item shown: nothing answered at all, or what the form cannot name.
    const general: Bilingual[] = [];
    if (!parsed.ok)
      for (const [path, text] of Object.entries(parsed.errors)) {
        const [, index, name] = /^results\.(\d+)\.?(\w*)/.exec(path) ?? [];
        const itemId = index === undefined ? undefined : entries[Number(index)]?.itemId;
        if (itemId !== undefined) add(itemId, fieldError(name ?? '', text));
        else if (path === 'results')
          general.push({ zh: '请至少为一项选择结果。', en: 'Choose a result for at least one item.' });
        else general.push(text);
      }
    const checked = parsed.ok ? await checkPlacesAndPeople(round, parsed.data.results) : null;
    for (const w of checked?.wrong ?? []) {
      const itemId = checked?.results[w.index]?.itemId;
      if (itemId) add(itemId, fieldError('roomId', w.text));
    }
    const marked = withItems(round).items.filter((it) => errors[it.id]);
    if (!parsed.ok || general.length > 0 || marked.length > 0) {
      const lead = {
        zh: general.map((g) => g.zh).join(''),
        en: general.map((g) => g.en).join(' '),
      };
      if (marked.length === 0) return again(400, errors, lead);
      // The page lists each item under this, linked to it, with what is wrong with it: counted as
      // the page marks them, an item whose photos are to be chosen again included.
      return again(400, errors, (n) => ({
        zh: `${lead.zh}请修改下面标出的 ${n} 项，本次提交未保存。`,
        en: `${lead.en ? `${lead.en} ` : ''}Nothing was saved: please correct the ${n === 1 ? 'item' : `${n} items`} marked below.`,
      }));
    }

    // Rooms as the directory spells them, so a room typed in another case is not a change.
    const submitted = checked?.results ?? parsed.data.results;
    // Asked here first to mark the items on the page; the round's workflow decides (below).
    const unanswered = (left: readonly string[]) =>
      again(
        422,
        Object.fromEntries(left.map((id) => [id, [{ zh: '尚未填写', en: 'not answered yet' }]])),
        unansweredText(left, round.checklist.length, {
          zh: '先“保存进度”',
          en: 'save your progress for now',
        }),
      );
    if (finish) {
      const left = unansweredItems(round.checklist, round.results, submitted);
      if (left.length > 0) return unanswered(left);
    }
    // The page posts every answered item again (it shows them filled in): only what changed is
    // sent, so a save keeps who recorded each unchanged result and when, and what the form does
    // not carry (a photo, a floor, a rectifier given through the API).
    const saved = savedValues(round);
    const changed = submitted.filter((r) => photos.has(r.itemId) || changesSaved(saved[r.itemId], r));
    // A failed item's case handles it now (a page loaded before the case opened may still offer it).
    const locked = changed.filter((r) => round.cases[r.itemId] !== undefined);
    if (locked.length > 0)
      return again(
        409,
        Object.fromEntries(locked.map((r) => [r.itemId, [caseOpenedItemText(round.cases[r.itemId] ?? '')]])),
        caseOpenedText(locked.map((r) => ({ itemId: r.itemId, caseId: round.cases[r.itemId] ?? '' }))),
      );
    if (changed.length === 0 && !finish)
      return c.redirect(`/inspection/${roundId}${asked ? `?lang=${asked}` : ''}`, 303);
    // Finishing with nothing changed still needs one result to carry it: the first, as it was
    // recorded (with what the form does not carry: photos, floor, rectifier).
    const recorded = submitted[0] && round.results.find((r) => r.itemId === submitted[0]?.itemId);
    const sent = changed.length > 0 ? changed : recorded ? [asEntry(recorded)] : submitted.slice(0, 1);
    // Stored only now, with everything else in order: under the round, as the cases they go with
    // have no numbers yet; each case takes its photos as it opens, and its description cites them.
    const stored = new Map<string, string[]>();
    for (const [itemId, files] of photos) {
      const refs: string[] = [];
      try {
        for (const file of files)
          refs.push(
            (
              await putEvidence(deps, {
                caseId: round.roundId,
                uploaderId: caller.person.id,
                file,
                photosOnly: true,
              })
            ).ref,
          );
      } catch (err) {
        if (!(err instanceof EvidenceError)) throw err;
        return again(400, { [itemId]: [photoText(err)] }, photosRefusedText);
      }
      stored.set(itemId, refs);
    }
    const results = sent.map((r) => {
      const refs = stored.get(r.itemId);
      return refs ? { ...r, photos: refs } : r;
    });
    try {
      await submit(round, caller.person.id, { ...parsed.data, results }, lang);
    } catch (err) {
      if (err instanceof UnansweredError) return unanswered(err.itemIds);
      // The items whose cases did open are on the round now: the page shows their cases.
      if (err instanceof CaseNotOpenedError)
        return checklistPage(c, (await getRound(store, roundId)) ?? round, {
          values,
          photosAgain,
          problem: caseNotOpenedText,
          technical: err.technical,
          status: 422,
        });
      if (!(err instanceof ProblemError) || err.type === 'forbidden') throw err;
      // A double tap of the finish button: the second post repeats what the first one finished.
      if (finish && err instanceof RoundEndedError) {
        const now = await settledRound(roundId);
        if (now && repeatsFinish(now, formEntries, samePageValues))
          return c.redirect(`/inspection/${roundId}${asked ? `?lang=${asked}` : ''}`, 303);
      }
      const problem = typeof err.detail === 'string' ? splitBilingual(err.detail) : err.detail;
      const status = problemTypes[err.type].status;
      // Ended meanwhile (finished by a colleague, or its period is over): the round as it now
      // stands, with what this post carried kept to copy. Still open (another post is saving): the
      // form as posted, but for the items whose cases opened meanwhile, shown as recorded.
      if (err.type === 'conflict') {
        const now = (await getRound(store, roundId)) ?? round;
        if (now.status !== 'open') return overPage(now, problem, status);
        const open = Object.fromEntries(Object.entries(posted).filter(([id]) => now.cases[id] === undefined));
        return checklistPage(c, now, {
          problem,
          status,
          photosAgain,
          values: { ...savedValues(now), ...open },
        });
      }
      return again(status, {}, problem);
    }
    return c.redirect(`/inspection/${roundId}${asked ? `?lang=${asked}` : ''}`, 303);
  });
  return app;
}

/**
 * A round's due as people read it: its period ends at midnight after the last day, which reads as
 * the next day ("2027-01-01 00:00" for December); the last minute of the last day says the same.
 */
function dueText(due: string, timeZone: string): string {
  const at = formatTime(due, timeZone);
  return at.endsWith(' 00:00') ? formatTime(new Date(Date.parse(due) - 60_000).toISOString(), timeZone) : at;
}

const photosAgainText: Bilingual = {
  zh: '所选照片未能保留，请重新选择照片',
  en: 'the photos chosen could not be kept: choose the photos again',
};

const photosRefusedText: Bilingual = {
  zh: '照片未能保存，本次提交未保存；请按下面的提示重新选择照片后再提交',
  en: 'A photo could not be stored, so nothing of this post was saved; choose the photos again as said below and send it again',
};

/** A file's refusal as the item says it: which photo, and why. */
const photoText = (err: EvidenceError, name?: string): Bilingual => ({
  zh: `照片${name ? ` ${name}` : ''}：${err.text.zh}`,
  en: `photo${name ? ` ${name}` : ''}: ${err.text.en}`,
});

// The rule only: requireRole names the roles that may, from READERS itself.
const readersText: Bilingual = {
  zh: '您的角色不能查看检查记录',
  en: 'your role may not read inspection rounds',
};
/** A supervisor of no building has no rounds to read: say so, not that the role is wrong. */
const noBuildingsText: Bilingual = {
  zh: '您目前不主管任何楼栋，没有可查看的检查记录；请指定楼栋（buildingId）或联系管理员',
  en: 'you supervise no building at present, so there are no inspection rounds for you; name a building (buildingId) or ask an administrator',
};

/** What a supervisor asked to do with a round of a building: read it, record its results, or add a photo. */
type ScopedAction = 'read' | 'record' | 'upload';

/**
 * A building's rounds, as its KPIs and reports: campus-wide readers, or its own supervisors; a
 * supervisor records and adds photos to their own buildings' rounds only. The building by its name.
 */
const outOfScope = (building: Bilingual, action: ScopedAction): Bilingual =>
  action === 'read'
    ? {
        zh: `主管只能查看所管楼栋的检查记录（${building.zh}不归您管）；全校的检查记录供工作小组、管理员、审计、校领导查看`,
        en: `supervisors read the rounds of the buildings they supervise only (${building.en} is not yours); the working group, admins, auditors and leadership read every building's`,
      }
    : action === 'record'
      ? {
          zh: `主管只能记录所管楼栋的检查结果（${building.zh}不归您管），本次提交未保存`,
          en: `supervisors record the rounds of the buildings they supervise only (${building.en} is not yours); nothing was saved`,
        }
      : {
          zh: `主管只能为所管楼栋的检查上传照片（${building.zh}不归您管），照片未保存`,
          en: `supervisors upload photos to the rounds of the buildings they supervise only (${building.en} is not yours); the photo was not stored`,
        };

const onlySupervisors: Bilingual = {
  zh: '检查由楼栋主管完成',
  en: "rounds are walked by the building's supervisors",
};

const notAssigned = () =>
  new ProblemError('forbidden', { zh: '您不是本次检查的检查人', en: 'you are not assigned to this round' });

const noRoundText = (roundId: string, wellFormed: boolean): Bilingual =>
  wellFormed
    ? {
        zh: `没有检查 ${roundId}：这次检查不存在，链接可能有误。请从工作台或通知邮件中的链接打开检查清单。`,
        en: `There is no inspection round ${roundId}: the link may be wrong. Open the checklist from the workbench or from the link in its email.`,
      }
    : {
        zh: `“${roundId}”不是有效的检查编号（形如 inspection.daily.bldg-a.2026-12-06），链接可能不完整。请从工作台或通知邮件中的链接打开检查清单。`,
        en: `“${roundId}” is not a valid inspection round id (one looks like inspection.daily.bldg-a.2026-12-06); the link may be cut short. Open the checklist from the workbench or from the link in its email.`,
      };

const photosOnFailuresText: Bilingual = {
  zh: '照片只随不合格项提交（合格、不适用的项不附照片）',
  en: 'photos go with a failed item only (a passed or n/a item carries none)',
};

const roundOverText: Bilingual = { zh: '本次检查已结束', en: 'this round is over' };

/** A round's end said to a post it could not take, whose entries the page shows below to copy. */
const notTakenText = (why: Bilingual): Bilingual => ({
  zh: `${why.zh}，本次提交未保存。您填写的内容列在下方，可复制，或为发现的问题新建案件。`,
  en: `${upFirst(why.en)}, so nothing of this post was saved. What you typed is below: copy it, or open a case for a problem found.`,
});
const roundOver = () => new ProblemError('conflict', roundOverText);

/** The round's workflow refused a post because the round has ended, or another post is ending it. */
class RoundEndedError extends ProblemError {
  constructor(text: Bilingual) {
    super('conflict', text);
  }
}
/** How long a finish refused as ended waits for the finish that ended the round to be saved. */
const SETTLE_MS = 10_000;
const roundFinishingText: Bilingual = {
  zh: '本次检查已提交结束（或正在结束），结果不能再修改',
  en: 'this round has already been finished (or is being finished); its results can no longer be changed',
};

const roundBusyText: Bilingual = {
  zh: '另一次提交正在保存（正在为不合格项立案），请稍候几秒再结束检查',
  en: 'another post to this round is still being saved (opening cases for failed items); finish again in a few seconds',
};

const roundTakenText: Bilingual = {
  zh: '本轮检查的记录属于该编号的另一次运行（这一轮已经运行过），本次提交没有改动检查记录。请刷新页面查看当前记录；如需更正，请联系管理员。',
  en: "this round's record belongs to another run of its id (the round already ran), so this post did not change it. Reload the page to see the record as it stands; ask an admin if it needs correcting.",
};

const notSavedText: Bilingual = {
  zh: '检查结果暂时无法保存（工作流服务或数据库未能完成），本次提交可能未保存。请稍后刷新页面核对，再重新提交。',
  en: 'the results could not be saved right now (the workflow service or the database did not finish it), so this post may not have been saved. Reload the page in a moment to check, then send it again.',
};

/**
 * A post's activity failure as the caller reads it: a save refused because another execution of
 * the round's id owns its record is a conflict (409, naming why); anything else that outlasted
 * its retries is the service's, to try again (503), with what the worker said beside it.
 */
export function activityProblem(failure: ActivityFailure, lang: Lang): ProblemError {
  const cause = failure.cause;
  const said = cause?.message || failure.message;
  if (cause instanceof ApplicationFailure && cause.type === InspectionRoundFailure.Taken)
    return new ProblemError('conflict', roundTakenText, [
      { field: 'roundId', message: `${InspectionRoundFailure.Taken}: ${inLang(roundTakenText, lang)}` },
    ]);
  return new ProblemError('unavailable', notSavedText, [{ field: 'results', message: said }]);
}

const unansweredText = (left: readonly string[], total: number, save: Bilingual): Bilingual => ({
  zh: `还有 ${left.length} 项未填写，不能结束检查。请填写全部 ${total} 项后再提交，或${save.zh}。`,
  en: `${left.length} of ${total} items are not answered yet, so the round cannot be finished. Answer them all, or ${save.en}.`,
});

/** A finish the round's workflow refused while items are unanswered, with their ids. */
class UnansweredError extends ProblemError {
  constructor(
    readonly itemIds: string[],
    total: number,
  ) {
    const text = unansweredText(itemIds, total, {
      zh: '以 finish: false 保存进度',
      en: 'send finish: false to save progress',
    });
    super('unprocessable', {
      zh: `${text.zh}未填写：${itemIds.join('、')}`,
      en: `${text.en} Not answered: ${itemIds.join(', ')}`,
    });
  }
}

/**
 * Whether a finish repeats what a completed round recorded: every entry sent is the item's
 * recorded result (as `same` compares them), so taking it again would change nothing.
 */
function repeatsFinish<E extends { itemId: string }>(
  round: InspectionRound,
  entries: readonly E[],
  same: (recorded: InspectionRound['results'][number], sent: E) => boolean,
): boolean {
  if (round.status !== 'completed' || entries.length === 0) return false;
  return entries.every((e) => {
    const recorded = round.results.find((r) => r.itemId === e.itemId);
    return recorded !== undefined && same(recorded, e);
  });
}

/** What the page's form carries of a result (result, note, room as typed) against what was recorded. */
const samePageValues = (recorded: InspectionRound['results'][number], sent: ItemValues) => {
  const room = (x: string | undefined) => (x ?? '').replace(/\s+/g, '').toUpperCase();
  return (
    recorded.result === sent.result &&
    (recorded.note ?? '') === (sent.note ?? '') &&
    room(recorded.roomId) === room(sent.roomId)
  );
};

/** A result as the round's workflow takes it: without who recorded it and when. */
const asEntry = (r: InspectionRound['results'][number]): CheckEntry => {
  const { by: _by, at: _at, ...entry } = r;
  return entry;
};

const caseOpenedItemText = (caseId: string): Bilingual => ({
  zh: `已立案 ${caseId}：此项结果不能再修改，整改与复查在案件中进行`,
  en: `case ${caseId} was opened: this item's result can no longer be changed; it is handled in the case now`,
});

const caseOpenedText = (locked: readonly { itemId: string; caseId: string }[]): Bilingual => ({
  zh: `不合格项已立案，结果不能再修改（${locked.map((l) => `${l.itemId}：${l.caseId}`).join('；')}）。整改与复查在案件中进行；本次提交未保存。`,
  en: `Cases were opened for failed items, so their results can no longer be changed (${locked.map((l) => `${l.itemId}: ${l.caseId}`).join('; ')}). They are handled in the cases now; nothing of this post was saved.`,
});

/** The round's refusal of a change to items whose cases are open: 409, naming each item's entry and case. */
function caseOpened(
  locked: readonly { itemId: string; caseId: string }[],
  results: readonly { itemId: string }[],
  lang: Lang,
): ProblemError {
  return new ProblemError(
    'conflict',
    caseOpenedText(locked),
    locked.map((l) => ({
      field: `results.${results.findIndex((r) => r.itemId === l.itemId)}.result`,
      message: inLang(caseOpenedItemText(l.caseId), lang),
    })),
  );
}

const caseOpeningText = (itemIds: readonly string[]): Bilingual => ({
  zh: `不合格项正在立案（${itemIds.join('、')}），结果不能再修改。整改与复查在案件中进行；本次提交未保存。`,
  en: `Cases are being opened for failed items (${itemIds.join(', ')}), so their results can no longer be changed. They are handled in the cases; nothing of this post was saved.`,
});

/** The round's refusal of a change to items whose cases another post is opening: 409, naming each item. */
function caseOpening(
  itemIds: readonly string[],
  results: readonly { itemId: string }[],
  lang: Lang,
): ProblemError {
  const text = caseOpeningText(itemIds);
  return new ProblemError(
    'conflict',
    text,
    itemIds.map((id) => ({
      field: `results.${results.findIndex((r) => r.itemId === id)}.result`,
      message: inLang(text, lang),
    })),
  );
}

/** The `{ itemId, caseId }` pairs a case-opened refusal's details carry. */
const lockedOf = (d: unknown): { itemId: string; caseId: string }[] =>
  Array.isArray(d)
    ? d.filter(
        (x): x is { itemId: string; caseId: string } =>
          typeof x === 'object' &&
          x !== null &&
          typeof (x as { itemId?: unknown }).itemId === 'string' &&
          typeof (x as { caseId?: unknown }).caseId === 'string',
      )
    : [];

/** The item ids a refusal's details carry (none when it carries something else). */
const idsOf = (d: unknown): string[] =>
  Array.isArray(d) ? d.filter((x): x is string => typeof x === 'string') : [];

const caseNotOpenedText: Bilingual = {
  zh: '未能为不合格项立案，本次提交未保存（在此之前已立案的不合格项除外，其结果已记录）。可能是校园名录刚有变动（该位置或整改人员已不在名录中）；请核对后重试，或联系管理员。',
  en: 'A case could not be opened for a failed item, so this submission was not saved (except the failed items whose cases were opened before it: their results are recorded). The campus directory may just have changed (the place or the rectifier is no longer in it); check and try again, or ask an admin.',
};

/**
 * A failed item whose case the worker could not open: the reason in the reader's language,
 * and what the worker said (English, for whoever looks into it) kept apart from it.
 */
class CaseNotOpenedError extends ProblemError {
  constructor(readonly technical: string) {
    super('unprocessable', caseNotOpenedText, [{ field: 'results', message: technical }]);
  }
}

const offChecklist = (round: InspectionRound, results: readonly { itemId: string }[]) =>
  results.map((r) => r.itemId).filter((id) => !round.checklist.includes(id));

const notOnChecklist = (ids: readonly string[]): Bilingual => ({
  zh: `不在本次检查的清单上：${ids.join('、')}`,
  en: `not on this round's checklist: ${ids.join(', ')}`,
});

/** The page's refusal of items it does not show (a page older than the round's checklist, or a post made by hand). */
const notOnChecklistPage = (ids: readonly string[]): Bilingual => ({
  zh: `本次提交未保存：${ids.join('、')} 不在本次检查的清单上（页面可能已过时）。请重新打开本页后再填写。`,
  en: `Nothing was saved: ${ids.join(', ')} ${ids.length === 1 ? 'is' : 'are'} not on this round's checklist (the page may be out of date). Open this page again and fill it in.`,
});

/** An item in the error summary: its citation, then what is wrong with it. */
const itemSummary = (citation: Bilingual, errs: readonly Bilingual[]): Bilingual => ({
  zh: `${citation.zh} — ${errs.map((e) => e.zh).join('；')}`,
  en: `${citation.en} — ${errs.map((e) => e.en).join('; ')}`,
});

const fieldLabels: Record<string, Bilingual> = {
  result: { zh: '结果', en: 'Result' },
  note: { zh: '备注', en: 'Note' },
  roomId: { zh: '房间', en: 'Room' },
};

/** A field's error as the page says it: the field named, zod's wording for a result replaced by a choice. */
function fieldError(name: string, text: Bilingual): Bilingual {
  const said =
    name === 'result' ? { zh: '请选择合格、不合格或不适用', en: 'choose pass, fail or n/a' } : text;
  const label = fieldLabels[name];
  return label ? { zh: `${label.zh}：${said.zh}`, en: `${label.en}: ${said.en}` } : said;
}
