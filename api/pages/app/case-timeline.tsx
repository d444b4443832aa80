// The case page's merged timeline: the audit chain as people read it, beside the Temporal events.
import { stepSeqs } from '../../../audit/scan.ts';
import { readChain } from '../../../store/audit-chain.ts';
import type { Directory } from '../../../domain/directory.ts';
import { inLang, type Lang } from '../../../domain/text.ts';
import type { AppDeps } from '../../deps.ts';
import { describeEntry, summariseHistory, type HistorySummary } from '../../audit-timeline.ts';
import { namesForAudit } from '../../directory-names.ts';
import { formatTime } from '../ui.tsx';
import { refsIn } from '../description-photos.ts';
import { Evidence } from './case-evidence.tsx';
import type { Reporter } from '../../../domain/case-model.ts';
import { withoutContact, type ReporterShown } from '../../reporter-privacy.ts';

interface TimelineRow {
  at: string;
  what: string;
  who: string;
  detail: string;
  signature?:
    { ip?: string | undefined; textHash?: string | undefined; tokenId?: string | undefined } | undefined;
  refs: string[];
  seq: number;
  hash: string;
  /** The workflow event behind the entry: its number, and its technical name for those who look. */
  temporal?: { eventId: number; name: string } | undefined;
}

/** What the reader may see of the case's reporter, and the reporter (whose contact is kept from them). */
export interface TimelineReader {
  shown: ReporterShown;
  reporter: Reporter | undefined;
}

/** The audit chain as people read it, each entry with its signature, evidence and the Temporal update behind it. */
export async function timelineOf(
  deps: AppDeps,
  dir: Directory,
  caseId: string,
  lang: Lang,
  reader: TimelineReader = { shown: 'all', reporter: undefined },
): Promise<{ rows: TimelineRow[]; history: HistorySummary | null }> {
  const tz = deps.env.CAMPUS_TZ;
  const [entries, named] = await Promise.all([
    readChain(deps.aws.ddb, deps.aws.tables, caseId),
    namesForAudit(deps.aws, dir),
  ]);
  const withheld = reader.shown !== 'all';
  const names = { ...named.names, withholdReporterContact: withheld };
  // Beyond the names: a stored message (a refused mail) may quote the reporter's address.
  const said = lang === 'en' ? 'the reporter' : '报告人';
  const shown = (text: string) => (withheld ? withoutContact(text, reader.reporter, said) : text);
  let history: HistorySummary | null = null;
  try {
    const raw = await deps.temporal.workflow.getHandle(caseId).fetchHistory();
    history = summariseHistory(raw, await stepSeqs(deps.aws.ddb, deps.aws.tables, caseId));
  } catch {
    // Past the namespace's retention the audit chain alone tells the story.
    history = null;
  }
  const bySeq = new Map<number, { eventId: number; name: string }>();
  for (const u of history?.updates ?? []) {
    if (u.recorded?.auditSeq)
      bySeq.set(u.recorded.auditSeq, { eventId: u.eventId, name: `${u.name} (${u.outcome})` });
  }
  for (const s of history?.steps ?? []) {
    if (s.auditSeq && !bySeq.has(s.auditSeq)) bySeq.set(s.auditSeq, { eventId: s.eventId, name: s.activity });
  }
  const rows = entries.map((e) => {
    const item = describeEntry(e, lang, names, tz, named.dir);
    const inner = (e.payload as { payload?: unknown } | undefined)?.payload as
      Record<string, unknown> | undefined;
    const sig = inner?.signature as TimelineRow['signature'] | undefined;
    const evidence = Array.isArray(inner?.evidence)
      ? inner.evidence.filter((x): x is string => typeof x === 'string')
      : [];
    const notes = typeof inner?.notes === 'string' ? refsIn(inner.notes) : [];
    return {
      at: e.at,
      what: item.what,
      who: shown(item.actor.name),
      detail: shown(item.detail),
      signature: sig,
      refs: [...evidence, ...notes],
      seq: e.seq,
      hash: e.hash,
      temporal: bySeq.get(e.seq),
    };
  });
  return { rows, history };
}

export function Timeline(props: {
  rows: TimelineRow[];
  lang: Lang;
  tz: string;
  history: HistorySummary | null;
  /** Whether the reader is shown the workflow's events (admins and auditors): engineering detail to anyone else. */
  workflowEvents: boolean;
}) {
  const t = (zh: string, en: string) => inLang({ zh, en }, props.lang);
  return (
    <>
      <ol class="timeline">
        {props.rows.map((r) => (
          <li>
            <strong>{r.what}</strong> · {r.who} · <time datetime={r.at}>{formatTime(r.at, props.tz)}</time>
            {r.detail && <div>{r.detail}</div>}
            {r.signature && (
              <div class="muted">
                {t('签名：', 'Signature: ')}IP {r.signature.ip ?? '—'} · {t('声明哈希', 'statement hash')}{' '}
                <code>{r.signature.textHash ?? '—'}</code>
              </div>
            )}
            {r.refs.length > 0 && <Evidence refs={r.refs} lang={props.lang} />}
            <div class="muted">
              #{r.seq} · <code title={r.hash}>{r.hash.slice(0, 12)}</code>
              {/* People read the event's number in their language; its technical name is on hover,
                  and in the workflow events listed below. */}
              {props.workflowEvents && r.temporal && (
                <>
                  {' · '}
                  <span title={`Temporal: ${r.temporal.name}`} data-temporal-event={r.temporal.eventId}>
                    {t(`工作流事件 #${r.temporal.eventId}`, `Workflow event #${r.temporal.eventId}`)}
                  </span>
                </>
              )}
            </div>
          </li>
        ))}
      </ol>
      {props.workflowEvents && props.history && (
        <details>
          <summary>
            {t(
              `工作流事件（Temporal，${props.history.events.length} 条）`,
              `Workflow events (Temporal, ${props.history.events.length})`,
            )}
          </summary>
          <ol>
            {props.history.events.map((e) => (
              <li>
                #{e.id} {e.type} {e.time ? formatTime(e.time, props.tz) : ''} {e.detail}
              </li>
            ))}
          </ol>
        </details>
      )}
    </>
  );
}
