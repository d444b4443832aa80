// The page a case form comes back to when its sender may no longer read the case (it was handed
// over or reassigned meanwhile): a 403 saying so, with what was typed kept to copy, never a redirect.
import { inLang, type Bilingual } from '../../../domain/text.ts';
import { keptLabels, typedFields } from './case-unsaved.tsx';
import type { FormState } from './case-form-state.tsx';
import { page, type WebContext } from './web-kit.tsx';

export const NO_LONGER_YOURS = (caseId: string): Bilingual => ({
  zh: `案件 ${caseId} 已不再由您处理（已转交或改派给他人），您不能再查看或办理它。您的提交没有保存。`,
  en: `Case ${caseId} is no longer yours to act on (it was handed over or reassigned); you can no longer see or act on it. What you sent was not saved.`,
});

export function renderNoLongerYours(c: WebContext, caseId: string, state: FormState) {
  const lang = c.get('lang');
  const kept = typedFields(state);
  return page(
    c,
    { zh: '不能办理此案件', en: 'You cannot act on this case' },
    <section class="card" data-kept-form aria-labelledby="kept-title">
      <h2 id="kept-title">{inLang({ zh: '您填写的内容', en: 'What you typed' }, lang)}</h2>
      {kept.length === 0 ? (
        <p class="muted">{inLang({ zh: '（没有填写内容）', en: '(nothing was typed)' }, lang)}</p>
      ) : (
        <>
          <p class="hint">
            {inLang(
              {
                zh: '以下内容没有保存，保留在此供复制。',
                en: 'This was not saved; it is kept here for you to copy.',
              },
              lang,
            )}
          </p>
          {kept.map(([k, v]) => (
            <div class="field">
              <label for={`kept-${k}`}>{inLang(keptLabels[k] ?? { zh: k, en: k }, lang)}</label>
              <textarea id={`kept-${k}`} name={k} readonly>
                {v}
              </textarea>
            </div>
          ))}
        </>
      )}
      <p>
        <a href="/app">{inLang({ zh: '回到工作台', en: 'Back to my workbench' }, lang)}</a>
      </p>
    </section>,
    { status: 403, flash: { kind: 'error', text: NO_LONGER_YOURS(caseId) } },
  );
}
