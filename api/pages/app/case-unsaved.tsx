// What a person typed into a case form that was not saved, kept on the page to copy: a read-only
// box, not the form, when the form no longer applies (the case moved on, or is no longer theirs).
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { handlingFieldLabels } from './case-handling-forms.tsx';
import { Evidence } from './case-evidence.tsx';
import type { FormState } from './case-form-state.tsx';

/** The typed fields worth keeping, as the forms label them (ids, tokens and photo refs are not typed). */
export const keptLabels: Record<string, Bilingual> = {
  ...handlingFieldLabels,
  ...Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`why${n}`, { zh: `为什么 ${n}`, en: `Why ${n}` }])),
  causes: { zh: '根本原因', en: 'Root causes' },
  plan: { zh: '整改方案', en: 'Rectification plan' },
  summary: { zh: '整改情况', en: 'What was done' },
  evidenceText: { zh: '其他证据', en: 'Other evidence' },
  text: { zh: '备注内容', en: 'Comment' },
};

/** The typed fields of a form, those with something in them. */
export const typedFields = (state: FormState): [string, string][] =>
  Object.entries(state.values).filter(([k, v]) => keptLabels[k] !== undefined && v.trim() !== '');

export const UNSAVED_TITLE: Bilingual = { zh: '您填写的内容（未保存）', en: 'What you typed (not saved)' };

/**
 * The unsaved text of a form that can no longer be sent, read-only, under its form's title:
 * no button, nothing that posts, only fields to copy from (and photos already uploaded, shown).
 */
export function UnsavedText(props: { state: FormState; form: Bilingual; lang: Lang }) {
  const { state, lang } = props;
  const kept = typedFields(state);
  const photos = state.photos ?? [];
  return (
    <section class="card" data-unsaved={state.step} aria-labelledby="unsaved-title">
      <h3 id="unsaved-title">{inLang(UNSAVED_TITLE, lang)}</h3>
      <p class="hint">
        {inLang(
          {
            zh: `「${props.form.zh}」没有提交成功，此表单已不能再提交。以下内容没有保存，保留在此供复制。`,
            en: `“${props.form.en}” was not taken and can no longer be sent. This was not saved; it is kept here for you to copy.`,
          },
          lang,
        )}
      </p>
      {kept.length === 0 && photos.length === 0 ? (
        <p class="muted">{inLang({ zh: '（没有填写内容）', en: '(nothing was typed)' }, lang)}</p>
      ) : (
        kept.map(([k, v]) => (
          <div class="field">
            <label for={`unsaved-${k}`}>{inLang(keptLabels[k] ?? { zh: k, en: k }, lang)}</label>
            <textarea id={`unsaved-${k}`} readonly>
              {v}
            </textarea>
          </div>
        ))
      )}
      {photos.length > 0 && <Evidence refs={photos} lang={lang} />}
    </section>
  );
}
