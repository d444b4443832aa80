import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { inLang } from '../../../domain/text.ts';
import { MAX_EVIDENCE_BYTES } from '../../../store/evidence.ts';
import type { AppDeps } from '../../deps.ts';
import { toProblem } from '../../middleware/problems.ts';
import { csrfProtect, requireViewer, sessionMiddleware, type WebEnv } from '../../middleware/session.ts';
import { ProblemError, problemTypes } from '../../middleware/problems.ts';
import { stuckPageRoutes } from './admin-stuck.tsx';
import { caseHandlingPageRoutes } from './case-handling-page.tsx';
import { casePageRoutes, MAX_PHOTOS, PHOTO_STEP_PATH } from './case-page.tsx';
import { caseListRoutes } from './case-list.tsx';
import { NEW_CASE_PATH, newCaseRoutes } from './new-case.tsx';
import { MAX_NEW_CASE_PHOTOS } from './new-case-photos.ts';
import { page } from './web-kit.tsx';
import { workbenchRoutes } from './workbench.tsx';

/**
 * The signed-in case pages, mounted at /app: workbench, case list and
 * exports, new case, case page with its step forms. Every route needs a
 * session, and every POST its CSRF token.
 */
export function webAppRoutes(deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  // Limits hold before the CSRF check reads a body: a step's photos are the largest form.
  const multipart = (c: Context) => /^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '');
  // Only a multipart form carries photos: a plain form over its limit has too much text.
  const tooLarge = (maxSize: number) => (c: Context) => {
    const mb = Math.round(maxSize / 1024 / 1024);
    throw new ProblemError(
      'payload_too_large',
      multipart(c)
        ? {
            zh: `提交的内容不能超过 ${mb} MB；请减少照片数量或大小`,
            en: `a form may carry at most ${mb} MB; send fewer or smaller photos`,
          }
        : {
            zh: `提交的文字过长：表单内容不能超过 ${mb} MB；请删减文字后再提交`,
            en: `the text sent is too long: a form may carry at most ${mb} MB; shorten it and submit again`,
          },
    );
  };
  const photoMax = MAX_PHOTOS * MAX_EVIDENCE_BYTES + 256 * 1024;
  const photoLimit = bodyLimit({ maxSize: photoMax, onError: tooLarge(photoMax) });
  const formLimit = bodyLimit({ maxSize: 1024 * 1024, onError: tooLarge(1024 * 1024) });
  // The new-case form carries its few photos as multipart; sent as a plain form it has none.
  const newCaseMax = MAX_NEW_CASE_PHOTOS * MAX_EVIDENCE_BYTES + 256 * 1024;
  const newCaseLimit = bodyLimit({ maxSize: newCaseMax, onError: tooLarge(newCaseMax) });
  const limit: MiddlewareHandler<WebEnv> = (c, next) =>
    PHOTO_STEP_PATH.test(c.req.path)
      ? photoLimit(c, next)
      : c.req.path === NEW_CASE_PATH && multipart(c)
        ? newCaseLimit(c, next)
        : formLimit(c, next);
  for (const path of ['/', '/cases', '/cases/*', '/admin/stuck', '/admin/stuck/*']) {
    app.use(path, sessionMiddleware(deps), requireViewer, limit, csrfProtect);
  }
  // People reading pages get a page, not problem+json, when something is refused or missing.
  app.onError((err, c) => {
    const problem = toProblem(err);
    if (!problem) {
      console.error(`[web] ${c.req.method} ${c.req.path} failed`, err);
    }
    const type = problem?.type ?? 'internal';
    const text =
      problem === null
        ? {
            zh: '服务器内部错误，已记录；请稍后重试',
            en: 'Internal error; it was logged, please try again later',
          }
        : typeof problem.detail === 'string'
          ? { zh: problem.detail, en: problem.detail }
          : problem.detail;
    const lang = c.get('lang') ?? 'zh-CN';
    const status = problemTypes[type].status;
    return page(
      c,
      { zh: problemTypes[type].zh, en: problemTypes[type].en },
      <p>
        <a href="/app">{inLang({ zh: '返回工作台', en: 'Back to the workbench' }, lang)}</a>
      </p>,
      // The shared error message: titled as an error and where the keyboard lands.
      { status, flash: { kind: 'error', text } },
    );
  });
  workbenchRoutes(app, deps);
  // Before /cases/:caseId, so "new" and the exports are not taken for case numbers.
  newCaseRoutes(app, deps);
  caseListRoutes(app, deps);
  casePageRoutes(app, deps);
  caseHandlingPageRoutes(app, deps);
  stuckPageRoutes(app, deps);
  return app;
}
