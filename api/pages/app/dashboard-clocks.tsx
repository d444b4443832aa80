// The dashboard's table of the standards' case-level clocks (what GET /api/kpis returns under `clocks`).
import { clockBasis } from '../../../domain/case-clocks.ts';
import type { ClockKpi } from '../../../domain/kpi.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { STACKED_TABLE } from '../ui.tsx';
import { percent } from './dashboard-common.tsx';

/** The columns, their headers and each cell's label on a phone's card. */
const cols = {
  met: { zh: '按时', en: 'Met' },
  breached: { zh: '超时', en: 'Breached' },
  pending: { zh: '计时中', en: 'Running' },
  rate: { zh: '按时率', en: 'Rate met' },
  basis: { zh: '依据', en: 'Source' },
} satisfies Record<string, Bilingual>;

/**
 * Each clock the seeds set for a whole case (on-site arrival, complaint response, …) with how many
 * cases met it, breached it or are still running, the share met of those decided, and the seed
 * sentence it comes from. Stacked into cards on a phone, like the other tables of the page.
 */
export function ClockTable(props: { clocks: readonly ClockKpi[]; lang: Lang }) {
  const t = (b: Bilingual) => inLang(b, props.lang);
  if (props.clocks.length === 0)
    return (
      <p class="muted" data-clocks-empty>
        {t({
          zh: '本期立案的案件没有标准时限可计（时钟启用前的案件不计）。',
          en: 'No case opened in this period runs a standard’s clock (cases opened before clocks have none).',
        })}
      </p>
    );
  return (
    <div
      class="table-wrap"
      role="region"
      tabindex={0}
      aria-label={t({ zh: '标准时限表', en: 'Standard clocks' })}
    >
      <table data-clocks class={STACKED_TABLE}>
        <caption class="visually-hidden">
          {t({ zh: '标准时限：按时、超时与计时中', en: 'Standard clocks: met, breached and running' })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t({ zh: '时限', en: 'Clock' })}</th>
            <th scope="col">{t(cols.met)}</th>
            <th scope="col">{t(cols.breached)}</th>
            <th scope="col">{t(cols.pending)}</th>
            <th scope="col">{t(cols.rate)}</th>
            <th scope="col">{t(cols.basis)}</th>
          </tr>
        </thead>
        <tbody>
          {props.clocks.map((k) => {
            const basis = clockBasis(k.id);
            return (
              <tr data-clock={k.id} data-met={k.value === null ? 'null' : String(k.value >= k.target)}>
                <td>{t(k.label)}</td>
                <td data-label={t(cols.met)}>{k.met}</td>
                <td data-label={t(cols.breached)}>{k.breached}</td>
                <td data-label={t(cols.pending)}>{k.pending}</td>
                <td data-label={t(cols.rate)}>{k.value === null ? '—' : percent(k.value)}</td>
                <td data-label={t(cols.basis)}>
                  {basis ? (
                    <small class="muted" data-clock-source>
                      {`${t(basis.title)}${props.lang === 'en' ? ': ' : '：'}${basis.quote}`}
                    </small>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
