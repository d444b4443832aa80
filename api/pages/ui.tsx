import { stageStatusLabels } from '../../domain/stage-labels.ts';
import { ErrorSummaryBox } from './error-summary.tsx';
import type { Child } from 'hono/jsx';
import { stageOnHold, type PauseRecord } from '../../domain/case-clocks.ts';
import type { DeadlineState, DeadlineView, Stage } from '../../domain/case-model.ts';
import type { Severity, Source } from '../../domain/sla.ts';
import { inLang, lengthText, type Bilingual, type Lang } from '../../domain/text.ts';

/** Small shared pieces of the signed-in pages: flash, labelled field, badges, times. */

export type FlashKind = 'ok' | 'error';
export interface FlashMessage {
  kind: FlashKind;
  text: Bilingual;
  /** The fields a refused form has wrong, each linked to its control (`#<field id>`). */
  links?: readonly FieldLink[] | undefined;
}

/** One field in error as the page's summary lists it: the control's address and what is wrong. */
export interface FieldLink {
  href: string;
  text: Bilingual;
}

/**
 * A message shown once after a redirect; `role=status` so screen readers announce it. An error is
 * also where the keyboard lands (tabindex=-1 with autofocus: an alert already in the page when it
 * loads is not announced by every screen reader, and a reader tabbing from the top would miss it),
 * and it links each field in error so the reader can go straight there.
 */
export function Flash(props: { flash?: FlashMessage | null | undefined; lang: Lang }) {
  if (!props.flash) return null;
  const { kind, text, links } = props.flash;
  if (kind === 'ok')
    return (
      <div class="flash ok" role="status">
        {inLang(text, props.lang)}
      </div>
    );
  return <ErrorSummaryBox lang={props.lang} text={text} entries={links} />;
}

/** Field errors keyed by field name, bilingual. */
export type FieldErrors = Record<string, Bilingual>;

/**
 * A labelled form control with its hint and error wired through aria so the
 * error is read with the field. `children` receives the id and aria props.
 */
export function Field(props: {
  name: string;
  label: Bilingual;
  lang: Lang;
  hint?: Bilingual | undefined;
  errors?: FieldErrors | undefined;
  /** Distinguishes ids when the same field name appears in several forms on a page. */
  idPrefix?: string | undefined;
  control: (a: ControlAttrs) => Child;
}) {
  const id = `${props.idPrefix ?? 'f'}-${props.name}`;
  const error = props.errors?.[props.name];
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>
        {inLang(props.label, props.lang)}
        {props.hint && (
          <>
            {' '}
            <span class="hint" id={hintId}>
              {inLang(props.hint, props.lang)}
            </span>
          </>
        )}
      </label>
      {props.control({
        id,
        name: props.name,
        'aria-describedby': describedBy,
        'aria-invalid': error ? 'true' : undefined,
      })}
      {error && (
        <p class="field-error" id={errorId}>
          {inLang(error, props.lang)}
        </p>
      )}
    </div>
  );
}

/** A Field whose control is a textarea holding `value`: what was typed, kept when a form comes back refused. */
export function TextAreaField(
  props: Omit<Parameters<typeof Field>[0], 'control'> & {
    value?: string | undefined;
    required?: boolean | undefined;
    maxLength?: number | undefined;
  },
) {
  const { value, required, maxLength, ...field } = props;
  return (
    <Field
      {...field}
      control={(a) => (
        <textarea {...a} required={required} maxlength={maxLength}>
          {value ?? ''}
        </textarea>
      )}
    />
  );
}

export interface ControlAttrs {
  id: string;
  name: string;
  'aria-describedby': string | undefined;
  'aria-invalid': 'true' | undefined;
}

/** `2026-03-02 14:05` on the campus wall clock. */
export function formatTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** "还剩 3 天 4 小时" / "5 h 10 min overdue": the distance from now to a due time. */
export function countdown(dueIso: string, now: Date, lang: Lang): { text: string; overdue: boolean } {
  const ms = new Date(dueIso).getTime() - now.getTime();
  const overdue = ms < 0;
  const mins = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  const zh = d > 0 ? `${d} 天 ${h} 小时` : h > 0 ? `${h} 小时 ${m} 分钟` : `${m} 分钟`;
  const en = d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
  if (lang === 'en') return { text: overdue ? `${en} overdue` : `${en} left`, overdue };
  return { text: overdue ? `已超时 ${zh}` : `还剩 ${zh}`, overdue };
}

/** A due time with its countdown, in a `<time>` element machines can read. */
export function Due(props: { due: string; now: Date; lang: Lang; timeZone: string }) {
  const c = countdown(props.due, props.now, props.lang);
  return (
    <span class="due">
      <time datetime={props.due}>{formatTime(props.due, props.timeZone)}</time>{' '}
      <span class={c.overdue ? 'badge overdue' : 'badge pending'}>{c.text}</span>
    </span>
  );
}

/**
 * A due that counts down while it runs, and stands still with an "on hold" badge while a pause
 * holds it (a countdown would run on while nothing does).
 */
export function HeldOrDue(props: {
  due: string;
  running: boolean;
  held: boolean;
  now: Date;
  lang: Lang;
  timeZone: string;
}) {
  const { lang } = props;
  return (
    <>
      {props.running && !props.held ? (
        <Due due={props.due} now={props.now} lang={lang} timeZone={props.timeZone} />
      ) : (
        <time datetime={props.due}>{formatTime(props.due, props.timeZone)}</time>
      )}
      {props.held && ' '}
      {props.held && (
        <span
          class="badge pending"
          data-on-hold
          title={inLang(
            { zh: '暂停结束后，时限按暂停时长顺延', en: 'Moves on by the pause when it ends' },
            lang,
          )}
        >
          {inLang({ zh: '暂停中', en: 'on hold' }, lang)}
        </span>
      )}
    </>
  );
}

/** A stage deadline's due (`HeldOrDue`), and how far pauses moved it on. */
export function DeadlineDue(props: {
  deadline: Pick<DeadlineView, 'stage' | 'due' | 'state' | 'heldMs'>;
  pauses: readonly PauseRecord[] | undefined;
  now: Date;
  lang: Lang;
  timeZone: string;
}) {
  const { deadline: d, lang } = props;
  const held = lengthText(d.heldMs ?? 0);
  const minutes = Math.round((d.heldMs ?? 0) / 60_000);
  return (
    <>
      <HeldOrDue
        due={d.due}
        running={d.state === 'pending'}
        held={stageOnHold(props.pauses, d)}
        now={props.now}
        lang={lang}
        timeZone={props.timeZone}
      />
      {minutes > 0 && (
        <small class="muted" data-held style="display:block">
          {inLang({ zh: `含暂停顺延 ${held.zh}`, en: `moved on ${held.en} by pauses` }, lang)}
        </small>
      )}
    </>
  );
}

/** The stage badge's words: one source in the domain, shared with the audit timeline. */
export const stageLabels = stageStatusLabels;

export const severityLabels: Record<Severity, Bilingual> = {
  routine: { zh: '一般', en: 'Routine' },
  urgent: { zh: '紧急', en: 'Urgent' },
  major: { zh: '重大', en: 'Major' },
};

export const sourceLabels: Record<Source, Bilingual> = {
  inspection: { zh: '检查', en: 'Inspection' },
  complaint: { zh: '投诉', en: 'Complaint' },
  repair: { zh: '报修', en: 'Repair' },
  grid_report: { zh: '网格上报', en: 'Grid report' },
  evaluation: { zh: '评估', en: 'Evaluation' },
};

export const deadlineStateLabels: Record<DeadlineState, Bilingual> = {
  pending: { zh: '进行中', en: 'Pending' },
  met: { zh: '按时完成', en: 'Met' },
  breached: { zh: '已超时', en: 'Breached' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

export function StageBadge(props: { stage: Stage; lang: Lang }) {
  const cls = props.stage === 'closed' || props.stage === 'withdrawn' ? props.stage : 'open';
  return <span class={`badge ${cls}`}>{inLang(stageLabels[props.stage], props.lang)}</span>;
}

export function SeverityBadge(props: { severity: Severity; lang: Lang }) {
  return <span class={`badge ${props.severity}`}>{inLang(severityLabels[props.severity], props.lang)}</span>;
}

export function DeadlineBadge(props: { state: DeadlineState; lang: Lang }) {
  return <span class={`badge ${props.state}`}>{inLang(deadlineStateLabels[props.state], props.lang)}</span>;
}

/** The state cell of a deadline or clock row: its badge, and when it was settled, if it was. */
export function StateCell(props: { state: DeadlineState; at?: string | undefined; lang: Lang; tz: string }) {
  return (
    <td>
      <DeadlineBadge state={props.state} lang={props.lang} />
      {props.at && <span class="muted"> {formatTime(props.at, props.tz)}</span>}
    </td>
  );
}

/**
 * A table wider than a phone scrolls sideways inside its own region, never the page: the region
 * takes keyboard focus (arrow keys scroll it) and is named for screen readers. The dashboard's
 * wide tables are written out the same way.
 */
export function ScrollRegion(props: { label: string; children?: Child }) {
  return (
    <div class="table-wrap" role="region" tabindex={0} aria-label={props.label}>
      {props.children}
    </div>
  );
}

/** The rule behind `ScrollRegion`, for the pages that carry their own style sheet. */
export const SCROLL_REGION_CSS = '.table-wrap{overflow-x:auto}';

/**
 * The class of a table of cases that a phone shows as one card per row: five columns squeezed
 * into 390 px leave a place or a name one character wide. Each cell but the first (the case,
 * which heads its card) names its column in `data-label`, the header's own words, shown beside
 * the value; the header row stays for screen readers. The markup is the desktop table's.
 */
export const STACKED_TABLE = 'stacked';

export const STACKED_TABLE_CSS = `@media (max-width:37.5rem){
table.stacked,table.stacked>tbody,table.stacked>tbody>tr,table.stacked>tbody>tr>td{display:block}
table.stacked>thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
table.stacked>tbody>tr{padding:.6rem .5rem;border-bottom:1px solid #d0d5dc}
table.stacked>tbody>tr:last-child{border-bottom:0}
table.stacked>tbody>tr>td{border:0;padding:.15rem 0;min-width:0}
table.stacked>tbody>tr>td:first-child{padding-bottom:.35rem}
table.stacked>tbody>tr>td[data-label]{position:relative;padding-left:6.5rem}
table.stacked>tbody>tr>td[data-label]::before{content:attr(data-label);position:absolute;left:0;width:6rem;font-weight:600;color:#4b5563}
}`;

/** The hidden CSRF field every form carries. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}
