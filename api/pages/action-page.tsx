import {
  GENERAL_QUESTIONS,
  SURVEY_COMMENT_MAX,
  surveyAspects,
  type SurveyQuestions,
} from '../../domain/survey-questions.ts';
import type { Bilingual, Lang } from '../../domain/text.ts';
import type { ActionContent, RowValue } from './action-statement.ts';
import { Alt, Both, LinkPageShell, other, otherLang, Pair, pick } from './link-page.tsx';

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

const Radio = (p: {
  name: string;
  value: string;
  label: Bilingual;
  lang: Lang;
  checked: boolean;
  /** The first radio of a group carries the group's id, so the error summary can link to it. */
  id?: string | undefined;
  invalid?: boolean | undefined;
}) => (
  <label class="choice">
    <input
      type="radio"
      id={p.id}
      name={p.name}
      value={p.value}
      checked={p.checked}
      required
      aria-invalid={p.invalid ? 'true' : undefined}
      aria-describedby={p.invalid ? ERROR_ID : undefined}
    />{' '}
    <span>
      <Pair text={p.label} lang={p.lang} />
    </span>
  </label>
);

/** The refused form's message: the fields in error point at it (aria-describedby). */
const ERROR_ID = 'form-error';

/** A field's id on the page: the summary's links and the labels use it. */
const fieldId = (name: string) => `field-${name}`;

/** A control of the form a refusal can be about: a text, the group of choices, a rating's aspect. */
export type FieldName = keyof typeof FIELD_MAX | 'choice' | (typeof surveyAspects)[number];

const fieldNames: readonly string[] = ['reason', 'notes', 'comment', 'choice', ...surveyAspects];
export const isFieldName = (name: string): name is FieldName => fieldNames.includes(name);

/**
 * The most characters each text of the form takes: what the route's schema (actionFormSchema)
 * allows. A rating's comment takes fewer (SURVEY_COMMENT_MAX, as on the tracking page).
 */
export const FIELD_MAX = { reason: 2000, notes: 5000, comment: 2000 } as const;

const Field = (p: {
  name: keyof typeof FIELD_MAX;
  label: Bilingual;
  lang: Lang;
  value?: string | undefined;
  invalid: readonly FieldName[];
  /** Fewer characters than the schema's for this field. */
  max?: number | undefined;
}) => {
  const invalid = p.invalid.includes(p.name);
  return (
    <>
      <label for={fieldId(p.name)}>
        <Pair text={p.label} lang={p.lang} />
      </label>
      <textarea
        id={fieldId(p.name)}
        name={p.name}
        maxlength={p.max ?? FIELD_MAX[p.name]}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? ERROR_ID : undefined}
      >
        {p.value ?? ''}
      </textarea>
    </>
  );
};

/** The texts' labels as the error summary names them (the same words as beside each field). */
const FIELD_LABEL = {
  reason: { zh: '异议理由', en: 'Reason for the dispute' },
  notes: { zh: '裁定说明', en: 'Notes' },
  comment: { zh: '意见', en: 'Comment' },
} as const satisfies Record<keyof typeof FIELD_MAX, Bilingual>;

/** What the group of choices is, said before them: each kind of link asks one thing. */
const LEGEND: Record<ActionContent['choice'], Bilingual> = {
  sign_off: { zh: '签字选择', en: 'Your choice' },
  adjudicate: { zh: '裁定结果', en: 'Your decision' },
  rate: { zh: '您的评价', en: 'Your rating' },
  // No group on the page (nothing to choose); named for a summary that would point at the choice.
  acknowledge: { zh: '您的确认', en: 'Your confirmation' },
};

function Choices({
  kind,
  lang,
  s,
  note,
  questions,
  invalid,
}: {
  kind: ActionContent['choice'];
  lang: Lang;
  s: FormState;
  note?: ActionContent['note'];
  questions: SurveyQuestions;
  invalid: readonly FieldName[];
}) {
  const choiceInvalid = invalid.includes('choice');
  switch (kind) {
    case 'sign_off':
      return (
        <>
          <Radio
            name="choice"
            value="confirm"
            id={fieldId('choice')}
            invalid={choiceInvalid}
            label={{ zh: '确认问题认定与整改方案', en: 'I confirm the finding and the plan' }}
            lang={lang}
            checked={s.choice === 'confirm'}
          />
          <Radio
            name="choice"
            value="dispute"
            invalid={choiceInvalid}
            label={{ zh: '提出异议（须写明理由）', en: 'I dispute it (give a reason)' }}
            lang={lang}
            checked={s.choice === 'dispute'}
          />
          <Field
            name="reason"
            label={{ zh: '异议理由', en: 'Reason for the dispute' }}
            lang={lang}
            value={s.reason}
            invalid={invalid}
          />
        </>
      );
    case 'adjudicate':
      return (
        <>
          <Radio
            name="choice"
            value="revise"
            id={fieldId('choice')}
            invalid={choiceInvalid}
            label={{ zh: '退回重新分析', en: 'Back to analysis' }}
            lang={lang}
            checked={s.choice === 'revise'}
          />
          <Radio
            name="choice"
            value="proceed"
            invalid={choiceInvalid}
            label={{ zh: '按原方案整改', en: 'Proceed with the plan' }}
            lang={lang}
            checked={s.choice === 'proceed'}
          />
          <Field
            name="notes"
            label={{ zh: '裁定说明（必填）', en: 'Notes (required)' }}
            lang={lang}
            value={s.notes}
            invalid={invalid}
          />
        </>
      );
    case 'rate':
      // The same questions as the tracking page's survey, worded for the case; the lowest is the case's score.
      return (
        <>
          {surveyAspects.map((a) => (
            <fieldset data-aspect={a}>
              <legend>
                <Pair text={questions[a]} lang={lang} />
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
                  id={n === 5 ? fieldId(a) : undefined}
                  invalid={invalid.includes(a)}
                />
              ))}
            </fieldset>
          ))}
          <Field
            name="comment"
            label={{ zh: '意见（选填）', en: 'Comment (optional)' }}
            lang={lang}
            value={s.comment}
            invalid={invalid}
            max={SURVEY_COMMENT_MAX}
          />
        </>
      );
    case 'acknowledge':
      return (
        <>
          <input type="hidden" name="choice" value="acknowledge" />
          {note && (
            <Field name="comment" label={note.label} lang={lang} value={s.comment} invalid={invalid} />
          )}
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
      <div class="alt" lang={otherLang(lang)}>
        {other(value, lang)}
      </div>
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
    /** The fields the refusal is about, as the route's checks found them: each marked and linked. */
    fields?: readonly FieldName[] | undefined;
  };
}) {
  const { lang, content, form, photos, notice } = props;
  const state = form.state ?? {};
  const invalid = form.error ? (form.fields ?? []) : [];
  const questions = content.questions ?? GENERAL_QUESTIONS;
  const choices = (
    <Choices
      kind={content.choice}
      lang={lang}
      s={state}
      note={content.note}
      questions={questions}
      invalid={invalid}
    />
  );
  const label = (f: FieldName): Bilingual => {
    if (f === 'choice') return LEGEND[content.choice];
    if (f === 'comment' && content.note) return content.note.label;
    if (f === 'reason' || f === 'notes' || f === 'comment') return FIELD_LABEL[f];
    return questions[f];
  };
  return (
    <LinkPageShell
      lang={lang}
      outcome="ready"
      title={content.title}
      notice={notice}
      error={form.error !== undefined}
    >
      {/* Before the case, and where the keyboard lands: on a phone the form is screens below. */}
      {form.error ? (
        <div class="error" id={ERROR_ID} tabindex={-1} autofocus role="alert" data-form-error>
          <Both text={form.error} lang={lang} />
          {invalid.length > 0 && (
            <ul>
              {invalid.map((f) => (
                <li>
                  <a href={`#${fieldId(f)}`}>
                    <Pair text={label(f)} lang={lang} />
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      <table>
        {content.rows.map((r, i) => (
          <tr>
            <th>
              {pick(r.label, lang)}
              <div class="alt" lang={otherLang(lang)}>
                {other(r.label, lang)}
              </div>
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
      <form method="post" action={form.action}>
        <input type="hidden" name="csrf" value={form.csrf} />
        <input type="hidden" name="textHash" value={form.textHash} />
        {content.choice === 'acknowledge' ? (
          // Nothing to choose: at most a note, which its own label names.
          choices
        ) : (
          <fieldset>
            <legend>
              <Pair text={LEGEND[content.choice]} lang={lang} />
            </legend>
            {choices}
          </fieldset>
        )}
        <button type="submit">
          {pick(SUBMIT, lang)} / <Alt text={SUBMIT} lang={lang} muted={false} />
        </button>
      </form>
      <p class="note" data-link-note>
        {pick(NOTE, lang)} <Alt text={NOTE} lang={lang} muted={false} />
      </p>
    </LinkPageShell>
  );
}
