import { headerSafe } from './safe-text.ts';
import type { Language } from './directory.ts';
import { escapeHtml } from './text.ts';

const VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">';

/**
 * A mail's HTML part as a whole document that a phone lays out at its own width: the case
 * mails are fragments (`<div>…`), and a browser opening one (a webmail's "view original", a
 * saved .html) would lay it out at 980 px. A document of its own gets the viewport added.
 */
export function mailDocument(html: string, lang: 'zh-CN' | 'en' = fragmentLang(html)): string {
  if (/<meta[^>]+name=["']?viewport/i.test(html)) return html;
  if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, (head) => `${head}${VIEWPORT}`);
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">${VIEWPORT}</head><body>${html}</body></html>`;
}

/**
 * The language a fragment says it is written in first: its outer element's `lang` (mailHtml marks
 * the reader's half so), so an English-first mail is an English document. Chinese when it says none.
 */
function fragmentLang(html: string): 'zh-CN' | 'en' {
  const first = /^\s*<[a-z][^>]*>/i.exec(html)?.[0] ?? '';
  return /\slang=["']?en\b/i.test(first) ? 'en' : 'zh-CN';
}

/** One language's half of a bilingual mail. */
export type MailHalf = 'zh' | 'en';

/** The halves of a mail in the order its reader reads them: their own language first. */
export const mailHalves = (lang: Language): [MailHalf, MailHalf] =>
  lang === 'en' ? ['en', 'zh'] : ['zh', 'en'];

/** A subject with each language's own half, the reader's first, as the case mails' are. */
export const mailSubject = (lang: Language, halves: Record<MailHalf, string>): string => {
  const [first, second] = mailHalves(lang);
  return headerSafe(`${halves[first]} / ${halves[second]}`);
};

const langAttr = (h: MailHalf) => (h === 'en' ? 'en' : 'zh-CN');

/**
 * How a mail greets its reader, once, in their own language (the other half is a translation,
 * not a second letter): campus people by name; a reporter, whose name may not be known, with a
 * plain hello.
 */
export function mailGreeting(lang: Language, name: string, to: 'staff' | 'reporter' = 'staff'): string {
  const n = name.trim();
  if (lang !== 'en') return n ? `${n}，您好：` : '您好：';
  if (to === 'staff') return `Dear ${n},`;
  return n ? `Hello ${n},` : 'Hello,';
}

/** A link drawn as a button, inline-styled because mail clients drop style sheets. */
export function linkButton(href: string, label: string, look: 'primary' | 'outline'): string {
  const colours =
    look === 'primary' ? 'background:#b4232a;color:#fff' : 'border:1px solid #b4232a;color:#b4232a';
  return `<p><a href="${escapeHtml(href)}" style="display:inline-block;${colours};padding:8px 16px;border-radius:4px;text-decoration:none;line-height:1.4">${escapeHtml(label)}</a></p>`;
}

/**
 * A paragraph of a mail's HTML: a line, one the reader must not miss (a deadline), or a line
 * ending in a link of its own (one item of a list, each with somewhere to act on it), the line
 * carrying whatever space its language puts before the link.
 */
export type MailPara = string | { strong: string } | { line: string; link: { href: string; label: string } };

/** A link of a mail, drawn once as a button labelled in both languages, the reader's first. */
export interface MailLink {
  href: string;
  label: Record<MailHalf, string>;
  look: 'primary' | 'outline';
}

/**
 * A bilingual mail's HTML: the greeting and the reader's half with the links as buttons (an
 * address in the text runs off a phone's screen and links only if the client makes it one),
 * then the other language's half beneath a rule, each half marked with its language so a
 * screen reader or translator takes it as written. Long words wrap rather than widen the page.
 */
export function mailHtml(m: {
  first: MailHalf;
  greeting: string;
  /** The reader's half, before the buttons. */
  lead: MailPara[];
  links: MailLink[];
  /** The reader's half, after the buttons (what they quote: a case number). */
  tail?: MailPara[];
  /** The other language's half. */
  other: MailPara[];
}): string {
  const second: MailHalf = m.first === 'en' ? 'zh' : 'en';
  // An empty line is one a mail has nothing to say on (no deadline, no photos): no paragraph.
  const para = (p: MailPara, grey = false) =>
    typeof p !== 'string'
      ? 'strong' in p
        ? `<p><strong>${escapeHtml(p.strong)}</strong></p>`
        : `<p${grey ? ' style="color:#555"' : ''}>${escapeHtml(p.line)}<a href="${escapeHtml(p.link.href)}" style="color:#b4232a">${escapeHtml(p.link.label)}</a></p>`
      : p === ''
        ? ''
        : `<p${grey ? ' style="color:#555"' : ''}>${escapeHtml(p)}</p>`;
  const buttons = m.links.map((l) => linkButton(l.href, `${l.label[m.first]} / ${l.label[second]}`, l.look));
  return [
    `<div style="font-family:sans-serif;overflow-wrap:anywhere" lang="${langAttr(m.first)}">`,
    para(m.greeting),
    ...m.lead.map((p) => para(p)),
    ...buttons,
    ...(m.tail ?? []).map((p) => para(p)),
    `<hr><div lang="${langAttr(second)}">`,
    ...m.other.map((p) => para(p, true)),
    '</div></div>',
  ].join('');
}

/** A bilingual mail's text: the greeting, the reader's half, a rule, the other half; no run of blank lines. */
export function mailText(greeting: string, first: string[], other: string[]): string {
  return [greeting, '', ...first, '', '———', ...other]
    .filter((l, i, all) => l !== '' || all[i - 1] !== '')
    .join('\n');
}
