// Longer than most modules because the audit routes share their readers rule, streaming and the anchor witness.
import { WorkflowNotFoundError, isGrpcServiceError } from '@temporalio/client';
import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import {
  caseExport,
  exportPeriod,
  periodBounds,
  renderCaseExport,
  type ExportFormat,
} from '../../audit/export.ts';
import { withEvidence } from '../../audit/evidence-check.ts';
import { stepSeqs } from '../../audit/scan.ts';
import { readChain } from '../../store/audit-chain.ts';
import { verifyAll, verifyCase, verifyEntries } from '../../audit/verify.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { loadDirectory } from '../../store/directory.ts';
import type { Role } from '../../domain/directory.ts';
import { anchorRuns, anchorWitness } from '../../audit/anchor-runs.ts';
import { assertExportablePeriod, MAX_EXPORT_PERIOD_DAYS } from '../audit-export-cap.ts';
import { describeEntry, summariseHistory } from '../audit-timeline.ts';
import { namesForAudit } from '../directory-names.ts';
import type { AuthEnv } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { requireRole } from '../middleware/bearer-auth.ts';
import { callerLanguage, ProblemError } from '../middleware/problems.ts';
import { bi, documentResponse, JSON_TYPE, problems } from './declare.ts';
import { streamPieces } from '../stream.ts';
import { boundedDateOrInstant, storedCaseIdSchema, wholeNumber } from '../schemas.ts';

/**
 * The auditors' read-only surface over the audit trail (a little over 350
 * lines: the streaming of long reads belongs with the routes that stream). Only GET routes
 * exist: nobody writes through here. Bearer authentication is the app's, as
 * for every /api route; each route adds the auditor-role check.
 *
 * - GET /api/cases/{caseId}/history[?source=temporal]
 * - GET /api/audit/verify?caseId=  one chain, JSON
 * - GET /api/audit/verify          every chain against the latest anchor, streamed as
 *   NDJSON (application/x-ndjson): a `start` line (the anchor and its own check, the
 *   number of cases), a `progress` line every `progressEvery` cases (default 50), a
 *   `case` line for each case that fails, and a `summary` line last. A client shows
 *   progress by reading lines as they come; a run that dies midway ends with an
 *   `error` line instead of a summary, so a missing summary always means incomplete.
 *   The anchor in the `start` line is also compared with the newest anchor workflow's
 *   result in Temporal (its `witness`), which a writer to DynamoDB cannot reach.
 * - GET /api/cases/{caseId}/export?format=json|csv
 * - GET /api/audit/export?from=&to=&buildingId=&format=json|csv (streamed, at most
 *   MAX_EXPORT_PERIOD_DAYS; longer periods are an audit job's, api/routes/audit-jobs.ts)
 */
export const AUDIT_READERS: Role[] = ['auditor', 'admin', 'working_group', 'leadership'];

const lang = z.enum(['zh-CN', 'en']).optional();
const format = z.enum(['json', 'csv']).default('json');
const dateOrInstant = boundedDateOrInstant;

const caseParams = z.object({ caseId: storedCaseIdSchema });
const historyQuery = z.strictObject({ source: z.enum(['audit', 'temporal']).default('audit'), lang });
const verifyQuery = z.strictObject({
  caseId: storedCaseIdSchema.optional(),
  progressEvery: wholeNumber(1, 10_000).default(50),
  lang,
});
const caseExportQuery = z.strictObject({ format, lang });
const periodExportQuery = z.strictObject({
  from: dateOrInstant,
  to: dateOrInstant,
  buildingId: z.string().min(1).max(100).optional(),
  format,
  lang,
});

const notFound = (caseId: string) =>
  new ProblemError('not_found', {
    zh: `没有案件 ${caseId} 的记录或审计轨迹`,
    en: `there is no record or audit trail for case ${caseId}`,
  });

const contentTypes: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

export { anchorWitness } from '../../audit/anchor-runs.ts';

async function* ndjson(events: AsyncGenerator<unknown>): AsyncGenerator<string> {
  try {
    for await (const e of events) yield `${JSON.stringify(e)}\n`;
  } catch (err) {
    console.error('audit verification failed midway', err);
    yield `${JSON.stringify({ type: 'error', detail: 'verification stopped before the end; run it again' })}\n`;
  }
}

const auditReaders = {
  zh: '审计人员、管理员、工作小组和校领导。',
  en: 'Auditors, admins, the working group and leadership.',
};
const auditProblems = (...extra: number[]) =>
  problems([400, 401, 403, ...extra, 503], {
    404: { zh: '没有该案件的记录或审计轨迹', en: 'No record or audit trail for the case' },
  });

export const caseHistoryRoute = createRoute({
  method: 'get',
  path: '/api/cases/{caseId}/history',
  operationId: 'caseHistory',
  tags: ['audit'],
  summary: bi({ zh: '案件的审计时间线', en: 'The audit timeline of a case' }),
  description: bi({
    zh: `每条审计记录：谁、何时、做了什么（按调用者语言），以及哈希链校验结果；?source=temporal 改为给出工作流自身的事件历史、每次更新及其审计记录。${auditReaders.zh}`,
    en: `Every audit entry: who, when, what (in the caller's language), with the hash chain's verification; ?source=temporal gives the workflow's own event history instead, with each update and the audit step it recorded. ${auditReaders.en}`,
  }),
  request: { params: caseParams, query: historyQuery },
  responses: {
    200: documentResponse(JSON_TYPE, { zh: '时间线', en: 'The timeline' }),
    ...auditProblems(404),
  },
});

export const verifyRoute = createRoute({
  method: 'get',
  path: '/api/audit/verify',
  operationId: 'verifyAudit',
  tags: ['audit'],
  summary: bi({ zh: '校验审计哈希链', en: 'Verify the audit hash chains' }),
  description: bi({
    zh: `带 caseId：校验一个案件的链（JSON）。不带：按最新锚点校验全部链，以 NDJSON 流式返回（start、每 progressEvery 件一条 progress、每个失败案件一条 case、最后 summary；中途失败以 error 行结束）。${auditReaders.zh}`,
    en: `With caseId: one case's chain (JSON). Without: every chain against the latest anchor, streamed as NDJSON (a start line, a progress line every progressEvery cases, a case line per failing case, a summary last; a run that dies midway ends with an error line). ${auditReaders.en}`,
  }),
  request: { query: verifyQuery },
  responses: {
    200: documentResponse(['application/x-ndjson', JSON_TYPE], { zh: '校验结果', en: 'The verification' }),
    ...auditProblems(404),
  },
});

export const caseExportRoute = createRoute({
  method: 'get',
  path: '/api/cases/{caseId}/export',
  operationId: 'exportCase',
  tags: ['audit'],
  summary: bi({ zh: '导出案件审计轨迹', en: 'Export the audit trail of a case' }),
  description: bi({
    zh: `案件记录与全部审计条目，JSON 或 CSV（附件下载）。${auditReaders.zh}`,
    en: `The case record and every audit entry, as JSON or CSV (a download). ${auditReaders.en}`,
  }),
  request: { params: caseParams, query: caseExportQuery },
  responses: {
    200: documentResponse([JSON_TYPE, 'text/csv'], { zh: '导出文件', en: 'The export' }),
    ...auditProblems(404),
  },
});

export const periodExportRoute = createRoute({
  method: 'get',
  path: '/api/audit/export',
  operationId: 'exportPeriod',
  tags: ['audit'],
  summary: bi({ zh: '导出一段时间的审计轨迹', en: 'Export the audit trails of a period' }),
  description: bi({
    zh: `[from, to) 内开启的案件（可限一栋楼）及其审计条目，流式 JSON 或 CSV。一次最多 ${MAX_EXPORT_PERIOD_DAYS} 天（to 为日期时含当天）；更长的时段返回 400，请分段导出，或用 POST /api/audit/jobs（kind 为 period_export）在后台导出。${auditReaders.zh}`,
    en: `Every case opened in [from, to) (optionally in one building) with its trail, streamed as JSON or CSV. At most ${MAX_EXPORT_PERIOD_DAYS} days per request (a date as \`to\` includes that day); a longer period is a 400: split it, or export it in the background with POST /api/audit/jobs (kind period_export). ${auditReaders.en}`,
  }),
  request: { query: periodExportQuery },
  responses: {
    200: documentResponse([JSON_TYPE, 'text/csv'], { zh: '导出文件', en: 'The export' }),
    ...auditProblems(),
  },
});

export const auditRouteDefinitions: RouteConfig[] = [
  caseHistoryRoute,
  verifyRoute,
  caseExportRoute,
  periodExportRoute,
];

export function auditRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  const aws = deps.aws;
  const tz = deps.env.CAMPUS_TZ;
  const auditReader: MiddlewareHandler<AuthEnv> = async (c, next) => {
    requireRole(c.get('caller'), AUDIT_READERS, {
      zh: '审计轨迹仅供审计人员、管理员、工作小组和校领导查阅',
      en: 'audit trails are read by auditors, admins, the working group and leadership',
    });
    await next();
  };
  const workflowUrl = (caseId: string) =>
    `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(caseId)}`;

  app.openapi({ ...caseHistoryRoute, middleware: [auditReader] }, async (c) => {
    const { caseId } = c.req.valid('param');
    const q = c.req.valid('query');
    const language = callerLanguage(c);
    const temporalUrl = workflowUrl(caseId);

    if (q.source === 'temporal') {
      let history;
      try {
        history = await deps.temporal.workflow.getHandle(caseId).fetchHistory();
      } catch (err) {
        // fetchHistory surfaces the raw gRPC NOT_FOUND (code 5) rather than WorkflowNotFoundError.
        const notFoundErr =
          err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === 5);
        if (!notFoundErr) throw err;
        throw new ProblemError('not_found', {
          zh: `Temporal 中没有案件 ${caseId} 的工作流历史（可能已超过命名空间的保留期）；审计轨迹仍可通过 /history 查看`,
          en: `Temporal holds no workflow history for case ${caseId} (it may be past the namespace's retention period); the audit trail is still at /history`,
        });
      }
      const summary = summariseHistory(history, await stepSeqs(aws.ddb, aws.tables, caseId));
      return c.json({ caseId, source: 'temporal', temporalUrl, ...summary }, 200);
    }

    const [record, entries, dir] = await Promise.all([
      getCaseRecord(aws.ddb, aws.tables, caseId),
      readChain(aws.ddb, aws.tables, caseId),
      loadDirectory(aws.ddb, aws.tables),
    ]);
    if (!record && entries.length === 0) throw notFound(caseId);
    const named = await namesForAudit(aws, dir);
    const verification = await withEvidence(
      deps,
      await verifyEntries(deps.aws, caseId, entries, { hasRecord: record !== null }),
      entries,
    );
    return c.json(
      {
        caseId,
        title: record?.title ?? null,
        stage: record?.stage ?? null,
        language,
        timeZone: tz,
        temporalUrl,
        verification,
        entries: entries.map((e) => describeEntry(e, language, named.names, tz, named.dir)),
      },
      200,
    );
  });

  app.openapi({ ...verifyRoute, middleware: [auditReader] }, async (c) => {
    const q = c.req.valid('query');
    if (q.caseId) {
      const record = await getCaseRecord(aws.ddb, aws.tables, q.caseId);
      const witness = await anchorWitness(deps.temporal, deps.env.TEMPORAL_TASK_QUEUE);
      const result = await verifyCase(aws, q.caseId, { hasRecord: record !== null, witness });
      if (!record && result.count === 0 && result.anchor === null) throw notFound(q.caseId);
      // The files the steps cite are checked too: a swapped photo fails the case.
      return c.json(await withEvidence(deps, result), 200);
    }
    const witness = await anchorWitness(deps.temporal, deps.env.TEMPORAL_TASK_QUEUE);
    const runs = anchorRuns(deps.temporal);
    return streamPieces(c, ndjson(verifyAll(aws, { progressEvery: q.progressEvery, witness, runs })), {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
    });
  });

  app.openapi({ ...caseExportRoute, middleware: [auditReader] }, async (c) => {
    const { caseId } = c.req.valid('param');
    const q = c.req.valid('query');
    const exported = await caseExport(aws, caseId);
    if (!exported) throw notFound(caseId);
    return streamPieces(c, renderCaseExport(exported, q.format, new Date().toISOString(), tz), {
      'content-type': contentTypes[q.format],
      'content-disposition': `attachment; filename="${caseId}-audit.${q.format}"`,
      'cache-control': 'no-store',
    });
  });

  app.openapi({ ...periodExportRoute, middleware: [auditReader] }, async (c) => {
    const l = callerLanguage(c);
    const q = c.req.valid('query');
    const period = periodBounds(q.from, q.to, tz);
    if (period.from >= period.to) {
      throw new ProblemError(
        'validation',
        { zh: '开始时间须早于结束时间', en: '`from` must be before `to`' },
        [{ field: 'from', message: l === 'en' ? 'must be before to' : '须早于 to' }],
      );
    }
    assertExportablePeriod(period, l);
    if (q.buildingId) {
      const dir = await loadDirectory(aws.ddb, aws.tables);
      if (dir && !dir.buildings.some((b) => b.id === q.buildingId)) {
        throw new ProblemError(
          'validation',
          {
            zh: `没有楼栋 ${q.buildingId}；可选：${dir.buildings.map((b) => b.id).join('、')}`,
            en: `there is no building ${q.buildingId}; known: ${dir.buildings.map((b) => b.id).join(', ')}`,
          },
          [{ field: 'buildingId', message: l === 'en' ? 'unknown building' : '未知楼栋' }],
        );
      }
    }
    const name = `audit-${q.from.slice(0, 10)}-${q.to.slice(0, 10)}${q.buildingId ? `-${q.buildingId}` : ''}.${q.format}`;
    const pieces = exportPeriod(
      aws,
      { ...period, buildingId: q.buildingId, format: q.format, timeZone: tz },
      new Date().toISOString(),
    );
    return streamPieces(c, pieces, {
      'content-type': contentTypes[q.format],
      'content-disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'cache-control': 'no-store',
    });
  });

  return app;
}
