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
