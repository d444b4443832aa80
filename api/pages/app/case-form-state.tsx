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
 * A step's card on the case page: its title, a refusal that names no field, the form with its
 * CSRF token and `children` as its fields, then the submit button.
 */
export function StepCard(props: {
  step: string;
  title: Bilingual;
  lang: Lang;
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
    <section class="card" aria-labelledby={`${step}-title`} data-step={step}>
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
        <div class="actions">
          <button type="submit" class={props.danger ? 'danger' : undefined}>
            {inLang(props.submit, lang)}
          </button>
        </div>
      </form>
    </section>
  );
}
