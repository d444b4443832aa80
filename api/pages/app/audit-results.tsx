import type { AuditEntry } from '../../../domain/hash-chain.ts';
import type { BrokenEntry, CaseVerification, VerifyEvent, VerifySummary } from '../../../audit/verify.ts';
import { inLang, type Bilingual, type Lang } from '../../../domain/text.ts';
import { enCount, enNumber } from '../../../domain/english-count.ts';
import type { TimelineItem } from '../../audit-timeline.ts';
import { formatTime } from '../ui.tsx';
import type { BrokenEvidence, EvidenceVerification } from '../../../audit/evidence-check.ts';
import type { OpeningMismatch } from '../../../audit/opening-check.ts';

/**
 * How a verification reads on the auditor's page: a green or red verdict, and
 * for a failure the entry that breaks the chain by its number, what is wrong
 * with it, and what was expected against what was found.
 */

export const problemText: Record<BrokenEntry['problem'], Bilingual> = {
  hash_mismatch: {
    zh: '内容被改动：记录的哈希与其内容重新计算的不符',
    en: "content changed: the entry's hash does not match its content",
  },
  prev_mismatch: {
    zh: '链接断开：记录指向的上一条哈希与实际不符',
    en: "link broken: the entry's previous hash is not the previous entry's",
  },
  gap: {
    zh: '缺失记录：序号不连续（前一条被删除）',
    en: 'entry missing: the sequence skips (one was deleted)',
  },
  duplicate: { zh: '重复序号', en: 'duplicate sequence number' },
  wrong_case: { zh: '记录属于其他案件', en: 'the entry belongs to another case' },
  tail_truncated: {
    zh: '尾部被截断：案件记录的最新哈希在链中找不到',
    en: "tail cut off: the case record's head is past the chain's end",
  },
  tail_appended: {
    zh: '尾部被追加：链在案件记录的最新哈希之后还有记录',
    en: "tail extended: the chain goes on past the case record's head",
  },
  head_mismatch: {
    zh: '链尾与案件记录的最新哈希不符',
    en: "the chain's end does not match the case record's head",
  },
};

const anchorText: Record<'intact' | 'missing' | 'rewritten', Bilingual> = {
  intact: { zh: '与锚定一致', en: 'matches the anchor' },
  missing: { zh: '锚定后整条链被删除', en: 'the whole chain was deleted after it was anchored' },
  rewritten: { zh: '锚定后链被改写', en: 'the chain was rewritten after it was anchored' },
};

/** What is wrong with a cited file, in words. */
export const fileProblemText: Record<BrokenEvidence['problem'], Bilingual> = {
  malformed: { zh: '引用格式不对', en: 'the reference is malformed' },
  unknown: { zh: '证据库中没有该文件的记录', en: 'the evidence store has no record of the file' },
  unconfirmed: { zh: '文件从未完成上传确认', en: 'the file was never confirmed as uploaded' },
  other_case: { zh: '文件属于其他案件', en: 'the file belongs to another case' },
  record_mismatch: {
    zh: '证据记录中的哈希与审计记录引用的不符',
    en: "the evidence record's hash is not the one the audit entry cites",
  },
  missing: { zh: '文件已从存储中删除', en: 'the file is gone from the store' },
  swapped: {
    zh: '文件被替换：重新计算的 SHA-256 与审计记录中的不符',
    en: 'the file was replaced: its SHA-256 computed again is not the one in the audit entry',
  },
  unreadable: {
    zh: '暂时无法读取存储，文件未能校验（请稍后重试）',
    en: 'the store could not be read, so the file is not verified (try again later)',
  },
};

/** How many cited files were hashed again and how many did not match: one sentence for a case and for all. */
function filesRehashed(checked: number, broken: number): Bilingual {
  const files = `${checked} file${checked === 1 ? '' : 's'}`;
  return broken === 0
    ? {
        zh: `照片与文件：已重新计算 ${checked} 个文件的哈希，全部与审计记录一致。`,
        en: `Photos and files: ${files} hashed again, every one matches the audit trail.`,
      }
    : {
        zh: `照片与文件：已重新计算 ${checked} 个文件的哈希，${broken} 个与审计记录不符。`,
        en: `Photos and files: ${files} hashed again, ${broken} not matching the audit trail.`,
      };
}

/** The files a case's entries cite, re-hashed: how many, and each broken one with its entry and what is wrong. */
export function FilesResult(props: { files: EvidenceVerification; lang: Lang }) {
  const { files: f, lang } = props;
  const t = (b: Bilingual) => inLang(b, lang);
  return (
    <div style="margin:.5rem 0 0" data-files={f.broken.length === 0 ? 'ok' : 'broken'}>
      <p style="margin:0">
        {f.checked === 0
          ? t({ zh: '审计记录未引用照片或文件。', en: 'The entries cite no photo or file.' })
          : t(filesRehashed(f.checked, f.broken.length))}
      </p>
      {f.broken.length > 0 && (
        <ul style="margin:.25rem 0 0">
          {f.broken.map((b) => (
            <li data-broken-file={b.evidenceId ?? b.ref} data-file-problem={b.problem}>
              {t({ zh: `第 ${b.seq} 条记录引用的文件 `, en: `The file cited by entry #${b.seq}, ` })}
              <code>{b.evidenceId ?? b.ref}</code>
              {`${t({ zh: '：', en: ': ' })}${t(fileProblemText[b.problem])}`}
              {b.expected && b.found && (
                <>
                  {t({ zh: '（应为 ', en: ' (expected ' })}
                  <code>{short(b.expected)}</code>
                  {t({ zh: '，实为 ', en: ', found ' })}
                  <code>{short(b.found)}</code>
                  {t({ zh: '）', en: ')' })}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const short = (h: string) => (h.length > 20 ? `${h.slice(0, 16)}…` : h);

/** What of the report the case was opened with its record no longer holds as its first entry recorded it. */
function openingChanged(seq: number, changed: OpeningMismatch[]): Bilingual {
  const fields = {
    title: { zh: '标题', en: 'title' },
    description: { zh: '描述（或其中引用的照片）', en: 'description (or a photo it cites)' },
  };
  const zh = changed.map((c) => fields[c.field].zh).join('和');
  const en = changed.map((c) => fields[c.field].en).join(' and ');
  return {
    zh: `案件记录中的${zh}与第 ${seq} 条记录（立案）所记载的不符`,
    en: `the case record's ${en} is not the one entry #${seq} (the opening) recorded`,
  };
}

/** The report a case was opened with, when its record no longer holds it as recorded. */
function OpeningResult(props: { files: EvidenceVerification; lang: Lang }) {
  const o = props.files.opening;
  if (!o || o.changed.length === 0) return null;
  const t = (b: Bilingual) => inLang(b, props.lang);
  return (
    <p
      style="margin:.5rem 0 0"
      data-opening="changed"
      data-opening-fields={o.changed.map((c) => c.field).join(' ')}
    >
      {t(openingChanged(o.seq, o.changed))}
      {t({ zh: '。', en: '.' })}
    </p>
  );
}

/** One case's result. `entry` is the broken entry as read, described, when it still exists. */
export function CaseResult(props: {
  result: CaseVerification & { anchorProblem?: string | undefined };
  entry?: TimelineItem | undefined;
  lang: Lang;
}) {
  const { result: r, lang } = props;
  const t = (b: Bilingual) => inLang(b, lang);
  const filesOnly =
    !r.ok &&
    !r.broken &&
    !r.anchorProblem &&
    (r.anchor === null || r.anchor.status === 'intact') &&
    ((r.evidence?.broken.length ?? 0) > 0 || (r.evidence?.opening?.changed.length ?? 0) > 0);
  return (
    <section
      class={`flash ${r.ok ? 'ok' : 'error'}`}
      role={r.ok ? 'status' : 'alert'}
      data-verify={r.ok ? 'ok' : 'broken'}
      data-case={r.caseId}
      data-broken-seq={r.broken ? String(r.broken.seq) : undefined}
      aria-labelledby={`verify-${r.caseId}-h`}
    >
      <h2 id={`verify-${r.caseId}-h`} style="margin:0 0 .5rem;font-size:1.1rem">
        {r.ok
          ? t({
              zh: `案件 ${r.caseId}：审计链完整${r.evidence ? '，照片与文件完好' : ''}`,
              en: `Case ${r.caseId}: the audit chain is intact${r.evidence ? ', and so are its photos and files' : ''}`,
            })
          : filesOnly && (r.evidence?.broken.length ?? 0) === 0
            ? t({
                zh: `案件 ${r.caseId}：审计链完整，但案件记录与立案时记载的内容不符`,
                en: `Case ${r.caseId}: the audit chain is intact, but the case record does not match the report its opening recorded`,
              })
            : filesOnly
              ? t({
                  zh: `案件 ${r.caseId}：审计链完整，但有照片或文件与记录不符`,
                  en: `Case ${r.caseId}: the audit chain is intact, but a photo or file does not match it`,
                })
              : t({
                  zh: `案件 ${r.caseId}：审计链校验未通过`,
                  en: `Case ${r.caseId}: the audit chain fails verification`,
                })}
      </h2>
      <p style="margin:0">
        {t({
          zh: `共 ${r.count} 条记录${r.head ? `，最新第 ${r.head.seq} 条（${short(r.head.hash)}）` : ''}。`,
          en: `${r.count} entr${r.count === 1 ? 'y' : 'ies'}${r.head ? `, newest #${r.head.seq} (${short(r.head.hash)})` : ''}.`,
        })}
      </p>
      {r.broken && (
        <p style="margin:.5rem 0 0" data-broken>
          <strong>
            {t({ zh: `第 ${r.broken.seq} 条记录`, en: `Entry #${r.broken.seq}` })}
            {props.entry ? ` (${props.entry.what}, ${props.entry.actor.name}, ${props.entry.when})` : ''}
          </strong>
          {`：${t(problemText[r.broken.problem])}。`}
          <br />
          <span>
            {t({ zh: '应为', en: 'expected' })} <code>{short(r.broken.expected)}</code>
            {t({ zh: '，实为', en: ', found' })} <code>{short(r.broken.found)}</code>
          </span>
          <br />
          <span class="hint">
            {t({
              zh: `第 ${r.broken.seq} 条之前的记录完好。`,
              en: `Every entry before #${r.broken.seq} is intact.`,
            })}
          </span>
        </p>
      )}
      {r.evidence && <FilesResult files={r.evidence} lang={lang} />}
      {r.evidence && <OpeningResult files={r.evidence} lang={lang} />}
      {r.anchor ? (
        <p style="margin:.5rem 0 0" data-anchor={r.anchor.status}>
          {t({
            zh: `锚定（第 ${r.anchor.anchorSeq} 次锚定，链第 ${r.anchor.seq} 条）：${anchorText[r.anchor.status].zh}`,
            en: `Anchor (anchor #${r.anchor.anchorSeq}, chain entry #${r.anchor.seq}): ${anchorText[r.anchor.status].en}`,
          })}
        </p>
      ) : (
        <p style="margin:.5rem 0 0" class="hint">
          {t({
            zh: '尚无锚定覆盖本案件（最近一次锚定之后立案）。',
            en: 'No anchor covers this case yet (opened after the latest anchor).',
          })}
        </p>
      )}
      {r.anchorProblem && (
        <p style="margin:.5rem 0 0">
          {t({ zh: '锚定本身无法信任：', en: 'The anchor itself cannot be trusted: ' })}
          {r.anchorProblem}
        </p>
      )}
    </section>
  );
}

/** Every event of a full run, folded into what the page shows. */
export interface AllResult {
  start: Extract<VerifyEvent, { type: 'start' }> | null;
  failures: CaseVerification[];
  summary: VerifySummary | null;
}

export async function collectAll(events: AsyncGenerator<VerifyEvent>): Promise<AllResult> {
  const out: AllResult = { start: null, failures: [], summary: null };
  for await (const e of events) {
    if (e.type === 'start') out.start = e;
    else if (e.type === 'case') out.failures.push(e);
    else if (e.type === 'summary') {
      const { type: _type, ...summary } = e;
      out.summary = summary;
    }
  }
  return out;
}

/** The verify-all heading when every chain held: "All 3 audit chains are intact", "The 1 audit chain is intact". */
export const chainsIntactText = (checked: number): Bilingual => ({
  zh: `全部 ${checked} 个案件的审计链完整`,
  en: checked === 1 ? 'The 1 audit chain is intact' : `All ${enNumber(checked)} audit chains are intact`,
});

/** The verify-all heading when some failed: "1 of 3 cases fails verification". */
export const chainsFailingText = (failing: number, checked: number): Bilingual => ({
  zh: `${checked} 个案件中有 ${failing} 个未通过校验`,
  en: `${enNumber(failing)} of ${enCount(checked, 'case')} ${failing === 1 ? 'fails' : 'fail'} verification`,
});

export function AllResultView(props: {
  result: AllResult;
  lang: Lang;
  caseHref: (id: string) => string;
  /** The campus time zone the latest anchor's time is shown in. */
  timeZone: string;
}) {
  const { lang } = props;
  const t = (b: Bilingual) => inLang(b, lang);
  const s = props.result.summary;
  const anchor = props.result.start?.anchor ?? null;
  if (!s) {
    return (
      <div class="flash error" role="alert" data-verify-all="incomplete">
        {t({ zh: '校验未能完成，请重试。', en: 'Verification did not finish; run it again.' })}
      </div>
    );
  }
  const failing = s.checked - s.intact;
  const files = s.files;
  return (
    <section
      class={`flash ${s.ok ? 'ok' : 'error'}`}
      role={s.ok ? 'status' : 'alert'}
      data-verify-all={s.ok ? 'ok' : 'broken'}
      aria-labelledby="verify-all-h"
    >
      <h2 id="verify-all-h" style="margin:0 0 .5rem;font-size:1.1rem">
        {s.ok ? t(chainsIntactText(s.checked)) : t(chainsFailingText(failing, s.checked))}
      </h2>
      <p style="margin:0">
        {t({
          zh: `完好 ${s.intact}；尚未锚定 ${s.notAnchored}；锚定链${s.anchorOk ? '完好' : '有问题'}${anchor ? `（最近锚定第 ${anchor.seq} 次，${formatTime(anchor.at, props.timeZone)}，${anchor.caseCount} 个案件）` : '（尚无锚定）'}。`,
          en: `${s.intact} intact; ${s.notAnchored} not anchored yet; the anchor chain is ${s.anchorOk ? 'sound' : 'NOT sound'}${anchor ? ` (latest anchor #${anchor.seq} at ${formatTime(anchor.at, props.timeZone)}, ${enCount(anchor.caseCount, 'case')})` : ' (no anchor yet)'}.`,
        })}
      </p>
      {files && (
        <p style="margin:.5rem 0 0" data-files={files.broken.length === 0 ? 'ok' : 'broken'}>
          {t(filesRehashed(files.checked, files.broken.length))}
        </p>
      )}
      {(s.broken.length > 0 ||
        s.missing.length > 0 ||
        s.rewritten.length > 0 ||
        (files?.broken.length ?? 0) > 0 ||
        (files?.openings?.length ?? 0) > 0) && (
        <ul style="margin:.5rem 0 0" data-failures>
          {s.broken.map((b) => (
            <li data-case={b.caseId} data-broken-seq={String(b.seq)}>
              <a href={props.caseHref(b.caseId)}>{b.caseId}</a>
              {t({ zh: `：第 ${b.seq} 条记录，`, en: `: entry #${b.seq}, ` })}
              {t(problemText[b.problem])}
            </li>
          ))}
          {files?.broken.map((b) => (
            <li data-case={b.caseId} data-broken-file={b.evidenceId ?? b.ref} data-file-problem={b.problem}>
              <a href={props.caseHref(b.caseId)}>{b.caseId}</a>
              {t({ zh: `：第 ${b.seq} 条记录引用的文件 `, en: `: the file cited by entry #${b.seq}, ` })}
              <code>{b.evidenceId ?? b.ref}</code>
              {`${t({ zh: '：', en: ': ' })}${t(fileProblemText[b.problem])}`}
            </li>
          ))}
          {files?.openings?.map((o) => (
            <li data-case={o.caseId} data-opening="changed">
              <a href={props.caseHref(o.caseId)}>{o.caseId}</a>
              {`${t({ zh: '：', en: ': ' })}${t(openingChanged(o.seq, o.changed))}`}
            </li>
          ))}
          {s.missing.map((id) => (
            <li data-case={id}>
              <a href={props.caseHref(id)}>{id}</a>
              {t({ zh: '：锚定后整条链被删除', en: ': the whole chain was deleted after it was anchored' })}
            </li>
          ))}
          {s.rewritten.map((r) => (
            <li data-case={r.caseId}>
              <a href={props.caseHref(r.caseId)}>{r.caseId}</a>
              {t({
                zh: `：锚定于第 ${r.anchored.seq} 条之后被改写`,
                en: `: rewritten after it was anchored at entry #${r.anchored.seq}`,
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The entry with a given seq, if the chain still holds one. */
export const entryAt = (entries: readonly AuditEntry[], seq: number): AuditEntry | undefined =>
  entries.find((e) => e.seq === seq);
