import type { Child } from 'hono/jsx';
import { inLang, type Bilingual, type Lang } from '../../domain/text.ts';

/** One thing a refused page asks to correct: linked to its control when the page has one. */
export interface SummaryEntry {
  text: Bilingual;
  /** `#<control id>`; absent for what has no control on the page (a paging position, a query key). */
  href?: string | undefined;
  /** Names the query or form field the entry is about (`data-field`), for tests and scripts. */
  field?: string | undefined;
}

/**
 * A refused page's error summary, the one element every refusal is drawn with (ui.tsx `Flash`
 * draws its errors through it): where the keyboard lands on load, announced as an alert, each
 * entry linked to its field. Pages may add entries with no control to link to, data attributes
 * their tests and scripts read, and a way on after the text (`children`).
 */
export function ErrorSummaryBox(props: {
  lang: Lang;
  /** The summary's text, or its lead line over the entries. */
  text: Bilingual;
  entries?: readonly SummaryEntry[] | undefined;
  /** Extra `data-*` attributes on the summary (`data-problem-status`, `data-refused`). */
  data?: Readonly<Record<`data-${string}`, string | undefined>> | undefined;
  children?: Child;
}) {
  const { lang, entries } = props;
  return (
    <div tabindex={-1} autofocus data-error-summary class="flash error" role="alert" {...props.data}>
      {entries && entries.length > 0 ? (
        <>
          <p class="summary-lead">{inLang(props.text, lang)}</p>
          <ul class="summary-links">
            {entries.map((e) => (
              <li data-field={e.field}>
                {e.href ? <a href={e.href}>{inLang(e.text, lang)}</a> : inLang(e.text, lang)}
              </li>
            ))}
          </ul>
        </>
      ) : (
        inLang(props.text, lang)
      )}
      {props.children}
    </div>
  );
}
