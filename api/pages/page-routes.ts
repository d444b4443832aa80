import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import type { z } from 'zod';
import { checklistSubmission } from '../../domain/inspection.ts';
import type { Bilingual } from '../../domain/text.ts';
import { zeroReportBody } from '../../domain/zero-report.ts';
import { bi, documentResponse, JSON_TYPE, langParameter, pageResponse, problems } from '../routes/declare.ts';
import { caseParams, evidenceParams, presignBody, uploadForm } from '../routes/evidence.ts';
import {
  checklistFormFields,
  checklistMax,
  listQuery as inspectionListQuery,
  photoUploadForm,
  roundParam,
} from '../routes/inspection.tsx';
import { placesQuery, reportFormFields, surveyFormFields } from '../routes/intake.tsx';
import { nightParam } from '../routes/zero-report.tsx';

/**
 * The routes written as plain Hono handlers, declared here for /openapi.json
 * and /docs: the web app's pages and forms (a browser session, HTML answers),
 * sign-in, and the evidence routes (which take a bearer token or a session,
 * so they validate in the handler). The route-coverage test fails on any
 * served route missing from this list or from a `createRoute` declaration.
 */
type Kind = 'page' | 'form' | 'redirect' | 'file' | JsonRoute;

/**
 * A JSON route's own declaration: its request as the zod schemas its handler
 * validates with (imported from the handler's module, never copied), and the
 * statuses that handler can answer.
 */
interface JsonRoute {
  description?: Bilingual;
  request?: Pick<NonNullable<RouteConfig['request']>, 'params' | 'query' | 'body'>;
  responses: RouteConfig['responses'];
}

const json = (text: Bilingual) => documentResponse(JSON_TYPE, text);
const jsonBody = (schema: z.ZodType) => ({ content: { [JSON_TYPE]: { schema } }, required: true });

// What the evidence, inspection and zero-report routes answer besides their result.
const noEvidence = {
  zh: '没有该证据，或无权查看其案件',
  en: 'No such evidence, or its case is not yours to read',
};
const noRound = { zh: '没有该检查轮次', en: 'No such inspection round' };
const notTakingPart = {
  zh: '无权向该案件添加文件（不能查看该案件、审计等只读角色，或 CSRF 令牌不符）',
  en: 'Not yours to add files to: a case you may not read, a read-only role such as auditor, or a wrong CSRF token',
};
const caseOver = {
  zh: '案件已关闭或撤销，不再接受文件',
  en: 'The case is closed or withdrawn and takes no more files',
};
const notInspector = {
  zh: '无权查看或记录（角色不符、不是本轮检查人，或 CSRF 令牌不符）',
  en: 'Not allowed: a role that may not, not assigned to the round, or a wrong CSRF token',
};

const pages: [RouteConfig['method'], string, Kind, Bilingual, string[]][] = [
  [
    'post',
    '/api/cases/{caseId}/evidence',
    {
      description: {
        zh: '声明文件名、类型与大小，得到限时 PUT 地址；上传后调用 confirmUrl。',
        en: 'Declare the file’s name, type and size for a short-lived PUT URL; call confirmUrl once it is uploaded.',
      },
      request: { params: caseParams, body: jsonBody(presignBody) },
      responses: {
        201: json({
          zh: '上传地址、evidenceId 与 confirmUrl',
          en: 'The upload URL, evidenceId and confirmUrl',
        }),
        ...problems([400, 401, 403, 404, 409, 413, 415, 503], {
          400: {
            zh: '请求有误，或不接受的文件类型、文件名',
            en: 'Invalid request, or a file type or name not accepted',
          },
          403: notTakingPart,
          409: caseOver,
          413: { zh: '声明的文件过大', en: 'The declared file is too large' },
        }),
      },
    },
    { zh: '申请上传证据（预签名 PUT）', en: 'Reserve an evidence upload (presigned PUT)' },
    ['evidence'],
  ],
  [
    'post',
    '/api/cases/{caseId}/evidence/upload',
    {
      description: {
        zh: '一次请求上传一个文件（multipart/form-data，字段 file），返回证据引用。',
        en: 'One file in one request (multipart/form-data, field `file`); answers its evidence reference.',
      },
      request: {
        params: caseParams,
        body: { content: { 'multipart/form-data': { schema: uploadForm } }, required: true },
      },
      responses: {
        201: json({ zh: '证据引用', en: 'The evidence reference' }),
        ...problems([400, 401, 403, 404, 409, 413, 415, 422, 503], {
          400: {
            zh: '缺少文件、多个文件，或不接受的文件类型',
            en: 'No file, several, or a type not accepted',
          },
          403: notTakingPart,
          409: caseOver,
          413: { zh: '文件过大', en: 'The file is too large' },
          415: { zh: '不是 multipart/form-data', en: 'Not multipart/form-data' },
          422: { zh: '文件内容与其类型不符', en: 'The content does not match its type' },
        }),
      },
    },
    { zh: '上传证据（multipart，一次完成）', en: 'Upload evidence in one multipart request' },
    ['evidence'],
  ],
  [
    'post',
    '/api/evidence/{evidenceId}/confirm',
    {
      description: {
        zh: '无请求体：读取已上传的文件，核对类型并计算 SHA-256。',
        en: 'No body: reads the uploaded file, checks its type and hashes it (SHA-256).',
      },
      request: { params: evidenceParams },
      responses: {
        200: json({
          zh: '证据引用 evidence:<id>#sha256=<hex>',
          en: 'The reference evidence:<id>#sha256=<hex>',
        }),
        ...problems([400, 401, 403, 404, 409, 413, 422, 503], {
          403: { zh: 'CSRF 令牌不符', en: 'A wrong CSRF token' },
          404: noEvidence,
          409: { zh: '文件尚未上传', en: 'Nothing was uploaded yet' },
          413: { zh: '上传的文件过大', en: 'The uploaded file is too large' },
          422: { zh: '上传的内容与声明的类型不符', en: 'The upload does not match its declared type' },
        }),
      },
    },
    { zh: '确认上传并计算 SHA-256', en: 'Confirm an upload and hash it (SHA-256)' },
    ['evidence'],
  ],
  [
    'get',
    '/api/evidence/{evidenceId}',
    'redirect',
    {
      zh: '查看证据文件（跳转到限时下载）',
      en: 'Open an evidence file (redirect to a short-lived download)',
    },
    ['evidence'],
  ],
  ['get', '/login', 'page', { zh: '登录页', en: 'Sign-in page' }, ['web']],
  [
    'get',
    '/auth/start',
    'redirect',
    {
      zh: '开始统一身份认证登录（OIDC + PKCE）',
      en: 'Start signing in at the identity provider (OIDC + PKCE)',
    },
    ['web'],
  ],
  ['get', '/auth/callback', 'redirect', { zh: '身份认证回调', en: 'Identity provider callback' }, ['web']],
  ['post', '/logout', 'redirect', { zh: '退出登录', en: 'Sign out' }, ['web']],
  [
    'get',
    '/login/link/{token}',
    {
      responses: {
        302: { description: bi({ zh: '已登录：转到工作台', en: 'Signed in: to the workbench' }) },
        403: pageResponse({ zh: '此人不在校园名录中', en: 'The person is not in the campus directory' }),
        404: pageResponse({ zh: '本环境不提供登录链接', en: 'Sign-in links are not offered here' }),
        410: pageResponse({
          zh: '链接已用过或已过期：请重新获取',
          en: 'The link was used already or has expired: get a new one',
        }),
      },
    },
    { zh: '一次性登录链接（仅本地）', en: 'One-time sign-in link (local only)' },
    ['web'],
  ],
  ['get', '/app', 'page', { zh: '工作台', en: 'Workbench' }, ['web']],
  ['get', '/app/cases/new', 'page', { zh: '新建案件表单', en: 'New case form' }, ['web']],
  ['post', '/app/cases/new', 'form', { zh: '新建案件', en: 'Open a case' }, ['web']],
  ['get', '/app/cases', 'page', { zh: '案件列表', en: 'Case list' }, ['web']],
  [
    'get',
    '/app/cases/export.csv',
    'file',
    { zh: '导出案件列表（CSV）', en: 'Export the case list (CSV)' },
    ['web'],
  ],
  [
    'get',
    '/app/cases/export.xlsx',
    'file',
    { zh: '导出案件列表（XLSX）', en: 'Export the case list (XLSX)' },
    ['web'],
  ],
  ['get', '/app/cases/{caseId}', 'page', { zh: '案件页', en: 'Case page' }, ['web']],
  [
    'post',
    '/app/cases/{caseId}/root-cause',
    'form',
    { zh: '提交原因分析', en: 'Submit the root-cause analysis' },
    ['web'],
  ],
  [
    'post',
    '/app/cases/{caseId}/rectification',
    'form',
    { zh: '上报整改', en: 'Report the rectification' },
    ['web'],
  ],
  ['post', '/app/cases/{caseId}/review', 'form', { zh: '复查', en: 'Review' }, ['web']],
  [
    'post',
    '/app/cases/{caseId}/adjudication',
    'form',
    { zh: '异议裁定', en: 'Adjudicate a dispute' },
    ['web'],
  ],
  ['post', '/app/cases/{caseId}/withdraw', 'form', { zh: '撤销案件', en: 'Withdraw the case' }, ['web']],
  ['post', '/app/cases/{caseId}/comment', 'form', { zh: '评论', en: 'Comment' }, ['web']],
  ['post', '/app/cases/{caseId}/arrived', 'form', { zh: '登记到场', en: 'Record the arrival' }, ['web']],
  [
    'post',
    '/app/cases/{caseId}/pause',
    'form',
    { zh: '申请暂停计时', en: 'Ask to pause the clocks' },
    ['web'],
  ],
  ['post', '/app/cases/{caseId}/pause/decision', 'form', { zh: '审批暂停', en: 'Decide a pause' }, ['web']],
  ['post', '/app/cases/{caseId}/pause/end', 'form', { zh: '结束暂停', en: 'End a pause' }, ['web']],
  ['post', '/app/cases/{caseId}/reassign', 'form', { zh: '改派', en: 'Reassign' }, ['web']],
  ['post', '/app/cases/{caseId}/hand-over', 'form', { zh: '移交同事', en: 'Hand over' }, ['web']],
  // The address a sent step form leaves in the bar, opened again (a copied link, a reload that
  // dropped the post): a redirect to the case page.
  ...[
    'root-cause',
    'rectification',
    'review',
    'adjudication',
    'withdraw',
    'comment',
    'arrived',
    'pause',
    'pause/decision',
    'pause/end',
    'reassign',
    'hand-over',
  ].map((p): [RouteConfig['method'], string, Kind, Bilingual, string[]] => [
    'get',
    `/app/cases/{caseId}/${p}`,
    'redirect',
    {
      zh: '回到案件页（提交表单后地址栏留下的地址）',
      en: 'Back to the case page (the address a sent form leaves in the bar)',
    },
    ['web'],
  ]),
  ['get', '/app/dashboard', 'page', { zh: '仪表盘', en: 'Dashboard' }, ['web']],
  ['get', '/app/dashboard/weekly', 'page', { zh: '周报', en: 'Weekly report' }, ['web']],
  ['get', '/app/standards', 'page', { zh: '6T标准（按维度）', en: 'The 6T standards by dimension' }, ['web']],
  ['get', '/app/audit', 'page', { zh: '审计检索', en: 'Audit search' }, ['web']],
  ['get', '/app/audit/verify', 'page', { zh: '校验一个案件', en: 'Verify one case' }, ['web']],
  ['get', '/app/audit/verify-all', 'page', { zh: '校验全部案件', en: 'Verify every case' }, ['web']],
  [
    'get',
    '/app/audit/cases/{caseId}/export',
    'file',
    { zh: '导出案件审计记录', en: "Export a case's trail" },
    ['web'],
  ],
  ['get', '/app/audit/export', 'file', { zh: '按时段导出', en: 'Export a period' }, ['web']],
  [
    'get',
    '/app/audit/jobs',
    'redirect',
    { zh: '审计任务（转到审计页面的表单）', en: 'Audit jobs (leads to the audit page and its forms)' },
    ['web'],
  ],
  [
    'post',
    '/app/audit/jobs',
    'form',
    { zh: '开始审计任务（全部校验、导出）', en: 'Start an audit job (verify all, export)' },
    ['web'],
  ],
  [
    'get',
    '/app/audit/jobs/{jobId}',
    'page',
    { zh: '审计任务进度', en: 'An audit job and its progress' },
    ['web'],
  ],
  [
    'get',
    '/app/audit/jobs/{jobId}/download',
    'file',
    { zh: '下载审计任务结果', en: "Download an audit job's result" },
    ['web'],
  ],
  [
    'get',
    '/app/admin',
    'redirect',
    { zh: '管理页面（转到名录导入）', en: 'Admin pages (leads to the directory import)' },
    ['web'],
  ],
  ['get', '/app/admin/directory', 'page', { zh: '名录导入', en: 'Directory import' }, ['web']],
  [
    'get',
    '/app/admin/stuck',
    'page',
    { zh: '失败操作（重试或忽略）', en: 'Failed steps (retry or dismiss)' },
    ['web'],
  ],
  [
    'post',
    '/app/admin/stuck/{caseId}/effects/{effectId}/retry',
    'form',
    { zh: '重试一项失败的自动操作', en: 'Retry a failed automatic step' },
    ['web'],
  ],
  [
    'post',
    '/app/admin/stuck/{caseId}/effects/{effectId}/dismiss',
    'form',
    { zh: '忽略一项失败的自动操作', en: 'Dismiss a failed automatic step' },
    ['web'],
  ],
  [
    'get',
    '/app/admin/calendar',
    'page',
    { zh: '校历（查看与编辑）', en: 'Campus calendar (view and edit)' },
    ['web'],
  ],
  [
    'post',
    '/app/admin/calendar',
    'form',
    { zh: '检查、预览或保存校历新版本', en: 'Check, preview or save a new calendar version' },
    ['web'],
  ],
  ['get', '/app/admin/directory/export', 'file', { zh: '导出名录', en: 'Export the directory' }, ['web']],
  [
    'post',
    '/app/admin/directory/preview',
    'form',
    { zh: '名录导入预览', en: 'Preview a directory import' },
    ['web'],
  ],
  [
    'post',
    '/app/admin/directory/apply',
    'form',
    { zh: '应用名录导入', en: 'Apply a directory import' },
    ['web'],
  ],
  [
    'get',
    '/api/places',
    {
      request: { query: placesQuery },
      responses: {
        200: json({ zh: '地点及其编号', en: 'The places and their codes' }),
        ...problems([400, 404, 503], { 404: { zh: '没有该楼栋', en: 'No such building' } }),
      },
    },
    { zh: '地点及其二维码编号（公开）', en: 'Places and their codes (public)' },
    ['intake'],
  ],
  [
    'get',
    '/r/{code}',
    'page',
    { zh: '扫码报告问题表单（公开）', en: 'Report form a code opens (public)' },
    ['intake'],
  ],
  [
    'post',
    '/r/{code}',
    {
      request: {
        body: { content: { 'multipart/form-data': { schema: reportFormFields } }, required: true },
      },
      responses: {
        303: {
          description: bi({
            zh: '已收到：转到报告的跟踪页（同一表单原样再次提交时转到第一次的跟踪页；改过内容再提交则是新报告，其跟踪页链接第一次的）',
            en: 'Received: to the report’s tracking page (the same form sent again unchanged: the first report’s; sent again changed: a new report, whose page links the first)',
          }),
        },
        400: pageResponse({ zh: '表单有误，逐项说明', en: 'The form, with each field’s error' }),
        404: pageResponse({ zh: '没有该地点', en: 'No such place' }),
        413: pageResponse({ zh: '报告（含照片）过大', en: 'The report with its photos is too large' }),
        429: pageResponse({
          zh: '超过提交次数限制（Retry-After 说明多久后可再提交）',
          en: 'Over the report limit (Retry-After says when to send again)',
        }),
        503: pageResponse({ zh: '尚未加载校园名录', en: 'No campus directory loaded' }),
      },
    },
    { zh: '提交扫码报告（multipart，可带照片）', en: 'Send a report (multipart, with photos)' },
    ['intake'],
  ],
  ['get', '/r/thanks', 'page', { zh: '已收到', en: 'Received' }, ['intake']],
  [
    'get',
    '/t/{token}',
    'page',
    { zh: '报告进度与回访（跟踪链接）', en: 'Report progress and survey (tracking link)' },
    ['intake'],
  ],
  [
    'get',
    '/t/{token}/survey',
    'redirect',
    {
      zh: '回到跟踪页的评价表（评价被拒后刷新页面时）',
      en: 'Back to the tracking page’s survey (a reload after a refused rating)',
    },
    ['intake'],
  ],
  [
    'post',
    '/t/{token}/survey',
    {
      request: {
        body: {
          content: { 'application/x-www-form-urlencoded': { schema: surveyFormFields } },
          required: true,
        },
      },
      responses: {
        303: { description: bi({ zh: '已记录：回到跟踪页', en: 'Recorded: back to the tracking page' }) },
        400: pageResponse({ zh: '评分或意见有误', en: 'A score or the comment is not valid' }),
        403: pageResponse({ zh: '案件经手人不能评价', en: 'Someone who handled the case may not rate it' }),
        404: pageResponse({ zh: '跟踪链接无效', en: 'No report has this tracking link' }),
        409: pageResponse({
          zh: '已评价过，或尚未处理完成',
          en: 'Already rated, or the work is not done yet',
        }),
      },
    },
    { zh: '提交回访评价', en: 'Send the survey' },
    ['intake'],
  ],
  [
    'get',
    '/commitments',
    'page',
    { zh: '服务承诺公示（公开）', en: 'Service commitments (public)' },
    ['intake'],
  ],
  ['get', '/app/triage', 'page', { zh: '待分派的报告', en: 'Reports to triage' }, ['intake']],
  [
    'get',
    '/app/triage/{reportId}/photos/{evidenceId}',
    'redirect',
    { zh: '查看报告照片（分派人员）', en: 'Open a reported photo (for triage)' },
    ['intake'],
  ],
  [
    'get',
    '/app/triage/{reportId}',
    'redirect',
    {
      zh: '回到待分派队列中这份报告（分派被拒后刷新页面时）',
      en: 'Back to this report in the triage queue (a reload after a refused decision)',
    },
    ['intake'],
  ],
  [
    'post',
    '/app/triage/{reportId}',
    'form',
    { zh: '分派报告：立案、并入或不予受理', en: 'Triage a report: case, merge or reject' },
    ['intake'],
  ],
  ['get', '/app/admin/qr', 'page', { zh: '报修二维码', en: 'Report codes' }, ['intake']],
  [
    'get',
    '/app/admin/qr/{buildingId}/print',
    'page',
    { zh: '二维码打印版（存为 PDF）', en: 'Code sheets, print view (PDF)' },
    ['intake'],
  ],
  [
    'get',
    '/app/admin/qr/{buildingId}/codes.pdf',
    'file',
    {
      zh: '楼栋全部二维码页（PDF，与 npm run qr 相同）',
      en: "A building's code sheets as one PDF (as npm run qr prints)",
    },
    ['intake'],
  ],
  [
    'get',
    '/app/admin/qr/{buildingId}/{sheet}',
    'file',
    { zh: '二维码 A4 页（SVG）', en: 'A4 code sheet (SVG)' },
    ['intake'],
  ],
  [
    'get',
    '/api/standards',
    {
      responses: {
        200: json({ zh: '标准目录', en: 'The catalogue' }),
        ...problems([401, 503]),
      },
    },
    { zh: '6T 标准条目（中英文）', en: 'The 6T standard, every item (Chinese and English)' },
    ['inspections'],
  ],
  [
    'get',
    '/api/inspections',
    {
      description: {
        zh: '开始日期在 from 至 to 之间（两端都含，最多 400 天）的检查轮次；可按楼栋筛选（主管只能查看所管楼栋）。limit 默认 20、最多 100；把 nextCursor 作为 cursor 取下一页，其余参数须相同。scores 与 total 按整个日期范围计算，不只是本页。',
        en: 'The rounds starting from `from` to `to` (both days included, at most 400 days), optionally of one building (a supervisor reads their own buildings only). limit defaults to 20, at most 100; pass nextCursor as cursor for the next page, with the same other parameters. scores and total cover the whole range, not only the page.',
      },
      request: { query: inspectionListQuery },
      responses: {
        200: json({ zh: '轮次与合格率', en: 'The rounds and pass rates' }),
        ...problems([400, 401, 403, 404, 503], {
          403: notInspector,
          404: { zh: '没有该楼栋', en: 'No such building' },
        }),
      },
    },
    { zh: '检查轮次与各维度合格率', en: 'Inspection rounds and pass rates by dimension' },
    ['inspections'],
  ],
  [
    'get',
    '/api/inspections/{roundId}',
    {
      request: { params: roundParam },
      responses: {
        200: json({ zh: '轮次及其清单', en: 'The round and its checklist' }),
        ...problems([400, 401, 403, 404, 503], { 403: notInspector, 404: noRound }),
      },
    },
    { zh: '一个检查轮次及其清单', en: 'One inspection round and its checklist' },
    ['inspections'],
  ],
  [
    'post',
    '/api/inspections/{roundId}/results',
    {
      description: {
        zh: 'finish 缺省为 true（结束本轮，须全部填写）；finish: false 只保存进度。不合格项可在 photos 中引用先以 POST /api/inspections/{roundId}/photos 上传的照片（完整的 evidence:…#sha256=… 引用，每项最多 5 张，只随尚未立案的不合格项），立案时照片归入其案件。',
        en: 'finish defaults to true (ends the round; every item must be answered); finish: false saves progress. A failed item may cite in `photos` photos uploaded first with POST /api/inspections/{roundId}/photos (whole evidence:…#sha256=… references, at most 5 per item, only on a failed item whose case is still to open); its case takes them as it opens.',
      },
      request: { params: roundParam, body: jsonBody(checklistSubmission) },
      responses: {
        200: json({ zh: '更新后的轮次', en: 'The round as updated' }),
        ...problems([400, 401, 403, 404, 409, 413, 415, 422, 503], {
          403: notInspector,
          404: noRound,
          409: {
            zh: '本次检查已结束、另一次结束提交正在记录、已立案的不合格项被修改，或本轮记录属于该编号的另一次运行',
            en: 'The round is over, another finish of it is being recorded, a failed item whose case opened was changed, or the round’s record belongs to another run of its id',
          },
          422: {
            zh: '不在清单上的条目、未填完就结束、楼栋内没有的位置、不是员工的整改人、不可引用的照片，或未能立案',
            en: 'An item off the checklist, a finish with items unanswered, an unknown place or rectifier, a photo that cannot be cited, or a case that could not be opened',
          },
          503: {
            zh: '服务暂不可用，或结果暂时无法保存（稍后核对并重试）',
            en: 'The service is unavailable, or the results could not be saved right now (check and try again shortly)',
          },
        }),
      },
    },
    { zh: '记录检查结果（不合格项立案）', en: 'Record results (a failed item opens a case)' },
    ['inspections'],
  ],
  [
    'post',
    '/api/inspections/{roundId}/photos',
    {
      description: {
        zh: '为不合格项上传一张照片（multipart/form-data，字段 file；JPEG、PNG 或 WebP，不超过 10 MB），返回其证据引用 ref，供检查结果的 photos 引用。仅限本轮检查人、本轮进行中。',
        en: 'One photo for a failed item (multipart/form-data, field `file`; JPEG, PNG or WebP, at most 10 MB); answers its evidence reference `ref`, for the results’ `photos` to cite. For the round’s assignees, while it is open.',
      },
      request: {
        params: roundParam,
        body: { content: { 'multipart/form-data': { schema: photoUploadForm } }, required: true },
      },
      responses: {
        201: json({
          zh: '证据引用（ref）、sha256、大小与类型',
          en: 'The evidence reference (ref), its sha256, size and type',
        }),
        ...problems([400, 401, 403, 404, 409, 413, 415, 503], {
          400: {
            zh: '缺少照片、多张照片，或不是照片（JPEG、PNG、WebP）',
            en: 'No photo, several, or not a photo (JPEG, PNG, WebP)',
          },
          403: notInspector,
          404: noRound,
          409: { zh: '本次检查已结束', en: 'The round is over' },
          413: { zh: '照片过大', en: 'The photo is too large' },
          415: { zh: '不是 multipart/form-data', en: 'Not multipart/form-data' },
        }),
      },
    },
    { zh: '上传检查照片', en: 'Upload a photo for a round' },
    ['inspections'],
  ],
  [
    'get',
    '/inspection/{roundId}',
    'page',
    { zh: '检查清单（手机）', en: 'Checklist page (phone)' },
    ['inspections'],
  ],
  [
    'post',
    '/inspection/{roundId}',
    {
      description: {
        zh: '检查清单页面的表单（multipart/form-data；不带照片时也可用 application/x-www-form-urlencoded），页面会话（带 _csrf）或 bearer 令牌。每个条目一组字段 {itemId}.result、{itemId}.note、{itemId}.roomId，不合格项可附照片 {itemId}.photos[]。有误时返回清单页面，逐项说明，页面无法保留已选照片，会提示重新选择。',
        en: 'The checklist page’s form (multipart/form-data; application/x-www-form-urlencoded without photos), with the page session (and _csrf) or a bearer token. One set of fields per item, {itemId}.result, {itemId}.note and {itemId}.roomId, and a failed item’s photos in {itemId}.photos[]. What is refused comes back on the checklist page beside each item; a page cannot keep the photos chosen, and asks for them again.',
      },
      request: {
        params: roundParam,
        body: { content: { 'multipart/form-data': { schema: checklistFormFields } }, required: true },
      },
      responses: {
        302: {
          description: bi({
            zh: '未登录或登录已过期：转到登录',
            en: 'Signed out or the session ended: to sign-in',
          }),
        },
        303: { description: bi({ zh: '已保存，返回清单', en: 'Saved: back to the checklist' }) },
        400: pageResponse({
          zh: '表单有误（含照片不合要求），逐项说明',
          en: 'The form, with each item’s error (a photo refused among them)',
        }),
        403: pageResponse({
          zh: '无权操作、不是本轮检查人，或 CSRF 令牌不符',
          en: 'Not allowed, not assigned to the round, or the CSRF token does not match',
        }),
        404: pageResponse({ zh: '没有该检查轮次', en: 'No such inspection round' }),
        409: pageResponse({
          zh: '本次检查已结束或正在结束、已立案的不合格项被修改，或本轮记录属于该编号的另一次运行',
          en: 'The round is over or being finished, a failed item whose case opened was changed, or the round’s record belongs to another run of its id',
        }),
        413: pageResponse({
          zh: `表单超过 ${Math.round(checklistMax / 1024 / 1024)} MB`,
          en: `The form is over ${Math.round(checklistMax / 1024 / 1024)} MB`,
        }),
        422: pageResponse({
          zh: '不在清单上的条目、未填完就结束，或未能立案',
          en: 'An item off the checklist, a finish with items unanswered, or a case that could not be opened',
        }),
        503: pageResponse({
          zh: '结果暂时无法保存，请稍后核对并重试',
          en: 'The results could not be saved right now: check and try again shortly',
        }),
      },
    },
    { zh: '提交检查清单', en: 'Submit the checklist' },
    ['inspections'],
  ],
  [
    'get',
    '/api/zero-reports/{night}',
    {
      request: { params: nightParam },
      responses: {
        200: json({ zh: '看板', en: 'The board' }),
        ...problems([400, 401, 403, 404, 503], {
          404: { zh: '当晚零报告尚未开始', en: 'The night’s zero report has not opened' },
        }),
      },
    },
    { zh: '当晚零报告看板', en: 'The night’s zero-report board' },
    ['zero-report'],
  ],
  [
    'post',
    '/api/zero-reports/{night}',
    {
      request: { params: nightParam, body: jsonBody(zeroReportBody) },
      responses: {
        201: json({ zh: '已记录的上报', en: 'The report as recorded' }),
        ...problems([400, 401, 403, 404, 409, 413, 415, 422, 503], {
          403: { zh: '不是网格员，或不是该网格的网格员', en: 'Not a grid member, or not of that cell' },
          404: { zh: '当晚零报告尚未开始', en: 'The night’s zero report has not opened' },
          409: { zh: '当晚零报告已结束', en: 'The night’s zero report is closed' },
          422: { zh: '没有该网格，或房间不属本网格', en: 'No such cell, or a room outside the cell' },
        }),
      },
    },
    {
      zh: '网格员提交零报告（含“无”；房间须属本网格，否则 422）',
      en: 'A grid member’s zero report ("none" included; rooms must be in the cell, else 422)',
    },
    ['zero-report'],
  ],
  [
    'get',
    '/zero-report/{night}',
    'page',
    { zh: '零报告看板页', en: 'Zero-report board page' },
    ['zero-report'],
  ],
  [
    'get',
    '/zero-report',
    'redirect',
    {
      zh: '今晚的零报告：网格员到上报页，其他人到看板',
      en: 'Tonight’s zero report: grid members to the report page, others to the board',
    },
    ['zero-report'],
  ],
  [
    'get',
    '/zero-report/{night}/report',
    'page',
    { zh: '网格员零报告上报页（手机）', en: 'A grid member’s zero-report page (phone)' },
    ['zero-report'],
  ],
  [
    'post',
    '/zero-report/{night}/report',
    'form',
    {
      zh: '提交零报告：“无”，或晚归、未归名单',
      en: 'Send the zero report: "none", or the late and absent list',
    },
    ['zero-report'],
  ],
  [
    'get',
    '/duties',
    'page',
    {
      zh: '例行职责：待办与完成率（手机）',
      en: 'Recurring duties: what is due, the completion rate (phone)',
    },
    ['duties'],
  ],
  [
    'get',
    '/duties/{occurrenceId}',
    'page',
    { zh: '一次职责与登记表', en: 'One duty occurrence and its form' },
    ['duties'],
  ],
  [
    'post',
    '/duties/{occurrenceId}',
    'form',
    { zh: '登记职责完成', en: 'Record a duty completion' },
    ['duties'],
  ],
];

const responsesFor = (kind: Kind): RouteConfig['responses'] => {
  const html = (text: Bilingual) => pageResponse(text);
  if (typeof kind === 'object') return kind.responses;
  switch (kind) {
    case 'page':
      return {
        200: html({ zh: '页面', en: 'The page' }),
        302: { description: bi({ zh: '未登录：转到登录', en: 'Not signed in: to sign-in' }) },
        400: html({ zh: '查询参数有误的页面', en: 'A page naming the bad parameters' }),
        403: html({ zh: '无权查看', en: 'Not allowed' }),
        404: html({ zh: '不存在', en: 'Not found' }),
      };
    case 'form':
      return {
        302: {
          description: bi({
            zh: '未登录或登录已过期：转到登录，之后回到表单所在页面（注明未保存）',
            en: 'Signed out or the session ended: to sign-in, then back to the form’s page (saying it was not saved)',
          }),
        },
        303: { description: bi({ zh: '已处理，返回页面', en: 'Done: back to the page' }) },
        400: html({ zh: '表单有误，逐项说明', en: 'The form, with each field’s error' }),
        403: html({ zh: '无权操作或 CSRF 令牌不符', en: 'Not allowed, or the CSRF token does not match' }),
        404: html({ zh: '不存在', en: 'Not found' }),
        409: html({ zh: '已处理过', en: 'Already done' }),
        413: html({ zh: '表单过大', en: 'Form too large' }),
        429: html({ zh: '提交过于频繁', en: 'Too many requests' }),
      };
    case 'redirect':
      return {
        302: { description: bi({ zh: '跳转', en: 'Redirect' }) },
        303: { description: bi({ zh: '跳转', en: 'Redirect' }) },
        ...problems([400, 401, 403, 404, 503]),
      };
    case 'file':
      return {
        200: documentResponse(
          [
            'text/csv',
            'application/json',
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'image/svg+xml',
            'application/pdf',
          ],
          { zh: '文件', en: 'The file' },
        ),
        ...problems([400, 403, 404, 503]),
      };
  }
};

/**
 * What every web-app address (`/app`, `/app/*`) answers besides its own responses, from the
 * guards in front of all of them (app.ts): another method than its routes take is a 405 page
 * (pageMethodGuard), and a read whose query gives a parameter twice is a 400 page naming it
 * (repeatedQueryGuard), whatever the route itself would have answered.
 */
const wrongMethod: Bilingual = {
  zh: '此地址不接受该请求方法（如 PUT、DELETE）：说明页面，Allow 头列出此地址接受的方法',
  en: 'The address does not take this method (PUT, DELETE…): a page saying so, its Allow header naming the methods it takes',
};
const repeatedQuery: Bilingual = {
  zh: '地址中同一查询参数给了多次（如 ?stage=a&stage=b）：说明页面，列出重复的参数',
  en: 'A query parameter given more than once (?stage=a&stage=b): a page naming the repeated parameters',
};
const isAppPage = (path: string) => path === '/app' || path.startsWith('/app/');

type Documented = { description: string; content?: Record<string, { schema: Record<string, unknown> }> };

function withAppPageErrors(
  method: RouteConfig['method'],
  responses: RouteConfig['responses'],
): RouteConfig['responses'] {
  const out: RouteConfig['responses'] = { ...responses, 405: pageResponse(wrongMethod) };
  if (method !== 'get') return out;
  // A route that documents a 400 of its own keeps it; the guard's page is one more way to it.
  const own = responses[400] as Documented | undefined;
  out[400] = own
    ? {
        description: `${own.description}. ${bi(repeatedQuery)}`,
        content: { ...own.content, 'text/html': { schema: {} } },
      }
    : pageResponse(repeatedQuery);
  return out;
}

const operationId = (method: string, path: string) =>
  `${method}${path
    .replace(/\{([^}]+)\}/g, 'By-$1')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')}`;

export const pageRouteDefinitions: RouteConfig[] = pages.map(([method, path, kind, summary, tags]) => {
  const own = typeof kind === 'object' ? kind : undefined;
  return {
    method,
    path,
    operationId: operationId(method, path),
    tags,
    summary: bi(summary),
    ...(own?.description ? { description: bi(own.description) } : {}),
    ...(own?.request ? { request: own.request } : {}),
    parameters: [
      langParameter,
      // Path parameters the route's own schema does not declare: any text.
      ...(own?.request?.params
        ? []
        : [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
            name: m[1]!,
            in: 'path' as const,
            required: true,
            schema: { type: 'string' as const },
          }))),
    ],
    responses: isAppPage(path) ? withAppPageErrors(method, responsesFor(kind)) : responsesFor(kind),
  };
});

/** Puts the page and evidence routes into the app's document (they are served by plain handlers). */
export function documentPages(app: OpenAPIHono<BlankEnv>): void {
  for (const route of pageRouteDefinitions) app.openAPIRegistry.registerPath(route);
}
