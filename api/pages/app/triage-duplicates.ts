import type { CaseView } from '../../../domain/case-model.ts';
import { reportKindInfo, type ReportKind } from '../../../domain/intake.ts';
import { isTerminal } from '../../../domain/case-model.ts';
import { sameProblem } from '../../../domain/problem-similarity.ts';
import { PHOTO_LINE } from './new-case-photos.ts';
import type { Report } from '../../../store/reports.ts';
import type { Bilingual } from '../../../domain/text.ts';

/** How many likely duplicates a report's card offers to merge into, and how many other open cases. */
export const DUPLICATES_OFFERED = 20;

/** How a case opened from a report names it on its description's second line. */
export const SCANNED_LINE = '扫码报告 / Scanned report';

type ReportFacts = Pick<Report, 'kind' | 'location' | 'description' | 'receivedAt'>;

/**
 * How close in time a report and a case from the same room and of the same kind must be for the
 * case to be offered as a likely duplicate whatever their words: a day, the small-repair promise
 * (零星维修24小时内完成). Within it a second report from the room is most often a roommate's, or the
 * same student's again, about the problem not yet fixed, worded differently (灯一闪一闪 / 灯不亮了).
 */
export const SAME_ROOM_HOURS = 24;
const SAME_ROOM_MS = SAME_ROOM_HOURS * 3_600_000;

/**
 * Whether a report may merge into a case (the rule, which the merge itself checks): open,
 * at the report's place (its building, and its floor and room where the report names them) and
 * of the category the report's kind opens.
 */
export function isMergeTarget(report: Pick<Report, 'kind' | 'location'>, v: CaseView): boolean {
  const info = reportKindInfo[report.kind as ReportKind];
  const r = report.location;
  return (
    !isTerminal(v.stage) &&
    v.location.buildingId === r.buildingId &&
    (v.category ?? v.source) === info.category &&
    (!r.roomId || v.location.roomId === r.roomId) &&
    (!r.floorId || v.location.floorId === r.floorId)
  );
}

/** A case's own words about its problem: its title and description, without the lines triage adds (the report's number, its photos). */
const caseText = (v: CaseView) =>
  [
    v.title,
    ...v.description
      .split('\n')
      .filter((line) => !line.startsWith(PHOTO_LINE) && !line.startsWith(SCANNED_LINE)),
  ].join('\n');

/**
 * Whether a case reported from the report's own room, of its kind, within SAME_ROOM_HOURS of it.
 * Only a room: a building's or a floor's reports of one kind are many problems. Older than that,
 * a dripping tap and a broken lock in one room are both repairs there, and only words tell.
 */
function sameRoomRecently(report: ReportFacts, v: CaseView): boolean {
  if (!report.location.roomId || v.location.roomId !== report.location.roomId) return false;
  const reportedAt = Date.parse(v.reportedAt ?? v.openedAt);
  return Math.abs(Date.parse(report.receivedAt) - reportedAt) <= SAME_ROOM_MS;
}

/**
 * Whether a case is one the report likely repeats: a case it may merge into, reported from the
 * same room within a day, or whose title or description says the same problem in the same words.
 */
export const isLikelyDuplicate = (report: ReportFacts, v: CaseView): boolean =>
  isMergeTarget(report, v) && repeats(report, v);

const repeats = (report: ReportFacts, v: CaseView): boolean =>
  sameRoomRecently(report, v) || sameProblem(report.description, caseText(v));

/**
 * What triage checked to call a case a likely duplicate, for the card to say beside its choice:
 * the checks, never a verdict (a report in other words from another day may still be the same
 * problem, and only the person reading both can tell). `likely` heads the cases that passed one,
 * `none` says what the others were checked for when none did.
 */
export function duplicateChecks(report: Pick<Report, 'location'>): { likely: Bilingual; none: Bilingual } {
  const judge: Bilingual = { zh: '是否同一问题请您判断', en: 'judge whether one is the same problem' };
  return report.location.roomId
    ? {
        likely: {
          zh: `同一房间${SAME_ROOM_HOURS}小时内的同类报告，或描述用词相近`,
          en: `same room and kind within ${SAME_ROOM_HOURS} hours, or similar wording`,
        },
        none: {
          zh: `均非同一房间${SAME_ROOM_HOURS}小时内的同类报告，描述用词也不相近；${judge.zh}`,
          en: `none from this room within ${SAME_ROOM_HOURS} hours or in similar wording; ${judge.en}`,
        },
      }
    : {
        likely: { zh: '描述用词相近', en: 'similar wording' },
        none: { zh: `描述用词均不相近；${judge.zh}`, en: `none in similar wording; ${judge.en}` },
      };
}

export interface MergeTargets {
  /** Open cases that plausibly are the report's problem. */
  likely: CaseView[];
  /** The other open cases at its place and of its kind, which it may merge into all the same. */
  others: CaseView[];
}

/**
 * The cases a report's card offers to merge into, among open cases read once for the whole page
 * (openCasesIn), in their order (newest first): the likely duplicates and the other open cases
 * there, at most `limit` of each.
 */
export function mergeTargets(
  open: readonly CaseView[],
  report: ReportFacts,
  limit: number = DUPLICATES_OFFERED,
): MergeTargets {
  const likely: CaseView[] = [];
  const others: CaseView[] = [];
  for (const v of open) {
    if (likely.length === limit && others.length === limit) break;
    if (!isMergeTarget(report, v)) continue;
    const into = repeats(report, v) ? likely : others;
    if (into.length < limit) into.push(v);
  }
  return { likely, others };
}
