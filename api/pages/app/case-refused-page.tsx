// The page a case form comes back to when its sender may no longer read the case (it was handed
// over or reassigned meanwhile): a 403 saying so, with what was typed kept to copy, never a redirect.
import { inLang, upFirst, type Bilingual } from '../../../domain/text.ts';
import { keptLabels, typedFields, type PersonLabel } from './case-unsaved.tsx';
import type { FormState } from './case-form-state.tsx';
import { page, type WebContext } from './web-kit.tsx';

export const NO_LONGER_YOURS = (caseId: string): Bilingual => ({
  zh: `案件 ${caseId} 已不再由您处理（已转交或改派给他人），您不能再查看或办理它。您的提交没有保存。`,
  en: `Case ${caseId} is no longer yours to act on (it was handed over or reassigned); you can no longer see or act on it. What you sent was not saved.`,
});

/** What a page needs to say why a case cannot be read: the case's building, and who the reader is. */
export interface ReadRefusalFacts {
  caseId: string;
  /** The case's building, by its name (its id where the directory no longer has it); unknown: the rule alone. */
  building?: Bilingual | undefined;
  /** The reader supervises buildings: these now (names), none when left without one. */
  supervisorOf?: Bilingual[] | undefined;
  /** The reader supervised the case's building before: pinned when it opened, or acted on it. */
  supervisedBefore?: boolean | undefined;
}

/**
 * Why a case page is refused to its reader, as sentences (the API's refusal is a clause, "you may
 * read cases of …", written to follow a colon): a supervisor moved to other buildings is told they
 * no longer cover this one, and where they are now, rather than only the rule.
 */
export function readRefusalText(f: ReadRefusalFacts, rule: Bilingual): Bilingual {
  const sentence = (en: string) => `${upFirst(en).replace(/[.。]$/u, '')}.`;
  const zhRule = `${rule.zh.replace(/[。.]$/u, '')}。`;
  const now = f.supervisorOf ?? [];
  const nowZh = now.length ? `，您现在主管${now.map((b) => b.zh).join('、')}` : '';
  const nowEn = now.length ? ` (you now supervise ${now.map((b) => b.en).join(', ')})` : '';
  const building = f.building;
  if (building && f.supervisedBefore)
    return {
      zh: `您已不再主管${building.zh}（案件 ${f.caseId} 所在楼栋${nowZh}），因此不能再查看此案件。如仍需跟进，请联系该楼栋现在的主管或管理员。`,
      en: `You no longer supervise ${building.en}, where case ${f.caseId} is${nowEn}, so you can no longer see this case. If it still needs you, ask the building's supervisors now or an admin.`,
    };
  if (building && f.supervisorOf) {
    const yoursZh = now.length ? `（您主管：${now.map((b) => b.zh).join('、')}）` : '';
    const yoursEn = now.length ? ` (you supervise ${now.map((b) => b.en).join(', ')})` : '';
    return {
      zh: `案件 ${f.caseId} 在${building.zh}，不是您主管的楼栋${yoursZh}，您不能查看。${zhRule}`,
      en: `Case ${f.caseId} is in ${building.en}, which you do not supervise${yoursEn}, so you cannot see it. ${sentence(rule.en)}`,
    };
  }
  return {
    zh: `您不能查看案件 ${f.caseId}。${zhRule}`,
    en: `You cannot see case ${f.caseId}. ${sentence(rule.en)}`,
  };
}

export function renderNoLongerYours(
  c: WebContext,
  caseId: string,
  state: FormState,
  personLabel?: PersonLabel,
) {
  const lang = c.get('lang');
  const kept = typedFields(state, lang, personLabel);
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
