import type { Child } from 'hono/jsx';
import { FAVICON_HREF } from './favicon.ts';

/**
 * GET /docs: the API reference as one readable page (中文 with English
 * beside it), rendered from the OpenAPI document itself, so the page and
 * /openapi.json cannot disagree.
 */
type JsonSchema = Record<string, unknown>;

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

interface Document {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** The document writes people's text as "中文 / English": Chinese first, English beneath. */
function Both({ text }: { text: string }) {
  const at = text.indexOf(' / ');
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <span class="en">{text.slice(at + 3)}</span>
    </>
  );
}

function TypeOf({ s }: { s: JsonSchema | undefined }): Child {
  if (!s) return <>any</>;
  const ref = typeof s.$ref === 'string' ? s.$ref.split('/').pop() : undefined;
  if (ref) return <a href={`#schema-${ref}`}>{ref}</a>;
  if (Array.isArray(s.enum))
    return (
      <>
        {s.enum.map((v, i) => (
          <>
            {i > 0 ? ' | ' : ''}
            <code>{String(v)}</code>
          </>
        ))}
      </>
    );
  if (Array.isArray(s.anyOf))
    return (
      <>
        {(s.anyOf as JsonSchema[]).map((x, i) => (
          <>
            {i > 0 ? ' | ' : ''}
            <TypeOf s={x} />
          </>
        ))}
      </>
    );
  if (s.type === 'array' && s.items)
    return (
      <>
        <TypeOf s={s.items as JsonSchema} />
        []
      </>
    );
  const fmt = typeof s.format === 'string' ? ` (${s.format})` : '';
  return <>{`${typeof s.type === 'string' ? s.type : 'any'}${fmt}`}</>;
}

function Fields({ schema }: { schema: JsonSchema }) {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  if (Object.keys(props).length === 0) return null;
  return (
    <table>
      <tr>
        <th>字段 field</th>
        <th>类型 type</th>
        <th></th>
      </tr>
      {Object.entries(props).map(([name, s]) => (
        <tr>
          <td>
            <code>{name}</code>
          </td>
          <td>
            <TypeOf s={s} />
          </td>
          <td>{required.has(name) ? '必填 required' : '选填 optional'}</td>
        </tr>
      ))}
    </table>
  );
}

function Params({ op }: { op: Operation }) {
  const params = op.parameters ?? [];
  const groups: [string, string][] = [
    ['path', '路径参数 path'],
    ['query', '查询参数 query'],
    ['header', '请求头 header'],
  ];
  return (
    <>
      {groups.map(([where, title]) => {
        const ps = params.filter((p) => p.in === where);
        if (ps.length === 0) return null;
        return (
          <>
            <h4>{title}</h4>
            <table>
              {ps.map((p) => (
                <tr>
                  <td>
                    <code>{p.name}</code>
                  </td>
                  <td>
                    <TypeOf s={p.schema} />
                  </td>
                  <td>{p.required ? '必填 required' : '选填 optional'}</td>
                  <td>{p.description ?? ''}</td>
                </tr>
              ))}
            </table>
          </>
        );
      })}
    </>
  );
}

function OperationSection({ method, path, op }: { method: string; path: string; op: Operation }) {
  const id = op.operationId ?? `${method}-${path}`;
  const body = Object.entries(op.requestBody?.content ?? {});
  const open = Array.isArray(op.security) && op.security.length === 0;
  return (
    <section id={`op-${id}`}>
      <h3>
        <span class={`m ${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
      </h3>
      <p>
        <Both text={op.summary ?? ''} />
      </p>
      {op.description ? (
        <p class="d">
          <Both text={op.description} />
        </p>
      ) : null}
      <p class="auth">{open ? '无需登录 · No login' : '需要 Bearer 令牌 · Bearer token required'}</p>
      <Params op={op} />
      {body.map(([mediaType, m]) => (
        <>
          <h4>
            请求体 body <code>{mediaType}</code>
          </h4>
          <p>
            <TypeOf s={m.schema} />
          </p>
        </>
      ))}
      <h4>响应 responses</h4>
      <table>
        {Object.entries(op.responses).map(([status, res]) => (
          <tr>
            <td>
              <code>{status}</code>
            </td>
            <td>
              {Object.entries(res.content ?? {}).map(([mediaType, m], i) => (
                <>
                  {i > 0 ? ' · ' : ''}
                  {m.schema && Object.keys(m.schema).length > 0 ? <TypeOf s={m.schema} /> : mediaType}
                </>
              ))}
            </td>
            <td>
              <Both text={res.description} />
            </td>
          </tr>
        ))}
      </table>
    </section>
  );
}

// Paths, field names and media types are long unbroken strings: as on the signed-in pages
// (layout.tsx), they wrap rather than widen a phone screen, so the tables fit without scrolling.
const STYLE = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#1d1d1f}
h1{color:#b4232a}section{border-top:1px solid #eee;padding:.5rem 0}.en{display:block;color:#666;font-size:.92em}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
.m{display:inline-block;color:#fff;border-radius:3px;padding:0 .4rem;font-size:.85em}.m.get{background:#2f7d32}.m.post{background:#1c5fb8}
.auth{font-size:.85em;color:#555}code{background:#f4f4f4;padding:0 .2rem}
code,td,li a{overflow-wrap:anywhere}
@media (max-width:30rem){body{padding:1rem}td,th{padding:.25rem .4rem}}`;

export function DocsPage({ doc }: { doc: Document }) {
  const ops = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const schemas = Object.entries(doc.components?.schemas ?? {});
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>Rectify API 参考 · Reference</title>
        <link rel="icon" href={FAVICON_HREF} />
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <h1>整改闭环 API 参考</h1>
        <p class="en">Rectify API reference</p>
        <p>
          认证：<code>Authorization: Bearer &lt;JWT&gt;</code>（本地用{' '}
          <code>npm run token -- &lt;personId&gt;</code> 获取）。错误为 <code>application/problem+json</code>
          ，语言随 <code>?lang=en</code> 或 <code>Accept-Language</code>。机器可读文档：
          <a href="/openapi.json">/openapi.json</a>（OpenAPI 3.1）。
        </p>
        <p class="en">
          Authentication: <code>Authorization: Bearer &lt;JWT&gt;</code> (locally from{' '}
          <code>npm run token -- &lt;personId&gt;</code>). Errors are <code>application/problem+json</code> in
          the caller’s language (<code>?lang=en</code> or <code>Accept-Language</code>). Machine-readable:{' '}
          <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
        </p>
        <h2>接口 Operations</h2>
        <ul>
          {ops.map(({ path, method, op }) => (
            <li>
              <a href={`#op-${op.operationId ?? `${method}-${path}`}`}>
                {method.toUpperCase()} {path}
              </a>{' '}
              · {(op.summary ?? '').split(' / ')[0]}
            </li>
          ))}
        </ul>
        {ops.map(({ path, method, op }) => (
          <OperationSection method={method} path={path} op={op} />
        ))}
        <h2>数据结构 Schemas</h2>
        {schemas.map(([name, s]) => (
          <section id={`schema-${name}`}>
            <h3>{name}</h3>
            {typeof s.description === 'string' ? <p>{s.description}</p> : null}
            <Fields schema={s} />
          </section>
        ))}
      </body>
    </html>
  );
}
