// The case page's forms as the page and its routes share them: which stage steps have a form, the
// state a refused form comes back in, and what stands in for the button of a form that cannot be sent.
import type { HandlingStep } from '../../../domain/case-handling.ts';
import type { Child } from 'hono/jsx';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { Csrf, type FieldErrors } from '../ui.tsx';

/** The steps that have a form on this page; sign-off is signed through the emailed link. */
export const FORM_STEPS = [
  'root_cause',
  'rectification',
  'review',
  'adjudication',
  'withdraw',
  'comment',
] as const;
export type FormStep = (typeof FORM_STEPS)[number];

export const isFormStep = (step: string): step is FormStep =>
  (FORM_STEPS as readonly string[]).includes(step);

export interface FormState {
  /** A handling step's form (hand-over, pause…) comes back the same way as a stage step's. */
  step: FormStep | HandlingStep;
  values: Record<string, string>;
  errors: FieldErrors;
  /** Photos stored for the form before it was refused: offered again, not lost. */
  photos?: string[] | undefined;
}

/**
 * In place of the submit button of a form whose step is no longer the person's to take (the case
 * finished, the stage moved on): the form is shown only so that what was typed is not lost.
 */
export function NotOffered(props: { lang: Lang }) {
  return (
    <p class="hint">
      {inLang(
        {
          zh: '此步骤现在不能提交（原因见上方）。您填写的内容没有保存，保留在此供复制。',
          en: 'This step cannot be taken now (see above why). What you typed was not saved; it is kept here for you to copy.',
        },
        props.lang,
      )}
    </p>
  );
}

/**
 * A step's card on the case page: its title, a refusal that names no field, the form with its
 * CSRF token and `children` as its fields, then the submit button, or, for a step no longer the
 * person's, why there is none.
 */
export function StepCard(props: {
  step: string;
  title: Bilingual;
  lang: Lang;
  offered: boolean;
  formError?: Bilingual | undefined;
  action: string;
  multipart?: boolean | undefined;
  csrfToken: string;
  submit: Bilingual;
  danger?: boolean | undefined;
  children?: Child;
}) {
  const { step, lang } = props;
  return (
    <section
      class="card"
      aria-labelledby={`${step}-title`}
      data-step={step}
      data-not-offered={props.offered ? undefined : ''}
    >
      <h3 id={`${step}-title`}>{inLang(props.title, lang)}</h3>
      {props.formError && (
        <p class="field-error" role="alert">
          {inLang(props.formError, lang)}
        </p>
      )}
      <form
        method="post"
        action={props.action}
        enctype={props.multipart ? 'multipart/form-data' : undefined}
        novalidate
      >
        <Csrf token={props.csrfToken} />
        {props.children}
        {props.offered ? (
          <div class="actions">
            <button type="submit" class={props.danger ? 'danger' : undefined}>
              {inLang(props.submit, lang)}
            </button>
          </div>
        ) : (
          <NotOffered lang={lang} />
        )}
      </form>
    </section>
  );
}
