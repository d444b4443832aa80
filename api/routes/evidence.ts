import { formOr400 } from '../form-body.ts';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import {
  EvidenceError,
  MAX_EVIDENCE_BYTES,
  confirmUpload,
  evidenceIdSchema,
  evidenceTypes,
  evidenceUrl,
  getEvidence,
  presignUpload,
  putEvidence,
  type EvidenceErrorCode,
} from '../../store/evidence.ts';
import { bearerOrSession, type SessionOrBearerEnv } from '../middleware/bearer-or-session.ts';
import { checkStep, isTerminal } from '../../domain/case-model.ts';
import { withSupervision } from '../../domain/directory.ts';
import { finishedCase, precheckPolicy, readCaseFor } from '../case-service.ts';
import { getReport, isReportId } from '../../store/reports.ts';
import type { AppDeps } from '../deps.ts';
import { callerLanguage, ProblemError, type ProblemType } from '../middleware/problems.ts';
import { caseIdSchema, safeString } from '../schemas.ts';
import { jsonBody, paramsOf } from '../middleware/validation.ts';

/**
 * Evidence uploads, for API clients (bearer token) and for the web pages' own
 * scripts (session cookie plus the X-CSRF-Token header):
 *
 * - POST /api/cases/{caseId}/evidence  {fileName, contentType, size} → 201 a presigned PUT
 * - POST /api/cases/{caseId}/evidence/upload  multipart `file` → 201 the reference (no-JS fallback)
 * - POST /api/evidence/{evidenceId}/confirm → the reference `evidence:<id>#sha256=<hex>`
 * - GET  /api/evidence/{evidenceId} → 302 to a short-lived presigned GET
 *
 * Everything here is open to whoever may read the case. Paths are absolute and
 * the routes authenticate themselves; app.ts mounts them ahead of the bearer-only
 * `/api` sub-app so that a page's session also gets through.
 */
type EvidenceEnv = SessionOrBearerEnv;

// Exported with the others below for the document (api/pages/page-routes.ts): what is validated is what is shown.
/** What a presigned upload is asked for with; the store then checks the type, size and name it declares. */
export const presignBody = z.strictObject({
  // Text rules first (one line, no control, bidi or zero-width tricks): the name is shown on pages and in mail.
  fileName: z
    .string()
    .min(1)
    .max(255)
    .pipe(safeString({ singleLine: true })),
  contentType: z
    .string()
    .min(1)
    .max(200)
    .pipe(safeString({ singleLine: true }))
    // Media types are case-insensitive (RFC 9110 §8.3.1); the answer's headers say the one to send.
    .transform((t) => t.toLowerCase()),
  size: z.number().int().min(0),
});
/** The multipart upload's one field. */
export const uploadForm = z.object({ file: z.file() });
export const caseParams = z.object({ caseId: caseIdSchema });
// The store's shape, read from its schema so the two cannot drift (without one, every id is refused),
// with words a person can act on: zod's own message for it shows the regex.
const EVIDENCE_ID = new RegExp(z.toJSONSchema(evidenceIdSchema).pattern ?? '(?!)');
export const evidenceParams = z.object({
  evidenceId: z
    .string()
    .regex(
      EVIDENCE_ID,
      '须为上传证据时返回的证据编号 evidenceId，如 ev_3q2Xv9LmPa0bC7dE / must be the evidenceId that the upload returned, such as ev_3q2Xv9LmPa0bC7dE',
    ),
});

const problemOf: Record<EvidenceErrorCode, ProblemType> = {
  unsupported_type: 'validation',
  empty: 'validation',
  bad_name: 'validation',
  too_large: 'payload_too_large',
  not_found: 'not_found',
  not_uploaded: 'conflict',
  not_confirmed: 'conflict',
  mismatch: 'unprocessable',
  too_many: 'unprocessable',
};

/** Runs a store call, turning its refusals into problem responses in the caller's language. */
async function refusalsAsProblems<T>(c: Context, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof EvidenceError)) throw err;
    const lang = callerLanguage(c);
    throw new ProblemError(
      problemOf[err.code],
      err.text,
      err.field ? [{ field: err.field, message: lang === 'en' ? err.text.en : err.text.zh }] : undefined,
    );
  }
}

/** What a refused body was said to be for: a file, a file's description, or nothing (the confirm). */
function tooLarge(maxSize: number, of: 'json' | 'file' | 'none') {
  switch (of) {
    case 'file':
      return {
        zh: `请求体过大：文件不能超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`,
        en: `the request body is too large: a file may be at most ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`,
      };
    case 'json':
      return {
        zh: `请求体过大：这里只收文件的说明（JSON，最多 ${maxSize / 1024} KB），文件本身请用上传地址发送`,
        en: `the request body is too large: this takes the file's description (JSON, at most ${maxSize / 1024} KB); send the file itself to the upload URL`,
      };
    case 'none':
      return {
        zh: '确认上传不需要请求体：请发送不带内容的 POST；文件本身请用上传地址发送',
        en: 'confirming an upload takes no body: send the POST empty; send the file itself to the upload URL',
      };
  }
}

/**
 * A JSON body's cap (a file's metadata, never the file), an upload's (the file itself), or the cap
 * on a route that reads no body (what a client sends there anyway is let be, up to a point).
 */
const limit = (maxSize: number, of: 'json' | 'file' | 'none') =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ProblemError('payload_too_large', tooLarge(maxSize, of));
    },
  });

export function evidenceRoutes(deps: AppDeps): Hono<EvidenceEnv> {
  const app = new Hono<EvidenceEnv>();
  const auth = bearerOrSession(deps);

  /** The case and the directory, once the caller may read the case. */
  async function readableCaseIn(c: Context<EvidenceEnv>, caseId: string) {
    const { dir, view } = await readCaseFor(deps, c.get('caller'), caseId);
    return { dir, view };
  }
  const readableCase = async (c: Context<EvidenceEnv>, caseId: string) =>
    (await readableCaseIn(c, caseId)).view;

  /**
   * A case the caller may add files to: one still open, where they take part (whoever may
   * comment on it: its supervisors, assignee and responsible, grid members, leadership). Reading
   * a case is not enough: an auditor changes nothing, and a closed case's evidence is final.
   */
  async function caseTakingFiles(c: Context<EvidenceEnv>, caseId: string) {
    const { dir, view } = await readableCaseIn(c, caseId);
    const caller = c.get('caller');
    if (isTerminal(view.stage)) throw finishedCase(view);
    const refusal = checkStep(
      'comment',
      withSupervision(dir, caller.actor),
      view,
      precheckPolicy(deps, dir, view),
    );
    if (refusal?.kind === 'forbidden')
      throw new ProblemError('forbidden', {
        zh: '只有参与本案件的人员可以上传证据文件（审计等只读角色不能）',
        en: 'only people taking part in this case may upload evidence to it (read-only roles such as auditors may not)',
      });
    return view;
  }

  /**
   * The evidence record, if the caller may read its case; otherwise as if it did not exist.
   * `viaReport`: a scanned report's photo (kept under the report's id) is read through the case
   * triage opened from that report or merged it into: the report's own decision names that case,
   * so whoever acts on the case sees what each of its reporters sent, and nothing a text cites.
   */
  async function readableEvidence(c: Context<EvidenceEnv>, opts: { viaReport?: boolean } = {}) {
    const { evidenceId } = paramsOf(c, evidenceParams);
    const record = await getEvidence(deps, evidenceId);
    const missing = new ProblemError('not_found', {
      zh: `没有证据 ${evidenceId}`,
      en: `there is no evidence ${evidenceId}`,
    });
    if (!record) throw missing;
    const report =
      opts.viaReport && isReportId(record.caseId) ? await getReport(deps.aws, record.caseId) : null;
    if (report && !((report.status === 'case' || report.status === 'merged') && report.caseId)) throw missing;
    const owner = report?.caseId ?? record.caseId;
    await readableCase(c, owner).catch((err: unknown) => {
      // Someone who may not read the case learns nothing about its files, not even that they exist.
      if (err instanceof ProblemError && err.type === 'forbidden') throw missing;
      throw err;
    });
    return record;
  }

  app.post('/api/cases/:caseId/evidence', limit(16 * 1024, 'json'), auth, async (c) => {
    const { caseId } = paramsOf(c, caseParams);
    const body = await jsonBody(c, presignBody);
    await caseTakingFiles(c, caseId);
    const upload = await refusalsAsProblems(c, () =>
      presignUpload(deps, { caseId, ...body, uploaderId: c.get('caller').person.id }),
    );
    return c.json(
      {
        ...upload,
        maxBytes: MAX_EVIDENCE_BYTES,
        acceptedTypes: evidenceTypes,
        confirmUrl: `/api/evidence/${upload.evidenceId}/confirm`,
      },
      201,
      { 'cache-control': 'no-store' },
    );
  });

  // Multipart framing around a file is small; the file itself is checked against the limit below.
  app.post(
    '/api/cases/:caseId/evidence/upload',
    limit(MAX_EVIDENCE_BYTES + 64 * 1024, 'file'),
    auth,
    async (c) => {
      const { caseId } = paramsOf(c, caseParams);
      if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '')) {
        throw new ProblemError('unsupported_media_type', {
          zh: '请以 multipart/form-data 提交，文件放在 file 字段',
          en: 'send multipart/form-data with the file in the field `file`',
        });
      }
      const form = await formOr400(c, { all: true });
      if (Array.isArray(form.file)) {
        // One reference answers one upload: a second file would otherwise be dropped unsaid.
        throw new ProblemError(
          'validation',
          {
            zh: '每次只能上传一个文件（file 字段出现了多次）',
            en: 'send one file per upload (`file` came more than once)',
          },
          [{ field: 'file', message: callerLanguage(c) === 'en' ? 'one file only' : '只能一个文件' }],
        );
      }
      const parsed = uploadForm.safeParse(form);
      if (!parsed.success) {
        throw new ProblemError(
          'validation',
          { zh: '缺少文件（file 字段）', en: 'no file in the field `file`' },
          [{ field: 'file', message: callerLanguage(c) === 'en' ? 'required' : '必填' }],
        );
      }
      await caseTakingFiles(c, caseId);
      const { file } = parsed.data;
      const result = await refusalsAsProblems(c, () =>
        putEvidence(deps, { caseId, uploaderId: c.get('caller').person.id, file }),
      );
      return c.json(result, 201, { 'cache-control': 'no-store' });
    },
  );

  app.post('/api/evidence/:evidenceId/confirm', limit(16 * 1024, 'none'), auth, async (c) => {
    const record = await readableEvidence(c);
    // Confirming adds the file to the case: only those who may add files, not every reader.
    await caseTakingFiles(c, record.caseId);
    const result = await refusalsAsProblems(c, () => confirmUpload(deps, record.evidenceId));
    return c.json(result, 200, { 'cache-control': 'no-store' });
  });

  app.get('/api/evidence/:evidenceId', auth, async (c) => {
    const record = await readableEvidence(c, { viaReport: true });
    const url = await refusalsAsProblems(c, () => evidenceUrl(deps, record));
    c.header('cache-control', 'no-store');
    return c.redirect(url, 302);
  });

  return app;
}
