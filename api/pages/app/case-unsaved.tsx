// What a person typed into a case form that was not saved, kept on the page to copy: a read-only
// box, not the form, when the form no longer applies (the case moved on, or is no longer theirs).
import { pauseReasonLabels, pauseReasons, type PauseReason } from '../../../domain/case-clocks.ts';
import type { Directory } from '../../../domain/directory.ts';
import { personChoiceLabels } from '../../../domain/person-option.ts';
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

/** The kept fields whose value is a person chosen from a list (by id), shown by who they are. */
const PERSON_FIELDS: ReadonlySet<string> = new Set(['assigneeId']);

/** How a chosen person reads ("赵伟（管理）"); undefined for an id the directory does not know. */
export type PersonLabel = (id: string) => string | undefined;

/**
 * Each person of the directory as the form's list named them ("赵伟（管理）", with the email when two
 * read alike), so the kept value reads as the choice made.
 */
export const personLabelOf = (dir: Pick<Directory, 'people' | 'departments'>, lang: Lang): PersonLabel => {
  const labels = personChoiceLabels(dir.people, lang, dir.departments);
  return (id) => labels.get(id);
};

const isPauseReason = (v: string): v is PauseReason => (pauseReasons as readonly string[]).includes(v);

/**
 * A kept value as its form showed it: a colleague chosen from the list by name, not by the
 * directory's id the option sent ("staff-zhao"), and a pause request's reason by the words of its
 * list ("等待配件"), not the value sent ("waiting_for_parts"); nobody reads by either. (Other
 * forms' "reason" is typed text, kept as typed.)
 */
function shownValue(
  state: FormState,
  key: string,
  value: string,
  lang: Lang,
  personLabel: PersonLabel | undefined,
): string {
  const v = value.trim();
  if (PERSON_FIELDS.has(key)) return personLabel?.(v) ?? value;
  if (state.step === 'request_pause' && key === 'reason' && isPauseReason(v))
    return inLang(pauseReasonLabels[v], lang);
  return value;
}

/** The typed fields of a form, those with something in them, each as its form showed it. */
export const typedFields = (state: FormState, lang: Lang, personLabel?: PersonLabel): [string, string][] =>
  Object.entries(state.values)
    .filter(([k, v]) => keptLabels[k] !== undefined && v.trim() !== '')
    .map(([k, v]) => [k, shownValue(state, k, v, lang, personLabel)]);

export const UNSAVED_TITLE: Bilingual = { zh: '您填写的内容（未保存）', en: 'What you typed (not saved)' };

/**
 * The unsaved text of a form that can no longer be sent, read-only, under its form's title:
 * no button, nothing that posts, only fields to copy from (and photos already uploaded, shown).
 */
export function UnsavedText(props: {
  state: FormState;
  form: Bilingual;
  lang: Lang;
  personLabel?: PersonLabel | undefined;
}) {
  const { state, lang } = props;
  const kept = typedFields(state, lang, props.personLabel);
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
