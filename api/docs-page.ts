import { esc } from './action-pages.ts';
import { componentSchemas, jsonSchemaOf, routes, type RouteDoc } from './openapi.ts';
import type { LocalText } from './problems.ts';

/**
 * GET /docs: the API reference as one readable page (中文 with English
 * beside it), rendered from the same route list and zod schemas as
 * /openapi.json.
 */
type JsonSchema = Record<string, unknown>;

const both = (t: LocalText) => `${esc(t.zh)}<span class="en">${esc(t.en)}</span>`;

function typeOf(s: JsonSchema, components: Record<string, JsonSchema>): string {
  const ref = typeof s.$ref === 'string' ? s.$ref.split('/').pop() : undefined;
  if (ref) return `<a href="#schema-${esc(ref)}">${esc(ref)}</a>`;
  if (Array.isArray(s.enum)) return s.enum.map((v) => `<code>${esc(String(v))}</code>`).join(' | ');
  if (Array.isArray(s.anyOf)) return (s.anyOf as JsonSchema[]).map((x) => typeOf(x, components)).join(' | ');
  if (s.type === 'array' && s.items) return `${typeOf(s.items as JsonSchema, components)}[]`;
  const fmt = typeof s.format === 'string' ? ` (${esc(s.format)})` : '';
  return `${esc(String(s.type ?? 'any'))}${fmt}`;
}

function fieldsTable(schema: JsonSchema, components: Record<string, JsonSchema>): string {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  if (Object.keys(props).length === 0) return '';
  const rows = Object.entries(props)
    .map(
      ([name, s]) =>
        `<tr><td><code>${esc(name)}</code></td><td>${typeOf(s, components)}</td><td>${required.has(name) ? '必填 required' : '选填 optional'}</td></tr>`,
    )
    .join('');
  return `<table><tr><th>字段 field</th><th>类型 type</th><th></th></tr>${rows}</table>`;
}

function route(r: RouteDoc, components: Record<string, JsonSchema>): string {
  const params = [
    ...(r.pathParams ? [['path', jsonSchemaOf(r.pathParams)] as const] : []),
    ...(r.query ? [['query', jsonSchemaOf(r.query)] as const] : []),
  ]
    .map(
      ([where, s]) =>
        `<h4>${where === 'path' ? '路径参数 path' : '查询参数 query'}</h4>${fieldsTable(s, components)}`,
    )
    .join('');
  const headers = (r.headers ?? [])
    .map((h) => `<h4>请求头 header</h4><p><code>${esc(h.name)}</code>: ${both(h.description)}</p>`)
    .join('');
  const body = r.body
    ? `<h4>请求体 body <code>${esc(r.body.mediaType)}</code></h4><p>${typeOf(jsonSchemaOf(r.body.schema), components)}</p>`
    : '';
  const responses = r.responses
    .map(
      (res) =>
        `<tr><td><code>${res.status}</code></td><td>${res.schema ? typeOf(jsonSchemaOf(res.schema), components) : esc(res.mediaType ?? '')}</td><td>${both(res.description)}</td></tr>`,
    )
    .join('');
  return `<section id="op-${esc(r.operationId)}"><h3><span class="m ${r.method}">${r.method.toUpperCase()}</span> <code>${esc(r.path)}</code></h3>
<p>${both(r.summary)}</p>${r.description ? `<p class="d">${both(r.description)}</p>` : ''}
<p class="auth">${r.auth ? '需要 Bearer 令牌 · Bearer token required' : '无需登录 · No login'}</p>
${params}${headers}${body}<h4>响应 responses</h4><table>${responses}</table></section>`;
}

export function docsPage(): string {
  const components = componentSchemas();
  const schemas = Object.entries(components)
    .map(
      ([name, s]) =>
        `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3>${typeof s.description === 'string' ? `<p>${esc(s.description)}</p>` : ''}${fieldsTable(s, components)}</section>`,
    )
    .join('');
  const toc = routes
    .map(
      (r) =>
        `<li><a href="#op-${esc(r.operationId)}">${r.method.toUpperCase()} ${esc(r.path)}</a> · ${esc(r.summary.zh)}</li>`,
    )
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Rectify API 参考 · Reference</title><style>
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#1d1d1f}
h1{color:#b4232a}section{border-top:1px solid #eee;padding:.5rem 0}.en{display:block;color:#666;font-size:.92em}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
.m{display:inline-block;color:#fff;border-radius:3px;padding:0 .4rem;font-size:.85em}.m.get{background:#2f7d32}.m.post{background:#1c5fb8}
.auth{font-size:.85em;color:#555}code{background:#f4f4f4;padding:0 .2rem}</style></head><body>
<h1>整改闭环 API 参考</h1><p class="en">Rectify API reference</p>
<p>认证：<code>Authorization: Bearer &lt;JWT&gt;</code>（本地用 <code>npm run token -- &lt;personId&gt;</code> 获取）。错误为 <code>application/problem+json</code>，语言随 <code>?lang=en</code> 或 <code>Accept-Language</code>。机器可读文档：<a href="/openapi.json">/openapi.json</a>（OpenAPI 3.1）。</p>
<p class="en">Authentication: <code>Authorization: Bearer &lt;JWT&gt;</code> (locally from <code>npm run token -- &lt;personId&gt;</code>). Errors are <code>application/problem+json</code> in the caller’s language (<code>?lang=en</code> or <code>Accept-Language</code>). Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<h2>接口 Operations</h2><ul>${toc}</ul>${routes.map((r) => route(r, components)).join('')}
<h2>数据结构 Schemas</h2>${schemas}</body></html>`;
}
