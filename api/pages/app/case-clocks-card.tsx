// The case page's card of the case-level clocks: each with its state and basis, and the pauses.
import {
  clockBasis,
  clockStatuses,
  openPause,
  pauseReasonLabels,
  reportedAtOf,
  type ClockId,
} from '../../../domain/case-clocks.ts';
import { type CaseView } from '../../../domain/case-model.ts';
import { type Directory } from '../../../domain/directory.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { formatTime, HeldOrDue, StateCell } from '../ui.tsx';
/** Where a clock comes from, under its name: the document and the sentence it quotes. */
function Basis(props: { id: ClockId; lang: Lang }) {
  const basis = clockBasis(props.id);
  if (!basis) return null;
  return (
    <small class="muted basis">
      {inLang({ zh: '依据', en: 'From' }, props.lang)} {inLang(basis.title, props.lang)}
      {props.lang === 'en' ? ': ' : '：'}“{basis.quote}”
    </small>
  );
}

/** The case-level clocks, each pending, met or breached, and the pauses that held them. */
export function CaseClocks(props: { view: CaseView; dir: Directory; lang: Lang; tz: string; now: Date }) {
  const { view, lang, tz, now } = props;
  const t = (zh: string, en: string) => inLang({ zh, en }, lang);
  const clocks = clockStatuses(view, now.getTime());
  if (clocks.length === 0) return null;
  const paused = openPause(view.pauses)?.state === 'approved';
  const reported = reportedAtOf(view);
  const who = (id: string | undefined) => (id ? (props.dir.people.find((p) => p.id === id)?.name ?? id) : '');
  return (
    <section class="card" aria-labelledby="clocks-title">
      <h2 id="clocks-title">{t('案件时限（自报告起）', 'Case clocks (from the report)')}</h2>
      <p class="muted" data-clocks-from={reported ?? view.openedAt}>
        {reported
          ? `${t('报告时间', 'Reported')} ${formatTime(reported, tz)} · ${t('登记', 'Opened')} ${formatTime(view.openedAt, tz)}`
          : `${t('报告即登记', 'Reported when opened')} ${formatTime(view.openedAt, tz)}`}
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('时限', 'Clock')}</th>
              <th scope="col">{t('截止', 'Due')}</th>
              <th scope="col">{t('状态', 'State')}</th>
            </tr>
          </thead>
          <tbody>
            {clocks.map((c) => (
              <>
                <tr data-clock={c.id} data-state={c.state} class="has-basis">
                  <td>{inLang(c.label, lang)}</td>
                  <td>
                    {/* Every approved pause holds the clocks: their due moves on with it, nothing counts down. */}
                    <HeldOrDue
                      due={c.due}
                      running={c.state === 'pending'}
                      held={c.state === 'pending' && paused}
                      now={now}
                      lang={lang}
                      timeZone={tz}
                    />
                    {Math.round(c.pausedMs / 60_000) > 0 && (
                      <span class="muted">
                        {' '}
                        {t(
                          `（暂停 ${Math.round(c.pausedMs / 60_000)} 分钟已扣除）`,
                          `(${Math.round(c.pausedMs / 60_000)} min paused, not counted)`,
                        )}
                      </span>
                    )}
                    {c.approximate && <span class="muted"> {t('（约）', '(approx.)')}</span>}
                  </td>
                  <StateCell state={c.state} at={c.metAt} lang={lang} tz={tz} />
                </tr>
                <tr class="basis-row">
                  <td colspan={3}>
                    <Basis id={c.id} lang={lang} />
                  </td>
                </tr>
              </>
            ))}
          </tbody>
        </table>
      </div>
      {(view.pauses ?? []).length > 0 && (
        <>
          <h3>{t('暂停', 'Pauses')}</h3>
          <ul>
            {(view.pauses ?? []).map((p) => (
              <li data-pause={p.state}>
                {inLang(pauseReasonLabels[p.reason], lang)} · {who(p.requestedBy)} ·{' '}
                {formatTime(p.requestedAt, tz)} ·{' '}
                {inLang(
                  p.state === 'ended' && !p.decidedAt ? closedUndecided : pauseStateLabels[p.state],
                  lang,
                )}
                {p.decidedAt && ` · ${who(p.decidedBy)} ${formatTime(p.decidedAt, tz)}`}
                {p.endedAt && ` → ${formatTime(p.endedAt, tz)}`}
                {p.note && ` · ${p.note}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** A request the repair report closed before anyone decided it: it never held a clock. */
const closedUndecided: Bilingual = {
  zh: '未审批，维修上报后撤销',
  en: 'closed undecided when the repair was reported',
};

const pauseStateLabels = {
  requested: { zh: '待审批', en: 'awaiting a decision' },
  approved: { zh: '暂停中', en: 'paused' },
  rejected: { zh: '已驳回', en: 'rejected' },
  ended: { zh: '已结束', en: 'ended' },
} as const satisfies Record<string, Bilingual>;
