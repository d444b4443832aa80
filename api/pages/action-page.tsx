import { surveyAspectLabel, surveyAspects } from '../../domain/intake.ts';
import type { Bilingual, Lang } from '../../domain/text.ts';
import type { ActionContent, RowValue } from './action-statement.ts';
import { Both, LinkPageShell, other, Pair, pick } from './link-page.tsx';

/** The page behind an email action link: the case, the statement to sign, and the form whose POST signs it. */
export interface FormState {
  choice?: string | undefined;
  reason?: string | undefined;
  notes?: string | undefined;
  score?: number | undefined;
  attitude?: number | undefined;
  quality?: number | undefined;
  cleanup?: number | undefined;
  comment?: string | undefined;
}

const Radio = (p: { name: string; value: string; label: Bilingual; lang: Lang; checked: boolean }) => (
  <label>
    <input type="radio" name={p.name} value={p.value} checked={p.checked} required />{' '}
    <Pair text={p.label} lang={p.lang} />
  </label>
);

/** The most characters each text of the form takes: what the route's schema (actionFormSchema) allows. */
export const FIELD_MAX = { reason: 2000, notes: 5000, comment: 2000 } as const;

const Field = (p: {
  name: keyof typeof FIELD_MAX;
  label: Bilingual;
  lang: Lang;
  value?: string | undefined;
}) => (
  <label>
    <Pair text={p.label} lang={p.lang} />
    <textarea name={p.name} maxlength={FIELD_MAX[p.name]}>
      {p.value ?? ''}
    </textarea>
  </label>
);

function Choices({
  kind,
  lang,
  s,
  note,
}: {
  kind: ActionContent['choice'];
  lang: Lang;
  s: FormState;
  note?: ActionContent['note'];
}) {
  switch (kind) {
    case 'sign_off':
      return (
        <>
          <Radio
            name="choice"
            value="confirm"
            label={{ zh: '确认问题认定与整改方案', en: 'I confirm the finding and the plan' }}
            lang={lang}
            checked={s.choice === 'confirm'}
          />
          <Radio
            name="choice"
            value="dispute"
            label={{ zh: '提出异议（须写明理由）', en: 'I dispute it (give a reason)' }}
            lang={lang}
            checked={s.choice === 'dispute'}
          />
          <Field
            name="reason"
            label={{ zh: '异议理由', en: 'Reason for the dispute' }}
            lang={lang}
            value={s.reason}
          />
        </>
      );
    case 'adjudicate':
      return (
        <>
          <Radio
            name="choice"
            value="revise"
            label={{ zh: '退回重新分析', en: 'Back to analysis' }}
            lang={lang}
            checked={s.choice === 'revise'}
          />
          <Radio
            name="choice"
            value="proceed"
            label={{ zh: '按原方案整改', en: 'Proceed with the plan' }}
            lang={lang}
            checked={s.choice === 'proceed'}
          />
          <Field
            name="notes"
            label={{ zh: '裁定说明（必填）', en: 'Notes (required)' }}
            lang={lang}
            value={s.notes}
          />
        </>
      );
    case 'rate':
      // The same three aspects as the tracking page's survey; the lowest is the case's score.
      return (
        <>
          {surveyAspects.map((a) => (
            <fieldset data-aspect={a}>
              <legend>
                <Pair text={surveyAspectLabel[a]} lang={lang} />
              </legend>
              {[5, 4, 3, 2, 1].map((n) => (
                <Radio
                  name={a}
                  value={String(n)}
                  label={{
                    zh: `${n} 分${n === 5 ? '（非常满意）' : n === 1 ? '（非常不满意）' : ''}`,
                    en: `${n}${n === 5 ? ' (very satisfied)' : n === 1 ? ' (very dissatisfied)' : ''}`,
                  }}
                  lang={lang}
                  checked={s[a] === n}
                />
              ))}
            </fieldset>
          ))}
          <Field
            name="comment"
            label={{ zh: '意见（选填）', en: 'Comment (optional)' }}
            lang={lang}
            value={s.comment}
          />
        </>
      );
    case 'acknowledge':
      return (
        <>
          <input type="hidden" name="choice" value="acknowledge" />
          {note && <Field name="comment" label={note.label} lang={lang} value={s.comment} />}
        </>
      );
  }
}

/** A row's value for the reader: lists in their punctuation, names in their language first. */
function Value({ value, lang }: { value: RowValue; lang: Lang }) {
  if (typeof value === 'string') return <>{value}</>;
  if (Array.isArray(value)) return <>{value.join(lang === 'en' ? '; ' : '；')}</>;
  if (value.zh === value.en) return <>{value.zh}</>;
  return (
    <>
      {pick(value, lang)}
      <div class="alt">{other(value, lang)}</div>
    </>
  );
}

/**
 * The photos a row's text cited (a description's `照片 / Photos: evidence:…` line): the text without
 * the references, the photos the page may show by short-lived signed addresses, and what to say of
 * the ones it may not.
 */
export interface RowPhotos {
  row: number;
  text: string;
  urls: string[];
  alt: Bilingual;
  elsewhere?: Bilingual | undefined;
}

function Photos({ photos, lang }: { photos: RowPhotos; lang: Lang }) {
  return (
    <>
      {photos.urls.length > 0 && (
        <div class="thumbs" data-description-photos>
          {photos.urls.map((src, n) => (
            <a href={src}>
              <img src={src} alt={`${pick(photos.alt, lang)} ${n + 1}`} />
            </a>
          ))}
        </div>
      )}
      {photos.elsewhere && (
        <div class="note" data-photos-elsewhere>
          <Pair text={photos.elsewhere} lang={lang} />
        </div>
      )}
    </>
  );
}

const SUBMIT: Bilingual = { zh: '签字提交', en: 'Sign and submit' };
const NOTE: Bilingual = {
  zh: '打开本页不会做任何改动；点击提交后才会签字。签字记录时间、IP、浏览器和上述声明的哈希。链接仅可使用一次。',
  en: 'Opening this page changes nothing; only the button signs. The signature records time, IP, browser and a hash of the statement above. The link works once.',
};

/** The page with the statement and the form whose POST does the act. */
export function ActionPage(props: {
  lang: Lang;
  content: ActionContent;
  photos?: RowPhotos | undefined;
  /** Said at the top, before the case (the browser is signed in as someone else). */
  notice?: Bilingual | undefined;
  form: {
    action: string;
    csrf: string;
    textHash: string;
    state?: FormState | undefined;
    error?: Bilingual | undefined;
  };
}) {
  const { lang, content, form, photos, notice } = props;
  return (
    <LinkPageShell lang={lang} outcome="ready" title={content.title} notice={notice}>
      <table>
        {content.rows.map((r, i) => (
          <tr>
            <th>
              {pick(r.label, lang)}
              <div class="alt">{lang === 'en' ? r.label.zh : r.label.en}</div>
            </th>
            <td>
              {photos?.row === i ? (
                <>
                  {photos.text}
                  <Photos photos={photos} lang={lang} />
                </>
              ) : (
                <Value value={r.value} lang={lang} />
              )}
            </td>
          </tr>
        ))}
      </table>
      <h2>{pick({ zh: '声明', en: 'Statement' }, lang)}</h2>
      <blockquote>
        <Both text={content.statement} lang={lang} />
      </blockquote>
      {form.error ? (
        <div class="error" role="alert">
          <Both text={form.error} lang={lang} />
        </div>
      ) : null}
      <form method="post" action={form.action}>
        <input type="hidden" name="csrf" value={form.csrf} />
        <input type="hidden" name="textHash" value={form.textHash} />
        <fieldset>
          <Choices kind={content.choice} lang={lang} s={form.state ?? {}} note={content.note} />
        </fieldset>
        <button type="submit">
          {pick(SUBMIT, lang)} / {lang === 'en' ? SUBMIT.zh : SUBMIT.en}
        </button>
      </form>
      <p class="note">{pick(NOTE, lang)}</p>
    </LinkPageShell>
  );
}
