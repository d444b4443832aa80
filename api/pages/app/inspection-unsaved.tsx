// What a supervisor typed into a round's checklist that the round could no longer take (it ended
// while the tab was open): kept on the page to copy, read-only, with the way to open a case for a
// finding, so a failure seen on the walk is not lost with the post.
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { UNSAVED_TITLE } from './case-unsaved.tsx';

/** A result's choice as the checklist names it. */
export const resultLabels: Record<string, Bilingual> = {
  pass: { zh: '合格', en: 'pass' },
  fail: { zh: '不合格', en: 'fail' },
  na: { zh: '不适用', en: 'n/a' },
};

/** One item's unsaved entry, as the form posted it. */
export interface UnsavedFinding {
  itemId: string;
  citation: Bilingual;
  result?: string | undefined;
  note?: string | undefined;
  roomId?: string | undefined;
  /** How many photos were chosen for it (a page cannot show them again). */
  photos: number;
  /** The case the item's failure already opened, when it did: the place to add to it. */
  caseId?: string | undefined;
}

/** Whether an entry is a finding worth a case of its own: a failure, or a note without a result. */
const findingOf = (f: UnsavedFinding) => f.result === 'fail' || (f.result === undefined && Boolean(f.note));

/**
 * The unsaved entries of a post the round refused as over: each item's choice, room and note as
 * typed (read-only, to copy), the photos that were chosen, and a link to open a case for a finding
 * (the new-case form, citing the item) or to the case the item already has.
 */
export function UnsavedFindings(props: { items: readonly UnsavedFinding[]; lang: Lang; asked?: string }) {
  const { lang } = props;
  const t = (x: Bilingual) => inLang(x, lang);
  const withLang = (path: string, query: Record<string, string> = {}) => {
    const q = new URLSearchParams({ ...query, ...(props.asked ? { lang: props.asked } : {}) }).toString();
    return q ? `${path}?${q}` : path;
  };
  return (
    <section class="card" data-unsaved="inspection" aria-labelledby="unsaved-title">
      <h3 id="unsaved-title">{t(UNSAVED_TITLE)}</h3>
      <p class="hint">
        {t({
          zh: '以下内容没有保存，保留在此供复制；发现的问题请新建案件登记，以免遗漏。',
          en: 'This was not saved; it is kept here for you to copy. Open a case for a problem found, so it is not lost.',
        })}
      </p>
      {props.items.map((f) => (
        <div class="field" data-unsaved-item={f.itemId}>
          <p>
            <strong>{t(f.citation)}</strong>
            {f.result ? ` — ${t(resultLabels[f.result] ?? { zh: f.result, en: f.result })}` : ''}
            {f.roomId ? ` — ${t({ zh: `房间 ${f.roomId}`, en: `room ${f.roomId}` })}` : ''}
          </p>
          {f.note ? (
            <>
              <label for={`unsaved-${f.itemId}`}>{t({ zh: '备注', en: 'Note' })}</label>
              <textarea id={`unsaved-${f.itemId}`} readonly rows={2}>
                {f.note}
              </textarea>
            </>
          ) : (
            ''
          )}
          {f.photos > 0 ? (
            <p class="muted" data-unsaved-photos="">
              {t({
                zh: `所选的 ${f.photos} 张照片没有保存，请在案件中重新选择`,
                en: `the ${f.photos === 1 ? 'photo' : `${f.photos} photos`} chosen ${f.photos === 1 ? 'was' : 'were'} not saved: choose ${f.photos === 1 ? 'it' : 'them'} again in the case`,
              })}
            </p>
          ) : (
            ''
          )}
          {f.caseId ? (
            <p>
              <a href={withLang(`/app/cases/${encodeURIComponent(f.caseId)}`)} data-unsaved-case={f.caseId}>
                {t({
                  zh: `此项已立案 ${f.caseId}：在案件中补充`,
                  en: `Case ${f.caseId} is open for this item: add to it there`,
                })}
              </a>
            </p>
          ) : findingOf(f) ? (
            <p>
              <a href={withLang('/app/cases/new', { itemId: f.itemId })} data-new-case={f.itemId}>
                {t({ zh: '为此项新建案件', en: 'Open a case for this item' })}
              </a>
            </p>
          ) : (
            ''
          )}
        </div>
      ))}
    </section>
  );
}
