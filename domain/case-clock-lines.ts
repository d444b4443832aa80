// The case clocks a staff mail restates: the promise the school made the reporter (on site within
// 2 hours, a small repair done within 24) runs beside the stage deadline the mail asks for, and
// often ends first, so a technician told only "整改时限 18:00" would miss the 08:38 the reporter
// was promised. Pure: the mail activity reads the case record and formats the dues.
import { clockStatuses, openPause, type ClockFacts, type ClockStatus } from './case-clocks.ts';
import type { MailHalf } from './mail-document.ts';
import type { Bilingual } from './text.ts';

/** A clock not met yet, as a mail states it. */
export interface CaseClockNote {
  /** The clock as the case page names it ("零星维修24小时内完成"). */
  label: Bilingual;
  /** Already formatted in the campus time zone. */
  dueText: string;
  /** Its due had passed when the mail was written. */
  passed: boolean;
  /** An approved pause holds it: the due stated moves on when the pause ends. */
  held: boolean;
  /** The due lies in a year without official calendar data. */
  approximate: boolean;
}

/**
 * The clocks still to be met at `nowMs`: pending, or past their due and not met yet. A clock met
 * (on time or late) or cancelled with the case asks nothing of anyone any more.
 */
export function openClocks(facts: ClockFacts, nowMs: number): ClockStatus[] {
  return clockStatuses(facts, nowMs).filter(
    (s) => s.state === 'pending' || (s.state === 'breached' && s.metAt === undefined),
  );
}

/** The open clocks as a mail states them, each due written by `format` (the campus wall clock). */
export function clockNotes(
  facts: ClockFacts,
  nowMs: number,
  format: (iso: string) => string,
): CaseClockNote[] {
  // As the case page reads it: an approved pause holds every clock still running.
  const paused = openPause(facts.pauses)?.state === 'approved';
  return openClocks(facts, nowMs).map((s) => ({
    label: s.label,
    dueText: format(s.due),
    passed: s.state === 'breached',
    held: s.state === 'pending' && paused,
    approximate: s.approximate,
  }));
}

/** One clock on a line of its own, in one language: "案件时限：零星维修24小时内完成，截止 …". */
export function clockLine(l: MailHalf, n: CaseClockNote): string {
  if (l === 'zh')
    return `案件时限：${n.label.zh}，截止 ${n.dueText}${n.approximate ? '（约）' : ''}${
      n.passed ? '（已超时）' : n.held ? '（暂停中，暂停结束时顺延）' : ''
    }`;
  return `Case clock: ${n.label.en}, due ${n.dueText}${n.approximate ? ' (approx.)' : ''}${
    n.passed ? ' (overdue)' : n.held ? ' (paused: moves on when the pause ends)' : ''
  }`;
}
