import type { Hono } from 'hono';

/** Unescapes an attribute value as the page's JSX escaped it. */
const unescape = (v: string) =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The directory import preview's apply form, as a browser would post it: its hidden fields. */
export function applyFormFields(html: string): URLSearchParams {
  const form = /<form method="post" action="\/app\/admin\/directory\/apply"[\s\S]*?<\/form>/.exec(html)?.[0];
  if (!form) throw new Error('no apply form');
  const fields = new URLSearchParams();
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields.set(m[1]!, unescape(m[2]!));
  return fields;
}

/** The admin's signed-in session, as the import page's requests carry it. */
export interface ImportAdmin {
  cookie: string;
  csrf: string;
}

/** Uploads a file to the import preview as the page's form does: CSRF field, mode, the file. */
export async function postImportFile(
  app: Hono,
  admin: ImportAdmin,
  file: string | Uint8Array<ArrayBuffer>,
  { mode, lang = '' }: { mode?: string; lang?: string } = {},
): Promise<{ status: number; html: string }> {
  const form = new FormData();
  form.set('_csrf', admin.csrf);
  if (mode) form.set('mode', mode);
  form.set('file', new File([file], 'directory.csv', { type: 'text/csv' }));
  const res = await app.request(`/app/admin/directory/preview${lang}`, {
    method: 'POST',
    headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    body: form,
  });
  return { status: res.status, html: await res.text() };
}

/** Posts the apply form's fields (from `applyFormFields`, or tampered) as the browser would. */
export async function postImportApply(
  app: Hono,
  admin: ImportAdmin,
  fields: URLSearchParams,
  lang = '',
): Promise<{ status: number; location: string; html: string }> {
  const res = await app.request(`/app/admin/directory/apply${lang}`, {
    method: 'POST',
    headers: {
      cookie: admin.cookie,
      'x-csrf-token': admin.csrf,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: fields.toString(),
  });
  return { status: res.status, location: res.headers.get('location') ?? '', html: await res.text() };
}
