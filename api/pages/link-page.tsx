import type { Context } from 'hono';
import { FAVICON_HREF } from './favicon.ts';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { CaseView } from '../../domain/case-model.ts';
import { stageLabel } from '../../domain/stage-labels.ts';
import { splitBilingual, type Bilingual, type Lang } from '../../domain/text.ts';
import { problemTypes, toProblem } from '../middleware/problems.ts';
import { pageTitle } from './error-title.ts';

/**
 * The pages behind signed email links (action links, report links): one
 * shell, one outcome page, and one guard that turns anything a link route
 * throws into a page, since these routes answer people in browsers, not API
 * clients. Bilingual (the person's language first, the other beneath), no
 * scripts, nothing loaded from elsewhere but the photos a case's description cites, by short-lived
 * signed addresses the page's own policy names (action-links.tsx). Long unbroken text (a photo's `evidence:` reference,
 * a URL in a title) wraps anywhere, as on /app, so the page fits a phone.
 */
const pick = (t: Bilingual, lang: Lang) => (lang === 'en' ? t.en : t.zh);
const other = (t: Bilingual, lang: Lang) => (lang === 'en' ? t.zh : t.en);
/** The language of the second half: marked, so a screen reader reads it in its own voice. */
const otherLang = (lang: Lang): Lang => (lang === 'en' ? 'zh-CN' : 'en');

/** The other language's text, inline, marked with its language. */
export const Alt = ({ text, lang, muted = true }: { text: Bilingual; lang: Lang; muted?: boolean }) => (
  <span class={muted ? 'alt' : undefined} lang={otherLang(lang)}>
    {other(text, lang)}
  </span>
);

const STYLE = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f5f2;color:#1d1d1f}
main{max-width:42rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px #0002;overflow-wrap:anywhere}
h1{font-size:1.4rem;margin:.2rem 0}.alt{color:#666;font-size:.92em}.brand{color:#b4232a;font-weight:600;letter-spacing:.05em}
table{border-collapse:collapse;width:100%;margin:1rem 0}th{text-align:left;white-space:nowrap;color:#555;padding:.35rem .8rem .35rem 0;vertical-align:top;font-weight:500}
td{padding:.35rem 0;white-space:pre-wrap}blockquote{margin:1rem 0;padding:.8rem 1rem;background:#fbf7e9;border-left:4px solid #d9a400}
fieldset{border:1px solid #ddd;border-radius:6px;margin:1rem 0}legend{font-weight:600;padding:0 .3rem}label{display:block;margin:.4rem 0}textarea{width:100%;min-height:4rem}
button,a.button{background:#b4232a;color:#fff;border:0;padding:.6rem 1.4rem;border-radius:4px;font-size:1rem;cursor:pointer;min-height:44px}
a.button{display:inline-block;text-decoration:none;line-height:1.4}
[aria-invalid=true]{border:2px solid #b4232a}.field-error{color:#b4232a;margin:.25rem 0}.error ul{margin:.25rem 0;padding-left:1.2rem}.error:focus{outline:3px solid #b45309;outline-offset:2px}
@media (max-width:37.5rem){main{margin:0;padding:1rem;border-radius:0}label.choice{display:flex;align-items:center;gap:.5rem;min-height:44px;margin:0}label.choice input{width:1.25rem;height:1.25rem;margin:0;flex:none}button{width:100%;box-sizing:border-box}.error li a{display:inline-flex;align-items:center;gap:.3em;flex-wrap:wrap;min-height:44px}}
.error{background:#fdecea;border-left:4px solid #b4232a;padding:.6rem 1rem;margin:.75rem 0}.notice{background:#fbf7e9;border-left:4px solid #d9a400;padding:.2rem 1rem;margin:1rem 0}.note{font-size:.85em;color:#666}
.thumbs{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0;white-space:normal}.thumbs img{width:6rem;height:6rem;object-fit:cover;border-radius:4px;border:1px solid #ddd}`;

/** Text in the reader's language, the other language beneath. */
export const Both = ({ text, lang }: { text: Bilingual; lang: Lang }) => (
  <>
    <p>{pick(text, lang)}</p>
    <p class="alt" lang={otherLang(lang)}>
      {other(text, lang)}
    </p>
  </>
);

/** Inline: the reader's language, the other beside it. */
export const Pair = ({ text, lang }: { text: Bilingual; lang: Lang }) => (
  <>
    {pick(text, lang)} <Alt text={text} lang={lang} />
  </>
);

const SIGN_IN_NOTE: Bilingual = {
  zh: '未登录时会先请您使用学校统一身份认证登录。',
  en: 'If you are not signed in, you will be asked to sign in with the school account first.',
};

/** Where to go next after a link's act (the case page): a button in both languages, and that it asks for sign-in. */
export const NextLink = ({ next, lang }: { next: { href: string; label: Bilingual }; lang: Lang }) => (
  <>
    <p>
      <a class="button" href={next.href} data-next>
        {pick(next.label, lang)} / <Alt text={next.label} lang={lang} muted={false} />
      </a>
    </p>
    <p class="note">
      {pick(SIGN_IN_NOTE, lang)} <Alt text={SIGN_IN_NOTE} lang={lang} muted={false} />
    </p>
  </>
);

export function LinkPageShell(props: {
  lang: Lang;
  outcome: string;
  title: Bilingual;
  /** What the reader must know before anything else on the page (who they would sign as). */
  notice?: Bilingual | undefined;
  /** The page is a form come back refused: its <title> says so first. */
  error?: boolean | undefined;
  children?: Child;
}) {
  const { lang, outcome, title, notice } = props;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="robots" content="noindex,nofollow" />
        <link rel="icon" href={FAVICON_HREF} />
        <title>{`${pageTitle(pick(title, lang), lang, props.error)} · Rectify`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <main data-outcome={outcome}>
          <div class="brand">整改闭环 · Rectify</div>
          <h1>{pick(title, lang)}</h1>
          <div class="alt" lang={otherLang(lang)}>
            {other(title, lang)}
          </div>
          {notice && (
            <div class="notice" role="note" data-notice>
              <Both text={notice} lang={lang} />
            </div>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** What a link page ended in (an unusable link, a refusal, a result): thrown, then shown as a page. */
export class PageOutcome extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly outcome: string,
    readonly title: Bilingual,
    readonly text: Bilingual,
    readonly lang?: Lang | undefined,
    /** Where to look instead (a public page: no sign-in). */
    readonly link?: { href: string; label: Bilingual } | undefined,
  ) {
    super(title.en);
  }
}

/** A link whose case is over: its step is no longer needed (the stage named as people call it). */
/** The title of every link page whose step is not to be taken any more (step-gone.ts uses it too). */
export const STEP_GONE_TITLE: Bilingual = { zh: '该步骤已不再需要', en: 'This step is no longer needed' };

export const noLongerOpen = (v: CaseView, lang?: Lang) =>
  new PageOutcome(
    409,
    'not_open',
    STEP_GONE_TITLE,
    {
      zh: `案件 ${v.caseId} 已处于「${stageLabel(v.stage).zh}」阶段，此链接对应的操作已无需进行。`,
      en: `Case ${v.caseId} is now at the ${stageLabel(v.stage).en} stage; the action of this link is no longer needed.`,
    },
    lang,
  );

/** How one kind of link page answers: its headers, the language when the person's is unknown, its 500 title. */
export interface LinkPageKind {
  name: string;
  headers: Record<string, string>;
  fallbackLang(c: Context): Lang;
  failedTitle: Bilingual;
}

/** A page as a response, with the link kind's headers. */
export const renderLinkPage = (c: Context, kind: LinkPageKind, status: ContentfulStatusCode, page: Child) =>
  c.html(`<!doctype html>\n${String(page)}`, status, kind.headers);

/** The one outcome page: a title and a message, nothing to do. */
export const outcomePage = (c: Context, kind: LinkPageKind, o: PageOutcome) => {
  const lang = o.lang ?? kind.fallbackLang(c);
  return renderLinkPage(
    c,
    kind,
    o.status,
    <LinkPageShell lang={lang} outcome={o.outcome} title={o.title}>
      <Both text={o.text} lang={lang} />
      {o.link && (
        <p>
          <a class="button" href={o.link.href} data-link>
            {pick(o.link.label, lang)} / <Alt text={o.link.label} lang={lang} muted={false} />
          </a>
        </p>
      )}
    </LinkPageShell>,
  );
};

/** A problem's detail for the page: a case's refusal ("English / 中文") split so each reader gets theirs. */
const asBilingual = (d: string | Bilingual): Bilingual => (typeof d === 'string' ? splitBilingual(d) : d);

/** Any failure of a link route becomes a page: its own outcome, a mapped problem, or a logged 500. */
export const guardedPage =
  (kind: LinkPageKind, fn: (c: Context) => Promise<Response>) =>
  async (c: Context): Promise<Response> => {
    try {
      return await fn(c);
    } catch (err) {
      if (err instanceof PageOutcome) return outcomePage(c, kind, err);
      const p = toProblem(err);
      if (p) {
        const def = problemTypes[p.type];
        return outcomePage(
          c,
          kind,
          new PageOutcome(def.status, p.type, { zh: def.zh, en: def.en }, asBilingual(p.detail)),
        );
      }
      console.error(`[${kind.name}] unexpected error`, err);
      return outcomePage(
        c,
        kind,
        new PageOutcome(500, 'error', kind.failedTitle, {
          zh: '系统暂时出错，链接仍然有效，请稍后再试。',
          en: 'Something went wrong on our side. The link is still valid: please try again later.',
        }),
      );
    }
  };

export { asBilingual, pick, other, otherLang };
