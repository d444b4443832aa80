import { formOr400 } from '../form-body.ts';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { locationExists } from '../../domain/directory.ts';
import {
  checkResults,
  checklistSubmission,
  roundKindNames,
  type ChecklistSubmission,
  type DimensionScore,
  type InspectionRound,
} from '../../domain/inspection.ts';
import { citation, dimensionKeys, standardItem, standards } from '../../domain/standards/catalogue.ts';
import { getRound, roundsBetween } from '../../store/inspections.ts';
import { InspectionRoundFailure, recordChecksUpdate } from '../../workflows/inspection-round/messages.ts';
import type { AuthEnv } from '../auth.ts';
import { requireRole } from '../middleware/bearer-auth.ts';
import { bearerOrSession, type SessionOrBearerEnv } from '../middleware/bearer-or-session.ts';
import type { AppDeps } from '../deps.ts';
import { callerLanguage, ProblemError, type FieldError, type Lang } from '../middleware/problems.ts';
import { jsonBody, parseOr400 } from '../middleware/validation.ts';
import { directoryOrFail as directoryOr503 } from '../reads.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-12-04 / 日期格式如 2026-12-04');
const listQuery = z
  .object({ buildingId: z.string().min(1).max(64).optional(), from: date, to: date })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'to must not be before from / to 不能早于 from' });
const roundParam = z.object({
  roundId: z.string().regex(/^inspection\.(daily|weekly|monthly)\.[A-Za-z0-9_.:-]+$/),
});
const pageQuery = z.object({ lang: z.enum(['zh-CN', 'en']).optional() });

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

function ChecklistPage(props: {
  round: ReturnType<typeof withItems>;
  lang: Lang;
  csrf?: string | undefined;
}) {
  const { round, lang } = props;
  const t = (x: { zh: string; en: string }) => (lang === 'en' ? `${x.en} / ${x.zh}` : `${x.zh} / ${x.en}`);
  const label = {
    pass: { zh: '合格', en: 'pass' },
    fail: { zh: '不合格', en: 'fail' },
    na: { zh: '不适用', en: 'n/a' },
  };
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>
          {t({ zh: `${round.kindName.zh} ${round.period}`, en: `${round.kindName.en} ${round.period}` })}
        </title>
        <style>{`body{font-family:system-ui,sans-serif;margin:.5rem;max-width:40rem}fieldset{margin:.5rem 0;border:1px solid #ccc}legend{font-weight:600}label{margin-right:1rem;display:inline-block;padding:.4rem 0}textarea,input[type=text]{width:100%;box-sizing:border-box}small{color:#555}`}</style>
      </head>
      <body>
        <h1>
          {t({
            zh: `${round.kindName.zh} ${round.buildingId} ${round.period}`,
            en: `${round.kindName.en} ${round.buildingId} ${round.period}`,
          })}
        </h1>
        <p>
          {t({
            zh: `状态：${round.status}；截止：${round.due}`,
            en: `Status: ${round.status}; due ${round.due}`,
          })}
        </p>
        <form method="post" action={`/inspection/${round.roundId}`}>
          {props.csrf ? <input type="hidden" name="_csrf" value={props.csrf} /> : null}
          {round.items.map((it) => (
            <fieldset>
              <legend>{t(it.citation)}</legend>
              {it.requirement ? <small>{lang === 'en' ? it.requirement.en : it.requirement.zh}</small> : ''}
              <div>
                {checkResults.map((r) => (
                  <label>
                    <input type="radio" name={`${it.id}.result`} value={r} checked={it.result === r} />{' '}
                    {t(label[r])}
                  </label>
                ))}
              </div>
              <input
                type="text"
                name={`${it.id}.roomId`}
                placeholder={t({ zh: '房间（可选）', en: 'Room (optional)' })}
              />
              <textarea name={`${it.id}.note`} rows={2} placeholder={t({ zh: '备注', en: 'Note' })}>
                {it.note ?? ''}
              </textarea>
              {it.caseId ? <p>{t({ zh: `已立案 ${it.caseId}`, en: `Case ${it.caseId} opened` })}</p> : ''}
            </fieldset>
          ))}
          <button type="submit">{t({ zh: '提交', en: 'Submit' })}</button>
        </form>
      </body>
    </html>
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

  const readable = async (c: Context<AuthEnv>) => {
    const lang = callerLanguage(c);
    const { roundId } = parseOr400(roundParam, c.req.param(), lang, 'path');
    requireRole(c.get('caller'), [...READERS], {
      zh: '检查记录供主管、工作小组、校领导、审计查看',
      en: 'inspection rounds are for supervisors, the working group, leadership and auditors',
    });
    const round = await getRound(store, roundId);
    if (!round)
      throw new ProblemError('not_found', {
        zh: `没有检查 ${roundId}`,
        en: `no inspection round ${roundId}`,
      });
    return round;
  };

  app.get('/api/inspections', auth, async (c) => {
    const lang = callerLanguage(c);
    const q = parseOr400(listQuery, c.req.query(), lang, 'query');
    requireRole(c.get('caller'), [...READERS], {
      zh: '检查记录供主管、工作小组、校领导、审计查看',
      en: 'inspection rounds are for supervisors, the working group, leadership and auditors',
    });
    const dir = await directoryOr503(deps);
    if (q.buildingId && !dir.buildings.some((b) => b.id === q.buildingId))
      throw new ProblemError('not_found', {
        zh: `没有楼栋 ${q.buildingId}`,
        en: `no building ${q.buildingId}`,
      });
    const buildings = q.buildingId ? [q.buildingId] : dir.buildings.map((b) => b.id);
    const rounds = (await Promise.all(buildings.map((b) => roundsBetween(store, b, q.from, q.to)))).flat();
    return c.json({
      from: q.from,
      to: q.to,
      catalogueVersion: standards.version,
      scores: aggregateScores(rounds),
      rounds: rounds.map((r) => ({
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
    });
  });

  app.get('/api/inspections/:roundId', auth, async (c) => c.json(withItems(await readable(c))));

  app.get('/inspection/:roundId', auth, async (c) => {
    const q = parseOr400(pageQuery, c.req.query(), callerLanguage(c), 'query');
    const lang = q.lang ?? (c.get('caller').person.language === 'en' ? 'en' : 'zh-CN');
    const round = withItems(await readable(c));
    // Signed in through the page session, the form carries its CSRF token; with a bearer token none is needed.
    const csrf = (c as unknown as Context<SessionOrBearerEnv>).get('csrfToken');
    return c.html('<!doctype html>' + String(<ChecklistPage round={round} lang={lang} csrf={csrf} />));
  });

  /** Records results for a round (JSON or the checklist page's form): the round's workflow decides. */
  const record = async (c: Context<AuthEnv>, read: () => Promise<ChecklistSubmission>) => {
    const lang = callerLanguage(c);
    const { roundId } = parseOr400(roundParam, c.req.param(), lang, 'path');
    const caller = c.get('caller');
    requireRole(caller, ['supervisor'], {
      zh: '检查由楼栋主管完成',
      en: "rounds are walked by the building's supervisors",
    });
    const body = await read();
    const round = await getRound(store, roundId);
    if (!round)
      throw new ProblemError('not_found', {
        zh: `没有检查 ${roundId}`,
        en: `no inspection round ${roundId}`,
      });
    const dir = await directoryOr503(deps);
    const errors: FieldError[] = [];
    body.results.forEach((r, i) => {
      if (!locationExists(dir, { buildingId: round.buildingId, floorId: r.floorId, roomId: r.roomId }))
        errors.push({
          field: `results.${i}`,
          message: lang === 'en' ? 'no such place in the building' : '楼栋内没有该位置',
        });
      if (r.assigneeId && !dir.people.some((p) => p.id === r.assigneeId && p.roles.includes('staff')))
        errors.push({
          field: `results.${i}.assigneeId`,
          message: lang === 'en' ? 'not a staff member' : '不是员工',
        });
    });
    if (errors.length > 0)
      throw new ProblemError(
        'unprocessable',
        { zh: '检查结果中有无效的位置或人员', en: 'unknown places or people in the results' },
        errors,
      );
    try {
      const after = await deps.temporal.workflow.getHandle(roundId).executeUpdate(recordChecksUpdate, {
        args: [{ by: caller.person.id, results: body.results, finish: body.finish }],
      });
      return withItems(after);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        const m = { zh: err.cause.message, en: err.cause.message };
        if (err.cause.type === InspectionRoundFailure.NotAssigned)
          throw new ProblemError('forbidden', {
            zh: '您不是本次检查的检查人',
            en: 'you are not assigned to this round',
          });
        if (err.cause.type === InspectionRoundFailure.Closed)
          throw new ProblemError('conflict', { zh: '本次检查已结束', en: 'this round is over' });
        throw new ProblemError('unprocessable', m);
      }
      if (err instanceof WorkflowNotFoundError)
        throw new ProblemError('conflict', { zh: '本次检查已结束', en: 'this round is over' });
      throw err;
    }
  };

  app.post('/api/inspections/:roundId/results', auth, async (c) =>
    c.json(await record(c, () => jsonBody(c, checklistSubmission))),
  );

  // The checklist page's form: fields `<itemId>.result|note|roomId`; items left blank are not sent.
  app.post('/inspection/:roundId', auth, async (c) => {
    const after = await record(c, async () => {
      const form = await formOr400(c);
      const field = (k: string) => {
        const v = form[k];
        return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
      };
      const ids = [...new Set(Object.keys(form).map((k) => k.replace(/\.(result|note|roomId)$/, '')))];
      const results = ids
        .filter((id) => field(`${id}.result`))
        .map((id) => ({
          itemId: id,
          result: field(`${id}.result`),
          note: field(`${id}.note`),
          roomId: field(`${id}.roomId`),
        }));
      return parseOr400(
        checklistSubmission,
        { results, finish: field('finish') !== 'false' },
        callerLanguage(c),
        'form',
      );
    });
    return c.redirect(`/inspection/${after.roundId}`, 303);
  });
  return app;
}
