import { Hono } from 'hono';
import { findingRule } from '../../../domain/case-citation.ts';
import { itemShortName, standards } from '../../../domain/standards/catalogue.ts';
import { inLang, type Bilingual } from '../../../domain/text.ts';
import type { AppDeps } from '../../deps.ts';
import type { WebEnv } from '../../middleware/session.ts';
import { severityLabels } from '../ui.tsx';
import { page } from './dashboard-common.tsx';
import { offersNewCase } from './new-case.tsx';

const TITLE: Bilingual = { zh: '6T标准', en: '6T standards' };
/** A rule's label without its closing full stop, so the severity can follow it. */
const sentence = (s: string) => s.replace(/[。.．]\s*$/u, '');
/** The standard by its own title, as the school knows it (the catalogue's source also names our seed file). */
const STANDARD_TITLE = standards.source.replace(/^seed \d+:\s*/u, '');

// One column of cards on a phone; the Chinese text as the standard writes it, the English gloss beside it.
const STYLE = `.std-dims{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:0 0 1rem}
.std-dims a{display:inline-block;padding:.5rem .75rem;min-height:44px;border:1px solid #c9d3df;border-radius:.375rem;text-decoration:none}
.std-items{list-style:none;padding:0;margin:0;display:grid;gap:.75rem}
.std-item{border:1px solid #dde3ea;border-radius:.5rem;padding:.75rem}
.std-item:target{outline:3px solid #0b57a4}
.std-item h3{font-size:1rem;margin:0 0 .25rem}
.std-req{display:grid;gap:.5rem;grid-template-columns:1fr}
@media (min-width:48rem){.std-req{grid-template-columns:1fr 1fr}}
.std-req p{margin:0}
.std-en{color:#3d4753}`;

/**
 * /app/standards: the 6T catalogue (seed 000) as GET /api/standards serves it,
 * by dimension, each item in Chinese as the standard writes it with its English
 * gloss beside, the SLA rule a failed check of it opens a case with, and (for
 * those who may open cases) a link to open one citing it. Anyone signed in.
 */
export function standardsPageRoutes(_deps: AppDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get('/standards', (c) => {
    const lang = c.get('lang');
    const t = (b: Bilingual) => inLang(b, lang);
    const opener = offersNewCase(c);
    return page(
      c,
      TITLE,
      <>
        <style>{STYLE}</style>
        <p class="muted" data-standards-version={standards.version}>
          {t({
            zh: `《${STANDARD_TITLE}》，版本 ${standards.version}。案件可引用其中的条目，并按条目的维度与编号（如“安全 1”）统计。`,
            en: `The student-apartment “6T” on-site management standard (${STANDARD_TITLE}), version ${standards.version}. A case may cite an item and is then counted by the item's dimension and number (such as “Safety 1”).`,
          })}{' '}
          <a href="/api/standards">JSON</a>
        </p>
        {lang === 'en' && (
          <p class="muted" data-goals-untranslated>
            Each dimension’s goal (目标) is quoted in Chinese as the standard writes it; there is no English
            translation of it. Every item below has its English gloss beside the Chinese.
          </p>
        )}
        <nav aria-label={t({ zh: '维度', en: 'Dimensions' })}>
          <ul class="std-dims">
            {standards.dimensions.map((d) => (
              <li>
                <a href={`#dim-${d.key}`}>{`${d.name.zh} · ${d.name.en} (${d.items.length})`}</a>
              </li>
            ))}
          </ul>
        </nav>
        {standards.dimensions.map((d) => (
          <section class="card" id={`dim-${d.key}`} aria-labelledby={`dim-${d.key}-h`} data-dimension={d.key}>
            <h2 id={`dim-${d.key}-h`} style="margin-top:0">
              {d.name.zh} <span class="std-en">{d.name.en}</span>
            </h2>
            <p class="muted" lang="zh-CN">
              {d.goal}
            </p>
            <ol class="std-items">
              {d.items.map((it) => {
                const rule = findingRule(it);
                const short = itemShortName(it.id);
                return (
                  <li class="std-item" id={it.id} data-item={it.id}>
                    <h3>
                      {`${short.zh} · ${it.category.zh} · ${it.item.zh}`}{' '}
                      <span class="std-en">{`${short.en} · ${it.category.en} · ${it.item.en}`}</span>
                    </h3>
                    <div class="std-req">
                      <p lang="zh-CN">{it.requirement.zh}</p>
                      <p lang="en" class="std-en">
                        {it.requirement.en}
                      </p>
                    </div>
                    <p class="muted" style="margin:.5rem 0 0">
                      {rule && it.severity && (
                        <>
                          {t({ zh: '不合格时立案：', en: 'A failed check opens a case: ' })}
                          {lang === 'en'
                            ? `${sentence(rule.label.en)} (${severityLabels[it.severity].en.toLowerCase()})`
                            : `${sentence(rule.label.zh)}（${t(severityLabels[it.severity])}）`}
                        </>
                      )}
                      {opener && (
                        <>
                          {rule && it.severity ? ' · ' : null}
                          <a href={`/app/cases/new?itemId=${encodeURIComponent(it.id)}`}>
                            {t({ zh: '引用此条目新建案件', en: 'Open a case citing this item' })}
                          </a>
                        </>
                      )}
                    </p>
                  </li>
                );
              })}
            </ol>
          </section>
        ))}
      </>,
    );
  });
  return app;
}
