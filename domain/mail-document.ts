const VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">';

/**
 * A mail's HTML part as a whole document that a phone lays out at its own width: the case
 * mails are fragments (`<div>…`), and a browser opening one (a webmail's "view original", a
 * saved .html) would lay it out at 980 px. A document of its own gets the viewport added.
 */
export function mailDocument(html: string, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (/<meta[^>]+name=["']?viewport/i.test(html)) return html;
  if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, (head) => `${head}${VIEWPORT}`);
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">${VIEWPORT}</head><body>${html}</body></html>`;
}
