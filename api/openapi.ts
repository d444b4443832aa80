import { z } from 'zod';
import { actionFormSchema } from './action-form.ts';
import type { LocalText } from './problems.ts';
import {
  adjudicationSchema,
  buildingsSchema,
  caseIdParamSchema,
  caseListQuerySchema,
  caseListSchema,
  caseViewSchema,
  commentSchema,
  createdCaseSchema,
  healthSchema,
  idempotencyKeySchema,
  langQuerySchema,
  newCaseSchema,
  peopleQuerySchema,
  peopleSchema,
  problemSchema,
  rectificationSchema,
  reviewSchema,
  rootCauseSchema,
  schemaRegistry,
  withdrawSchema,
} from './schemas.ts';

/**
 * The API's routes as data: the OpenAPI document, the /docs page and the
 * schema-driven tests are all generated from this list and the zod schemas
 * the handlers validate with, so none of them can describe another API.
 */
export interface ResponseDoc {
  status: number;
  description: LocalText;
  schema?: z.ZodType | undefined;
  mediaType?: string | undefined;
}

export interface RouteDoc {
  method: 'get' | 'post';
  /** OpenAPI form: /api/cases/{caseId}. */
  path: string;
  operationId: string;
  tag: 'cases' | 'directory' | 'actions' | 'system';
  summary: LocalText;
  description?: LocalText | undefined;
  auth: boolean;
  pathParams?: z.ZodObject | undefined;
  query?: z.ZodObject | undefined;
  headers?: { name: string; description: LocalText; schema: z.ZodType }[] | undefined;
  body?: { schema: z.ZodType; mediaType: string } | undefined;
  responses: ResponseDoc[];
}

const JSON_TYPE = 'application/json';
const PROBLEM_TYPE = 'application/problem+json';

const problems: Record<number, LocalText> = {
  400: { zh: '请求参数有误（见 errors）', en: 'Invalid request (see errors)' },
  401: { zh: '未登录或令牌无效', en: 'Missing or invalid bearer token' },
  403: { zh: '无权操作（说明拒绝所依据的规则）', en: 'Refused; the detail names the rule' },
  404: { zh: '案件不存在', en: 'No such case' },
  409: { zh: '与案件当前状态冲突，或 Idempotency-Key 已用于不同请求', en: 'Conflicts with the case state' },
  413: { zh: '请求体过大', en: 'Body too large' },
  415: { zh: '缺少 Content-Type: application/json', en: 'Body is not JSON' },
  422: { zh: '引用了名录中不存在的人或位置，或步骤内容无效', en: 'Unknown person or place, or invalid step' },
  503: {
    zh: '尚未加载校园名录（管理员须先导入）',
    en: 'No campus directory is loaded yet (an admin must load one)',
  },
};
const problem = (...statuses: number[]): ResponseDoc[] =>
  statuses.map((status) => ({
    status,
    description: problems[status] ?? { zh: '错误', en: 'Error' },
    schema: problemSchema,
    mediaType: PROBLEM_TYPE,
  }));

const directoryMissingPage: ResponseDoc = {
  status: 503,
  description: { zh: '尚未加载校园名录', en: 'No campus directory loaded' },
  mediaType: 'text/html',
};

const stepRoute = (
  path: string,
  operationId: string,
  schema: z.ZodType,
  summary: LocalText,
  description: LocalText,
): RouteDoc => ({
  method: 'post',
  path: `/api/cases/{caseId}/${path}`,
  operationId,
  tag: 'cases',
  summary,
  description,
  auth: true,
  pathParams: caseIdParamSchema,
  query: langQuerySchema,
  body: { schema, mediaType: JSON_TYPE },
  responses: [
    {
      status: 200,
      description: { zh: '步骤已受理，返回案件', en: 'Step accepted; the case after it' },
      schema: caseViewSchema,
    },
    ...problem(400, 401, 403, 404, 409, 413, 415, 422, 503),
  ],
});

export const routes: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/cases',
    operationId: 'openCase',
    tag: 'cases',
    summary: { zh: '新建整改案件', en: 'Open a rectification case' },
    description: {
      zh: '主管在所管楼栋、网格员在本人网格、工作小组和管理员在任何位置新建案件。带 Idempotency-Key 重试会得到同一案件；同一键配不同请求体返回 409。',
      en: 'Supervisors open cases in buildings they supervise, grid members in their own grid, the working group and admins anywhere. Retrying with the same Idempotency-Key returns the same case; the same key with another body is a 409.',
    },
    auth: true,
    query: langQuerySchema,
    headers: [
      {
        name: 'Idempotency-Key',
        description: {
          zh: '重试时保持不变的唯一键（1-200 个可见 ASCII 字符）',
          en: 'A unique key kept the same across retries (1-200 visible ASCII characters)',
        },
        schema: idempotencyKeySchema,
      },
    ],
    body: { schema: newCaseSchema, mediaType: JSON_TYPE },
    responses: [
      { status: 201, description: { zh: '案件已开启', en: 'The case is open' }, schema: createdCaseSchema },
      ...problem(400, 401, 403, 409, 413, 415, 422, 503),
    ],
  },
  {
    method: 'get',
    path: '/api/cases',
    operationId: 'listCases',
    tag: 'cases',
    summary: { zh: '查询案件列表', en: 'List cases' },
    description: {
      zh: '按阶段、楼栋、被指派人、超时、严重程度、来源和开启时间（from 含、to 不含）筛选，按索引查询，最新在前（超时列表按到期时间）。员工看到指派给本人或由本人负责的案件。limit 默认 20、最多 100；把 nextCursor 作为 cursor 取下一页，筛选条件须与取得它的请求相同（否则 400）。',
      en: 'Filter by stage, building, assignee, overdue, severity, source and open time (from inclusive, to exclusive), served from indexes, newest first (overdue: by due time). Staff see the cases assigned to them or that they are responsible for. limit defaults to 20, at most 100; pass nextCursor as cursor for the next page, with the same filters as the request that returned it (else 400).',
    },
    auth: true,
    query: caseListQuerySchema,
    responses: [
      { status: 200, description: { zh: '一页案件', en: 'A page of cases' }, schema: caseListSchema },
      ...problem(400, 401, 403, 503),
    ],
  },
  {
    method: 'get',
    path: '/api/cases/{caseId}',
    operationId: 'getCase',
    tag: 'cases',
    summary: { zh: '查看案件', en: 'Read a case' },
    description: {
      zh: '进行中的案件来自工作流的实时查询，已结束的来自存档记录（响应头 X-Case-Source）。',
      en: 'A running case comes from its workflow’s query, a finished one from the stored record (header X-Case-Source).',
    },
    auth: true,
    pathParams: caseIdParamSchema,
    query: langQuerySchema,
    responses: [
      { status: 200, description: { zh: '案件全貌', en: 'The case' }, schema: caseViewSchema },
      ...problem(400, 401, 403, 404, 503),
    ],
  },
  stepRoute(
    'root-cause',
    'submitRootCause',
    rootCauseSchema,
    { zh: '提交原因分析', en: 'Submit the root-cause analysis' },
    {
      zh: '所管楼栋主管或被指派员工；案件须处于 analysing。',
      en: 'A supervisor of the building or the assignee; stage analysing.',
    },
  ),
  stepRoute(
    'rectification',
    'reportRectification',
    rectificationSchema,
    { zh: '上报整改', en: 'Report the rectification' },
    {
      zh: '责任人（或被指派员工）；案件须处于 rectifying。',
      en: 'The responsible staff member (or assignee); stage rectifying.',
    },
  ),
  stepRoute(
    'review',
    'review',
    reviewSchema,
    { zh: '复查', en: 'Review the rectification' },
    {
      zh: '所管楼栋主管；不通过则进入下一轮整改。',
      en: 'A supervisor of the building; a failed review starts another round.',
    },
  ),
  stepRoute(
    'adjudication',
    'adjudicate',
    adjudicationSchema,
    { zh: '裁定异议', en: 'Adjudicate a dispute' },
    {
      zh: '所管楼栋主管；revise 退回原因分析，proceed 进入整改。',
      en: 'A supervisor of the building; revise goes back to analysis, proceed on to rectification.',
    },
  ),
  stepRoute(
    'withdraw',
    'withdraw',
    withdrawSchema,
    { zh: '撤销案件', en: 'Withdraw the case' },
    {
      zh: '所管楼栋主管、工作小组或管理员。',
      en: 'A supervisor of the building, the working group or an admin.',
    },
  ),
  stepRoute(
    'comments',
    'addComment',
    commentSchema,
    { zh: '添加评论', en: 'Comment on the case' },
    { zh: '案件相关人员、网格员和校领导。', en: 'People involved in the case, grid members and leadership.' },
  ),
  {
    method: 'get',
    path: '/api/directory/people',
    operationId: 'listPeople',
    tag: 'directory',
    summary: { zh: '名录中的人员', en: 'People of the directory' },
    auth: true,
    query: peopleQuerySchema,
    responses: [
      { status: 200, description: { zh: '人员', en: 'People' }, schema: peopleSchema },
      ...problem(400, 401, 503),
    ],
  },
  {
    method: 'get',
    path: '/api/directory/buildings',
    operationId: 'listBuildings',
    tag: 'directory',
    summary: { zh: '楼栋与网格', en: 'Buildings and their grid' },
    auth: true,
    query: langQuerySchema,
    responses: [
      { status: 200, description: { zh: '楼栋', en: 'Buildings' }, schema: buildingsSchema },
      ...problem(400, 401, 503),
    ],
  },
  {
    method: 'get',
    path: '/actions/{token}',
    operationId: 'showAction',
    tag: 'actions',
    summary: { zh: '邮件中的一键操作页面', en: 'The page behind an email action link' },
    description: {
      zh: '显示案件摘要和待签署的声明，不做任何改动（邮件扫描器打开链接不会签字）。过期、已使用、已被新链接取代、伪造或被篡改的链接各有说明页面（4xx）。',
      en: 'Shows the case summary and the exact statement to sign, and changes nothing (mail scanners opening links sign nothing). Expired, used, superseded, forged or tampered links each get their own page (4xx).',
    },
    auth: false,
    pathParams: z.object({ token: z.string() }),
    responses: [
      { status: 200, description: { zh: '操作页面', en: 'The action page' }, mediaType: 'text/html' },
      {
        status: 400,
        description: { zh: '伪造、篡改或格式错误的链接', en: 'Forged, tampered or malformed link' },
        mediaType: 'text/html',
      },
      { status: 404, description: { zh: '无法识别的链接', en: 'Unknown link' }, mediaType: 'text/html' },
      {
        status: 409,
        description: { zh: '该步骤已不再需要', en: 'The step is no longer open' },
        mediaType: 'text/html',
      },
      {
        status: 410,
        description: { zh: '已过期、已使用或已被取代', en: 'Expired, used or superseded' },
        mediaType: 'text/html',
      },
      directoryMissingPage,
    ],
  },
  {
    method: 'post',
    path: '/actions/{token}',
    operationId: 'performAction',
    tag: 'actions',
    summary: {
      zh: '提交一键操作（签字、裁定、评价）',
      en: 'Do the act of an action link (sign, adjudicate, rate)',
    },
    description: {
      zh: '由操作页面的表单提交，须带页面给出的 csrf 与 textHash。链接只能使用一次；签字记录令牌号、时间、IP、浏览器和所示文本的哈希。',
      en: 'Posted by the action page’s form with its csrf and textHash. A link works once; the signature records token id, time, IP, user agent and the hash of the text shown.',
    },
    auth: false,
    pathParams: z.object({ token: z.string() }),
    body: { schema: actionFormSchema, mediaType: 'application/x-www-form-urlencoded' },
    responses: [
      { status: 200, description: { zh: '已完成', en: 'Done' }, mediaType: 'text/html' },
      {
        status: 400,
        description: { zh: '链接或表单无效', en: 'Invalid link or form' },
        mediaType: 'text/html',
      },
      {
        status: 403,
        description: { zh: '工作流拒绝（原因见页面）', en: 'Refused by the case (reason shown)' },
        mediaType: 'text/html',
      },
      { status: 409, description: { zh: '案件已变化', en: 'The case changed' }, mediaType: 'text/html' },
      {
        status: 410,
        description: { zh: '已过期、已使用或已被取代', en: 'Expired, used or superseded' },
        mediaType: 'text/html',
      },
      { status: 415, description: { zh: '须为表单提交', en: 'Must be a form post' }, mediaType: 'text/html' },
      {
        status: 422,
        description: { zh: '表单内容有误', en: 'Invalid form content' },
        mediaType: 'text/html',
      },
      directoryMissingPage,
    ],
  },
  {
    method: 'get',
    path: '/reports/{token}',
    operationId: 'showReport',
    tag: 'actions',
    summary: { zh: '周报邮件中的报告链接', en: 'The report page behind a summary email link' },
    description: {
      zh: '与 GET /api/reports/weekly?format=html 相同的周报页面，无需登录：签名链接，7 天内有效，可多次打开，打开不做任何改动；每次打开都重新核对收件人是否仍有权查看该楼栋。只接受 GET（其他方法 405）。',
      en: 'The same page as GET /api/reports/weekly?format=html, without signing in: a signed link, valid 7 days, opened any number of times, changing nothing; every open re-checks that the recipient may still read that building. GET only (other methods 405).',
    },
    auth: false,
    pathParams: z.object({ token: z.string() }),
    responses: [
      { status: 200, description: { zh: '周报页面', en: 'The report page' }, mediaType: 'text/html' },
      {
        status: 400,
        description: { zh: '伪造、篡改或格式错误的链接', en: 'Forged, tampered or malformed link' },
        mediaType: 'text/html',
      },
      {
        status: 403,
        description: { zh: '收件人已无权查看该周报', en: 'The recipient may no longer read this report' },
        mediaType: 'text/html',
      },
      {
        status: 404,
        description: { zh: '无法识别的链接或周报不存在', en: 'Unknown link, or no such report' },
        mediaType: 'text/html',
      },
      { status: 410, description: { zh: '链接已过期', en: 'The link has expired' }, mediaType: 'text/html' },
      {
        status: 503,
        description: { zh: '尚未加载校园目录', en: 'No directory loaded' },
        mediaType: 'text/html',
      },
    ],
  },
  {
    method: 'get',
    path: '/health',
    operationId: 'health',
    tag: 'system',
    summary: { zh: '健康检查', en: 'Health' },
    auth: false,
    responses: [
      { status: 200, description: { zh: '全部正常', en: 'All parts answer' }, schema: healthSchema },
      {
        status: 503,
        description: { zh: '有部件无响应', en: 'A part does not answer' },
        schema: healthSchema,
      },
    ],
  },
];

type JsonSchema = Record<string, unknown>;

const strip = (s: JsonSchema): JsonSchema => {
  const { $schema: _s, $id: _i, ...rest } = s;
  return rest;
};

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of a schema that isn't a named component. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const id = schemaRegistry.get(schema)?.id;
  if (id) return { $ref: `#/components/schemas/${id}` };
  // Parameter objects are small and inline: convert without the registry so nothing becomes a $ref.
  return strip(
    z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema,
  );
}

/** Every named schema as an OpenAPI component. */
export function componentSchemas(): Record<string, JsonSchema> {
  const out = z.toJSONSchema(schemaRegistry, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    metadata: schemaRegistry,
    uri: (ref) => `#/components/schemas/${ref}`,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(out.schemas).map(([k, v]) => [k, strip(v)]));
}

function parameters(r: RouteDoc): JsonSchema[] {
  const params: JsonSchema[] = [];
  const add = (where: 'path' | 'query', obj: z.ZodObject | undefined) => {
    if (!obj) return;
    const js = jsonSchemaOf(obj) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      params.push({
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        schema,
      });
    }
  };
  add('path', r.pathParams);
  add('query', r.query);
  for (const h of r.headers ?? []) {
    params.push({
      name: h.name,
      in: 'header',
      required: false,
      description: h.description.en,
      schema: jsonSchemaOf(h.schema),
    });
  }
  return params;
}

const both = (t: LocalText) => `${t.zh} / ${t.en}`;

/** The OpenAPI 3.1 document of the API. */
export function openApiDocument(serverUrl?: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of routes) {
    const op: JsonSchema = {
      operationId: r.operationId,
      tags: [r.tag],
      summary: both(r.summary),
      ...(r.description ? { description: both(r.description) } : {}),
      ...(r.auth ? {} : { security: [] }),
      parameters: parameters(r),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { [r.body.mediaType]: { schema: jsonSchemaOf(r.body.schema) } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        r.responses.map((res) => [
          String(res.status),
          {
            description: both(res.description),
            ...(res.schema || res.mediaType
              ? {
                  content: {
                    [res.mediaType ?? JSON_TYPE]: res.schema ? { schema: jsonSchemaOf(res.schema) } : {},
                  },
                }
              : {}),
          },
        ]),
      ),
    };
    (paths[r.path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Rectify API · 整改闭环接口',
      version: '1.0.0',
      description:
        'Closed-loop rectification for campus logistics and dormitories. Errors are application/problem+json in the caller’s language (?lang=en or Accept-Language). / 校园后勤与学生公寓整改闭环。错误以 application/problem+json 返回，语言随调用者。',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [
      { name: 'cases', description: '案件 / Cases' },
      { name: 'directory', description: '名录 / Directory' },
      { name: 'actions', description: '邮件一键操作 / Email action links' },
      { name: 'system', description: '系统 / System' },
    ],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'Locally: npm run token -- <personId>. In production: the school identity provider’s JWT (verified against its JWKS).',
        },
      },
      schemas: componentSchemas(),
    },
    paths,
  };
}
