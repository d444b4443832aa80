import type { Child } from 'hono/jsx';
import { FAVICON_HREF } from './favicon.ts';
import { raw } from 'hono/html';
import type { Role } from '../../domain/directory.ts';
import { ZERO_REPORT_BOARD_READERS } from '../../domain/zero-report.ts';
import { inLang, type Bilingual, type Lang } from '../../domain/text.ts';
import type { Caller } from '../auth.ts';
import { pageTitle } from './error-title.ts';
import { SCROLL_REGION_CSS, STACKED_TABLE_CSS } from './ui.tsx';

/**
 * The one HTML shell every signed-in page uses: skip link, header with the
 * navigation this person's roles open, language switch and sign-out. Mobile
 * first; the CSS is small and inline so a page is one request on a slow phone
 * connection.
 */

export interface LayoutProps {
  title: Bilingual | string;
  lang: Lang;
  viewer?: Caller | null | undefined;
  csrfToken?: string | undefined;
  /** The current path and query, so the language switch keeps the reader where they are. */
  currentUrl?: string | undefined;
  /** Menu items the viewer's roles would show that their place does not open (WebEnv `navHidden`). */
  navHidden?: readonly string[] | undefined;
  /** The page answers with an error (a refused form, a 4xx): its <title> says so first. */
  error?: boolean | undefined;
  children?: Child;
}

interface NavItem {
  href: string;
  label: Bilingual;
  /** Who sees the item; absent means everyone signed in. */
  roles?: readonly Role[];
}

export const navItems: readonly NavItem[] = [
  { href: '/app', label: { zh: '工作台', en: 'Workbench' } },
  { href: '/app/cases', label: { zh: '案件', en: 'Cases' } },
  {
    href: '/app/triage',
    label: { zh: '分派', en: 'Triage' },
    roles: ['supervisor', 'grid_member', 'working_group', 'admin'],
  },
  {
    href: '/app/dashboard',
    label: { zh: '仪表盘', en: 'Dashboard' },
    roles: ['supervisor', 'working_group', 'leadership', 'admin', 'auditor'],
  },
  {
    // Everyone the board admits: a reader who cannot find it cannot read it.
    href: '/zero-report',
    label: { zh: '零报告', en: 'Zero report' },
    roles: ZERO_REPORT_BOARD_READERS,
  },
  {
    href: '/duties',
    label: { zh: '例行职责', en: 'Duties' },
    roles: ['supervisor', 'staff', 'working_group', 'admin'],
  },
  { href: '/app/standards', label: { zh: '标准', en: 'Standards' } },
  { href: '/app/audit', label: { zh: '审计', en: 'Audit' }, roles: ['auditor', 'admin'] },
  { href: '/app/admin/directory', label: { zh: '管理', en: 'Admin' }, roles: ['admin'] },
  { href: '/app/admin/calendar', label: { zh: '校历', en: 'Calendar' }, roles: ['admin'] },
  { href: '/app/admin/stuck', label: { zh: '失败操作', en: 'Failed steps' }, roles: ['admin'] },
  {
    href: '/app/admin/qr',
    label: { zh: '二维码', en: 'QR codes' },
    roles: ['admin', 'supervisor', 'working_group'],
  },
];

export const navFor = (viewer: Caller | null | undefined, hidden: readonly string[] = []): NavItem[] =>
  viewer
    ? navItems.filter(
        (i) => (!i.roles || i.roles.some((r) => viewer.person.roles.includes(r))) && !hidden.includes(i.href),
      )
    : [];

/** Reader's language, from a bilingual text or a plain string. */
export const text = (t: Bilingual | string, lang: Lang): string =>
  typeof t === 'string' ? t : inLang(t, lang);

/** `href` with `lang` set, keeping the rest of the query. */
export function withLang(currentUrl: string, lang: Lang): string {
  const url = new URL(currentUrl, 'http://x');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

// Colours checked against WCAG AA: body #1b1f24 on #fff (16:1), links and
// buttons #0b57a4 on #fff (7:1), white on #0b57a4 (7:1), muted #4b5563 (7.5:1).
const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1b1f24;background:#f5f6f8;overflow-wrap:break-word}
a{color:#0b57a4}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
header.top{background:#0b3d6e;color:#fff}
header.top a,header.top button.link{color:#fff}
header.top :focus-visible{outline-color:#fcd34d}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;padding:.5rem 1rem;max-width:72rem;margin:0 auto}
.brand{font-weight:700;text-decoration:none;margin-right:auto;padding:.25rem 0}
nav.main ul{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0}
nav.main a{display:block;padding:.5rem .75rem;border-radius:.375rem;text-decoration:none;min-height:44px}
nav.main a[aria-current=page]{background:#fff;color:#0b3d6e;font-weight:600}
.tools{display:flex;gap:.75rem;align-items:center;font-size:.9rem}
.tools form{margin:0}
button.link{background:none;border:0;padding:.5rem 0;font:inherit;text-decoration:underline;cursor:pointer}
main{max-width:72rem;margin:0 auto;padding:1rem}
/* Hashes, tokens and ids are long unbroken strings: they wrap rather than widen a phone screen. */
code,.mono,ol.timeline li,dd{overflow-wrap:anywhere}
/* A cell breaks a word only where it cannot fit alone on a line: breaking anywhere let a table squeeze
   a column to one character a line (a date, a name, a count); a table too wide for a phone scrolls in
   its own region instead. Hashes and ids in a cell (code, .mono) still break anywhere. */
td{overflow-wrap:break-word;word-break:normal}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h1,h2,h3{overflow-wrap:anywhere}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #d0d5dc;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.muted{color:#4b5563}
.card>:first-child{margin-top:0}
td.num,.nowrap{white-space:nowrap}
.flash{border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem;border:1px solid}
.flash.ok{background:#ecfdf3;border-color:#15803d;color:#14532d}
.flash.error{background:#fef2f2;border-color:#b91c1c;color:#7f1d1d}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
.hint{font-weight:400;color:#4b5563;font-size:.9rem}
input,select,textarea{font:inherit;width:100%;max-width:40rem;padding:.5rem;border:1px solid #6b7280;border-radius:.375rem;background:#fff;color:#1b1f24;min-height:44px}
input[type=checkbox],input[type=radio]{width:auto;min-height:auto}
textarea{min-height:5rem}
[aria-invalid=true]{border-color:#b91c1c;border-width:2px}
.field-error{color:#b91c1c;font-size:.9rem;margin:.25rem 0 0}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.6rem 1.1rem;border-radius:.375rem;border:1px solid #0b57a4;background:#0b57a4;color:#fff;cursor:pointer;text-decoration:none;min-height:44px}
button.secondary,.button.secondary{background:#fff;color:#0b57a4}
button.danger{background:#b91c1c;border-color:#b91c1c}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1rem}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.85rem;font-weight:600;border:1px solid currentColor;white-space:nowrap}
.badge.overdue,.badge.breached{color:#b91c1c}
.badge.met,.badge.closed{color:#15803d}
.badge.pending,.badge.open{color:#0b57a4}
.badge.cancelled,.badge.withdrawn{color:#4b5563}
.badge.major{color:#b91c1c}.badge.urgent{color:#b45309}.badge.routine{color:#4b5563}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #d0d5dc;vertical-align:top}
${SCROLL_REGION_CSS}
.table-wrap td:first-child{min-width:5em}
tr.has-basis td{border-bottom:0}tr.basis-row td{padding-top:0}
.basis{display:block;font-size:.85em}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.summary dt{font-weight:600;color:#4b5563}dl.summary dd{margin:0}
ol.timeline{list-style:none;padding:0;margin:0}
ol.timeline li{border-left:3px solid #0b57a4;padding:.25rem 0 .75rem .75rem;margin-left:.25rem}
.thumbs{display:flex;flex-wrap:wrap;gap:.5rem}
.thumbs img{width:96px;height:96px;object-fit:cover;border-radius:.375rem;border:1px solid #d0d5dc}
a.file{display:flex;align-items:center;justify-content:center;width:96px;height:96px;box-sizing:border-box;padding:.25rem;text-align:center;border-radius:.375rem;border:1px solid #d0d5dc;background:#f6f8fa;font-size:.875rem;overflow-wrap:anywhere}
.grid{display:grid;gap:.5rem 1rem;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr))}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (min-width:48rem){main{padding:1.5rem}h1{font-size:1.75rem}}
@media (max-width:30rem){th,td{padding:.45rem .3rem}}
/* On a phone every link or button a thumb aims at is 44 px tall: the language switch, sign-out,
   links in table rows and lists (workbench, case list, the error summary), the way back. */
@media (max-width:37.5rem){.tools a,button.link,td a,li>a,a[data-back]{display:inline-flex;align-items:center;min-height:44px}.tools a{padding:0 .25rem}}
.flash.error:focus{outline:3px solid #b45309;outline-offset:2px}
.summary-lead{margin:0}.summary-links{margin:.25rem 0 0;padding-left:1.25rem}
${STACKED_TABLE_CSS}
`;

/** The page shell. Render it with `c.html(<Layout ...>)`. */
export function Layout(props: LayoutProps) {
  const { lang, viewer } = props;
  const t = (b: Bilingual) => inLang(b, lang);
  const title = text(props.title, lang);
  const current = props.currentUrl ?? '/app';
  const currentPath = new URL(current, 'http://x').pathname;
  const nav = navFor(viewer, props.navHidden);
  // The most specific item the path falls under is the current one.
  const active = [...nav]
    .filter((i) => currentPath === i.href || currentPath.startsWith(`${i.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={lang === 'en' ? 'en' : 'zh-CN'}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${pageTitle(title, lang, props.error)} · Rectify 整改闭环`}</title>
          <link rel="icon" href={FAVICON_HREF} />
          <style dangerouslySetInnerHTML={{ __html: CSS }} />
        </head>
        <body>
          <a class="skip" href="#main">
            {t({ zh: '跳到正文', en: 'Skip to content' })}
          </a>
          <header class="top">
            <div class="bar">
              <a class="brand" href="/app">
                {t({ zh: 'Rectify 整改闭环', en: 'Rectify' })}
              </a>
              {nav.length > 0 && (
                <nav class="main" aria-label={t({ zh: '主导航', en: 'Main' })}>
                  <ul>
                    {nav.map((i) => (
                      <li>
                        <a href={i.href} aria-current={i === active ? 'page' : undefined}>
                          {t(i.label)}
                        </a>
                      </li>
                    ))}
                  </ul>
                </nav>
              )}
              <div class="tools">
                <span lang="zh-CN">
                  {lang === 'zh-CN' ? (
                    <strong aria-current="true">中文</strong>
                  ) : (
                    <a href={withLang(current, 'zh-CN')} hreflang="zh-CN">
                      中文
                    </a>
                  )}
                </span>
                <span lang="en">
                  {lang === 'en' ? (
                    <strong aria-current="true">English</strong>
                  ) : (
                    <a href={withLang(current, 'en')} hreflang="en">
                      English
                    </a>
                  )}
                </span>
                {viewer && (
                  <>
                    <span class="who">{viewer.person.name}</span>
                    <form method="post" action="/logout">
                      <input type="hidden" name="_csrf" value={props.csrfToken ?? ''} />
                      <button class="link" type="submit">
                        {t({ zh: '退出登录', en: 'Sign out' })}
                      </button>
                    </form>
                  </>
                )}
              </div>
            </div>
          </header>
          <main id="main" tabindex={-1}>
            <h1>{title}</h1>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}
