// Evidence as the case page shows it: thumbnails (a PDF as a link) and the description's photos.
import { createContext, useContext } from 'hono/jsx';
import { citedEvidenceProblem, parseEvidenceRef } from '../../../store/evidence.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import type { AppDeps } from '../../deps.ts';
import { describedPhotos, refsIn } from '../description-photos.ts';
import { caseTextIn } from '../../../domain/case-title.ts';

/**
 * The stored type of each evidence file the page shows, by id (read once per page): a PDF is a
 * link to open, not an image that cannot load.
 */
export const EvidenceTypes = createContext<ReadonlyMap<string, string>>(new Map());

/** Thumbnails for evidence references (a PDF as a link); anything else is shown as the text it is. */
export function Evidence(props: { refs: string[]; lang: Lang; alt?: Bilingual }) {
  const types = useContext(EvidenceTypes);
  const alt = props.alt ?? { zh: '证据照片', en: 'Evidence photo' };
  const photos = props.refs.flatMap((r) => {
    const p = parseEvidenceRef(r);
    return p ? [p] : [];
  });
  const others = props.refs.filter((r) => !parseEvidenceRef(r));
  return (
    <>
      {photos.length > 0 && (
        <div class="thumbs">
          {photos.map((p, n) => {
            const type = types.get(p.evidenceId);
            const href = `/api/evidence/${p.evidenceId}`;
            return type && !type.startsWith('image/') ? (
              <a href={href} title={`sha256 ${p.sha256}`} class="file" data-evidence-file={type}>
                {inLang({ zh: '文件', en: 'File' }, props.lang)} {n + 1} ·{' '}
                {type === 'application/pdf' ? 'PDF' : type}
              </a>
            ) : (
              <a href={href} title={`sha256 ${p.sha256}`}>
                <img src={href} alt={`${inLang(alt, props.lang)} ${n + 1}`} loading="lazy" />
              </a>
            );
          })}
        </div>
      )}
      {others.length > 0 && (
        <ul>
          {others.map((o) => (
            <li>{o}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * The references of a description this case may show as its photos: its own files and its source
 * report's, as a step may cite them. Another case's file named in the text stays text.
 */
export async function photosOfDescription(deps: AppDeps, caseId: string, text: string): Promise<Set<string>> {
  const refs = refsIn(text);
  const ok = await Promise.all(refs.map(async (r) => !(await citedEvidenceProblem(deps, caseId, r))));
  return new Set(refs.filter((_, i) => ok[i]));
}

/**
 * A case's description with its photos. `written`: the system wrote it in both languages (a
 * catalogue item's case: a failed 6T item, a missed duty), so its lines read in the page's
 * language; a person's own words are shown as typed, " / " and all.
 */
export function Description(props: {
  text: string;
  lang: Lang;
  shown: ReadonlySet<string>;
  written: boolean;
}) {
  const { text, refs } = describedPhotos(props.text, props.shown);
  return (
    <>
      {props.written ? caseTextIn(text, props.lang) : text}
      {refs.length > 0 && (
        <div data-description-photos>
          <Evidence refs={refs} lang={props.lang} alt={{ zh: '报告照片', en: 'Reported photo' }} />
        </div>
      )}
    </>
  );
}
