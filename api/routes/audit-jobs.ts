import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { periodBounds } from '../../audit/export.ts';
import { readChain } from '../../store/audit-chain.ts';
import { AUDIT_JOB_ID_PATTERN, resultUrl, type AuditJob } from '../../store/audit-jobs.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { loadDirectory } from '../../store/directory.ts';
import { ownAuditJob, resultStoreOf, startAuditJobFor } from '../audit-jobs.ts';
import type { AuthEnv } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { requireRole } from '../middleware/bearer-auth.ts';
import { callerLanguage, ProblemError } from '../middleware/problems.ts';
import { jsonOnly } from '../middleware/validation.ts';
import { boundedDateOrInstant, buildingIdSchema, storedCaseIdSchema } from '../schemas.ts';
import { AUDIT_READERS, anchorWitness } from './audit.ts';
import { bi, JSON_TYPE, jsonResponse, problems } from './declare.ts';

/**
 * Long audit reads as jobs, the same on a Node server and on Lambda (no
 * streamed response needed): POST /api/audit/jobs starts one (202 with its id
 * and where to poll), GET /api/audit/jobs/{jobId} tells its status and
 * progress, GET /api/audit/jobs/{jobId}/download redirects to its result in the
 * object store (a presigned URL, valid for 5 minutes). Jobs run at most
 * AUDIT_JOBS_MAX_RUNNING at once and AUDIT_JOBS_MAX_PER_PERSON per person; a
 * start beyond either is a 429 naming the limit.
 */
const format = z.enum(['json', 'csv']).default('json');
export const auditJobRequestSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('verify'),
      progressEvery: z.number().int().min(1).max(10_000).default(50),
    }),
    z.strictObject({
      kind: z.literal('period_export'),
      from: boundedDateOrInstant,
      to: boundedDateOrInstant,
      buildingId: buildingIdSchema.optional(),
      format,
    }),
    z.strictObject({ kind: z.literal('case_export'), caseId: storedCaseIdSchema, format }),
  ],
  {
    // zod's Chinese for a missing or unknown kind is only 无效输入, its English a list of literals.
    error: (issue) =>
      issue.code === 'invalid_union'
        ? '须为 verify（校验全部链）、period_export（导出一段时间）或 case_export（导出一个案件）之一 / must be one of verify (check every chain), period_export (export a period) or case_export (export one case)'
        : undefined,
  },
);

const jobStatusSchema = z.object({
  jobId: z.string(),
  kind: z.enum(['verify', 'period_export', 'case_export']),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.object({ done: z.number(), total: z.number().nullable() }),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  pollUrl: z.string(),
  downloadUrl: z.string().optional(),
  fileName: z.string().optional(),
  bytes: z.number().optional(),
  summary: z.record(z.string(), z.unknown()).optional(),
  error: z.string().optional(),
});
export type AuditJobStatus = z.infer<typeof jobStatusSchema>;

// The shape store/audit-jobs.ts issues: anything else is refused before it is looked up or
// echoed back in a 404.
const jobParams = z.object({
  jobId: z
    .string()
    .regex(
      AUDIT_JOB_ID_PATTERN,
      '须为开始任务时返回的任务编号 jobId，如 job_3q2Xv9LmPa0bC7dE / must be the jobId that starting the job returned, such as job_3q2Xv9LmPa0bC7dE',
    ),
});
const readers = {
  zh: '审计人员、管理员、工作小组和校领导；只能查看自己开始的任务。',
  en: 'Auditors, admins, the working group and leadership; each sees only the jobs they started.',
};

export const startAuditJobRoute = createRoute({
  method: 'post',
  path: '/api/audit/jobs',
  operationId: 'startAuditJob',
  tags: ['audit'],
  middleware: [jsonOnly],
  summary: bi({
    zh: '开始一个审计长任务（全部校验、导出）',
    en: 'Start a long audit read (verify all, export)',
  }),
  description: bi({
    zh: `kind 为 verify（按最新锚点校验全部链，结果为 NDJSON）、period_export（一段时间的案件及审计轨迹）或 case_export（一个案件）。返回 202 与任务编号，轮询 pollUrl，完成后从 downloadUrl 下载。同时进行的任务有总数与每人上限，超出时返回 429。${readers.zh}`,
    en: `kind is verify (every chain against the latest anchor, an NDJSON result), period_export (the cases of a period with their trails) or case_export (one case). Answers 202 with the job id; poll pollUrl, then download from downloadUrl. Jobs running at once are capped in total and per person; beyond either, 429. ${readers.en}`,
  }),
  request: { body: { required: true, content: { [JSON_TYPE]: { schema: auditJobRequestSchema } } } },
  responses: {
    202: jsonResponse(jobStatusSchema, { zh: '任务已开始', en: 'The job started' }),
    ...problems([400, 401, 403, 404, 415, 429, 503], {
      404: { zh: '要导出的案件没有记录或审计轨迹', en: 'The case to export has no record or trail' },
    }),
  },
});

export const auditJobRoute = createRoute({
  method: 'get',
  path: '/api/audit/jobs/{jobId}',
  operationId: 'auditJob',
  tags: ['audit'],
  summary: bi({ zh: '审计任务的状态与进度', en: 'An audit job’s status and progress' }),
  description: bi({
    zh: `status 为 queued、running、done 或 failed；progress 为已处理数与总数（未知时为 null）；完成后给出 downloadUrl，失败时给出原因。${readers.zh}`,
    en: `status is queued, running, done or failed; progress counts what is done out of a total (null when unknown); once done it gives downloadUrl, once failed the reason. ${readers.en}`,
  }),
  request: { params: jobParams },
  responses: {
    200: jsonResponse(jobStatusSchema, { zh: '任务', en: 'The job' }),
    ...problems([400, 401, 403, 404, 503], { 404: { zh: '没有您的该任务', en: 'You have no such job' } }),
  },
});

export const auditJobDownloadRoute = createRoute({
  method: 'get',
  path: '/api/audit/jobs/{jobId}/download',
  operationId: 'downloadAuditJob',
  tags: ['audit'],
  summary: bi({ zh: '下载审计任务的结果', en: 'Download an audit job’s result' }),
  description: bi({
    zh: `303 重定向到对象存储中结果文件的预签名地址（5 分钟有效）；任务未完成时 409。${readers.zh}`,
    en: `A 303 redirect to the result file's presigned URL in the object store (valid for 5 minutes); 409 while the job has not finished. ${readers.en}`,
  }),
  request: { params: jobParams },
  responses: {
    303: { description: bi({ zh: '重定向到结果文件', en: 'Redirect to the result file' }) },
    ...problems([400, 401, 403, 404, 409, 503], {
      404: { zh: '没有您的该任务', en: 'You have no such job' },
    }),
  },
});

export const auditJobRouteDefinitions: RouteConfig[] = [
  startAuditJobRoute,
  auditJobRoute,
  auditJobDownloadRoute,
];

export const auditJobPollUrl = (jobId: string) => `/api/audit/jobs/${jobId}`;

/** A job as the API shows it to its owner. */
export function auditJobStatus(job: AuditJob): AuditJobStatus {
  return jobStatusSchema.parse({
    jobId: job.jobId,
    kind: job.kind,
    status: job.status,
    progress: job.progress,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    pollUrl: auditJobPollUrl(job.jobId),
    ...(job.status === 'done' && job.result
      ? {
          downloadUrl: `${auditJobPollUrl(job.jobId)}/download`,
          fileName: job.result.fileName,
          bytes: job.result.bytes,
        }
      : {}),
    summary: job.summary,
    error: job.error,
  });
}

export function auditJobRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  const auditReader: MiddlewareHandler<AuthEnv> = async (c, next) => {
    requireRole(c.get('caller'), AUDIT_READERS, {
      zh: '审计任务仅供审计人员、管理员、工作小组和校领导使用',
      en: 'audit jobs are for auditors, admins, the working group and leadership',
    });
    await next();
  };

  app.openapi({ ...startAuditJobRoute, middleware: [jsonOnly, auditReader] }, async (c) => {
    const body = c.req.valid('json');
    const caller = c.get('caller');
    const l = callerLanguage(c);
    let job: AuditJob;
    if (body.kind === 'verify') {
      job = await startAuditJobFor(deps, caller.person.id, {
        kind: 'verify',
        progressEvery: body.progressEvery,
        witness: await anchorWitness(deps.temporal, deps.env.TEMPORAL_TASK_QUEUE),
      });
    } else if (body.kind === 'period_export') {
      const period = periodBounds(body.from, body.to, deps.env.CAMPUS_TZ);
      if (period.from >= period.to) {
        throw new ProblemError(
          'validation',
          { zh: '开始时间须早于结束时间', en: '`from` must be before `to`' },
          [{ field: 'from', message: l === 'en' ? 'must be before to' : '须早于 to' }],
        );
      }
      if (body.buildingId) {
        const dir = await loadDirectory(deps.aws.ddb, deps.aws.tables);
        if (dir && !dir.buildings.some((b) => b.id === body.buildingId)) {
          throw new ProblemError(
            'validation',
            { zh: `没有楼栋 ${body.buildingId}`, en: `there is no building ${body.buildingId}` },
            [{ field: 'buildingId', message: l === 'en' ? 'unknown building' : '未知楼栋' }],
          );
        }
      }
      job = await startAuditJobFor(deps, caller.person.id, {
        kind: 'period_export',
        from: period.from,
        to: period.to,
        label: `${body.from.slice(0, 10)}-${body.to.slice(0, 10)}`,
        buildingId: body.buildingId,
        format: body.format,
      });
    } else {
      const [record, chain] = await Promise.all([
        getCaseRecord(deps.aws.ddb, deps.aws.tables, body.caseId),
        readChain(deps.aws.ddb, deps.aws.tables, body.caseId),
      ]);
      if (!record && chain.length === 0) {
        throw new ProblemError('not_found', {
          zh: `没有案件 ${body.caseId} 的记录或审计轨迹`,
          en: `there is no record or audit trail for case ${body.caseId}`,
        });
      }
      job = await startAuditJobFor(deps, caller.person.id, {
        kind: 'case_export',
        caseId: body.caseId,
        format: body.format,
      });
    }
    c.header('location', auditJobPollUrl(job.jobId));
    return c.json(auditJobStatus(job), 202);
  });

  app.openapi({ ...auditJobRoute, middleware: [auditReader] }, async (c) => {
    const job = await ownAuditJob(deps, c.get('caller').person.id, c.req.valid('param').jobId);
    c.header('cache-control', 'no-store');
    return c.json(auditJobStatus(job), 200);
  });

  app.openapi({ ...auditJobDownloadRoute, middleware: [auditReader] }, async (c) => {
    const job = await ownAuditJob(deps, c.get('caller').person.id, c.req.valid('param').jobId);
    if (job.status !== 'done' || !job.result) {
      throw new ProblemError(
        'conflict',
        job.status === 'failed'
          ? { zh: `任务失败：${job.error ?? ''}`, en: `the job failed: ${job.error ?? ''}` }
          : {
              zh: `任务尚未完成（${job.status}），请稍后再下载`,
              en: `the job has not finished (${job.status}); download it when done`,
            },
      );
    }
    c.header('cache-control', 'no-store');
    return c.redirect(await resultUrl(resultStoreOf(deps), job.result), 303);
  });

  return app;
}
