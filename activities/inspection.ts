import { itemCaseBasis } from './item-case.ts';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { CaseInput } from '../domain/case-model.ts';
import { placeNameOf } from '../domain/place-name.ts';
import type { Directory, Person } from '../domain/directory.ts';
import { staffAssignee } from '../domain/directory.ts';
import { entryPlace, roundName, type CheckEntry, type InspectionRound } from '../domain/inspection.ts';
import { inspectionRoundMail } from '../domain/inspection-mail.ts';
import { citation, standardItem } from '../domain/standards/catalogue.ts';
import { loadDirectory } from '../store/directory.ts';
import { adoptEvidence, EVIDENCE_REF_PATTERN, getEvidence, parseEvidenceRef } from '../store/evidence.ts';
import { claimItemCase, createRound, RoundTakenError, saveRound } from '../store/inspections.ts';
import { sendOnce } from '../store/outbox.ts';
import type { ActivityDeps } from './index.ts';

export const InspectionFailure = {
  NoDirectory: 'InspectionNoDirectory',
  BadEntry: 'InspectionBadEntry',
  /**
   * Another execution of the round's id owns its record (it ran already): this one changes nothing.
   * The API reads it as InspectionRoundFailure.Taken (workflows/inspection-round/messages.ts).
   */
  Taken: 'InspectionRoundTaken',
} as const;

/** How a failed item's case description names its photos (as triage names a report's). */
const PHOTO_LINE = '照片 / Photos: ';

/**
 * The execution of the round's workflow this activity works for: the round's record belongs to
 * one. The workflow names it by its first run's id, which a reset (a new run of the same
 * execution) keeps and a new execution of the same round id does not; a task the workflow
 * scheduled before it named it is its run's (a first run's id is its own).
 */
function ownerOfRound(owner: string | undefined): string {
  if (owner) return owner;
  const runId = Context.current().info.workflowExecution?.runId;
  if (!runId) throw ApplicationFailure.nonRetryable('a round is saved by the run of its workflow only');
  return runId;
}

const taken = (roundId: string) =>
  ApplicationFailure.nonRetryable(
    `round ${roundId} already ran in another run of its id; this run leaves it and its record alone`,
    InspectionFailure.Taken,
  );

/** The record, when it is not the round the run has: only then is it worth a place in the run's history. */
const differs = (stored: InspectionRound | null, round: InspectionRound) =>
  stored && JSON.stringify(stored) !== JSON.stringify(round) ? stored : undefined;

/** The inspection rounds' activities: each idempotent (rows overwritten, cases claimed once, emails once). */
export function createInspectionActivities(deps: ActivityDeps) {
  const store = { ddb: deps.ddb, tables: deps.tables };

  async function directory(): Promise<Directory> {
    const dir = await loadDirectory(deps.ddb, deps.tables);
    if (!dir)
      throw ApplicationFailure.nonRetryable('no campus directory is loaded', InspectionFailure.NoDirectory);
    return dir;
  }

  /** The buildings to inspect, each with the supervisors its rounds are assigned to. */
  async function inspectionBuildings(input: {
    buildingIds?: string[] | undefined;
  }): Promise<{ buildingId: string; supervisorIds: string[] }[]> {
    const dir = await directory();
    // The 6T checklist is the student-apartment standard (seed 000): a canteen or a gate is
    // nobody's dormitory, so public areas get no rounds.
    return dir.buildings
      .filter((b) => b.kind !== 'public_area')
      .filter((b) => !input.buildingIds || input.buildingIds.includes(b.id))
      .map((b) => ({ buildingId: b.id, supervisorIds: [...b.supervisorIds] }));
  }

  /**
   * Stores a new round and tells its supervisors where the checklist is. A round id runs once: a
   * record another run of it wrote (finished, missed, or open) is left alone and this run fails.
   * The record this execution had already saved (a run reset to before the round opened opens it
   * again) is answered when it has more than the run's new round, for the run to take up.
   */
  async function openInspectionRound(
    round: InspectionRound,
    owner?: string,
  ): Promise<InspectionRound | undefined> {
    const mine = await createRound(store, round, ownerOfRound(owner));
    if (!mine) throw taken(round.roundId);
    const dir = await directory();
    const url = `${deps.publicBaseUrl}/inspection/${round.roundId}`;
    const name = placeNameOf(dir, { buildingId: round.buildingId });
    for (const id of round.assigneeIds) {
      const p: Person | undefined = dir.people.find((x) => x.id === id);
      if (!p) continue;
      await sendOnce(deps, { scope: round.roundId, key: `assign#${p.id}` }, async () => ({
        to: p.email,
        ...inspectionRoundMail(p, {
          kind: round.kind,
          period: round.period,
          items: round.checklist.length,
          building: name,
          url,
        }),
      }));
    }
    return differs(mine.stored, round);
  }

  /**
   * Saves the round as its run now has it, merged into its record (never over a record another run
   * of its id owns); answers the round as stored when that is more than the run had, for the run to
   * take up (results a reset made it lose), and nothing otherwise.
   */
  async function saveInspectionRound(
    round: InspectionRound,
    owner?: string,
  ): Promise<InspectionRound | undefined> {
    try {
      return differs(await saveRound(store, round, ownerOfRound(owner)), round);
    } catch (err) {
      if (err instanceof RoundTakenError) throw taken(round.roundId);
      throw err;
    }
  }

  /**
   * The case a failed item opens: it cites the item (category = the item id),
   * runs under the item's SLA rule and severity, and carries the place, note
   * and photos over. Claimed once per round and item.
   */
  async function prepareInspectionCase(input: {
    round: Pick<InspectionRound, 'roundId' | 'kind' | 'buildingId' | 'period'>;
    entry: CheckEntry;
    by: string;
    /** When the failure was recorded (the round's clock): the case opens then. */
    at: string;
    timeZone: string;
  }): Promise<CaseInput> {
    const { round, entry } = input;
    const dir = await directory();
    const item = standardItem(entry.itemId);
    if (!item)
      throw ApplicationFailure.nonRetryable(`no catalogue item ${entry.itemId}`, InspectionFailure.BadEntry);
    // A room typed on the checklist comes without its floor: the directory's floor goes on the case.
    const place = entryPlace(dir, round.buildingId, entry);
    if (!place.ok) throw ApplicationFailure.nonRetryable(place.text.en, InspectionFailure.BadEntry);
    const { location } = place;
    const by = dir.people.find((p) => p.id === input.by);
    const assignee = staffAssignee(dir, entry.assigneeId ? [entry.assigneeId] : []);
    if (!assignee)
      throw ApplicationFailure.nonRetryable('the directory has no staff', InspectionFailure.BadEntry);
    // Photos the checklist page stored under the round (the case had no number yet): each a
    // confirmed file of this round with the hash its reference carries, or no case is claimed.
    const evidence = (entry.photos ?? []).filter((p) => parseEvidenceRef(p) !== null);
    const caseInput = await claimItemCase(store, round.roundId, item.id, async () => {
      for (const ref of evidence) {
        const parsed = parseEvidenceRef(ref);
        const record = parsed ? await getEvidence({ aws: deps }, parsed.evidenceId) : null;
        if (
          !parsed ||
          record?.status !== 'confirmed' ||
          record.caseId !== round.roundId ||
          record.sha256 !== parsed.sha256
        )
          throw ApplicationFailure.nonRetryable(
            `photo ${ref} is not a confirmed file of round ${round.roundId}`,
            InspectionFailure.BadEntry,
          );
      }
      const basis = await itemCaseBasis(deps, {
        dir,
        item,
        location,
        openedAt: input.at,
        timeZone: input.timeZone,
      });
      const cite = citation(item);
      // The round as people name it: its id says nothing to the staff member who reads the case,
      // and a building gone from the directory is named as every page names it (placeNameOf).
      const name = roundName(round, placeNameOf(dir, { buildingId: round.buildingId }));
      return {
        ...basis,
        title: `${cite.zh} 不合格 / ${cite.en}: failed`.slice(0, 200),
        description: [
          `${name.zh} / ${name.en}：${entry.note ?? ''}`,
          `标准要求 / Requirement: ${item.requirement.zh}`,
          // Space-separated, as triage writes a report's photos: the case page shows them as thumbnails.
          ...(entry.photos?.length ? [`${PHOTO_LINE}${entry.photos.join(' ')}`] : []),
        ]
          .join('\n')
          .slice(0, 5000),
        assigneeId: assignee.id,
        openedBy: { id: input.by, roles: by?.roles ?? ['supervisor'], via: 'api' },
        openedAt: input.at,
      };
    });
    // The case has its number: the photos its description cites are its own before it starts. The
    // claimed description's, not this post's: a repeated post after a crash gets the first claim.
    const photoLine = caseInput.description.split('\n').find((l) => l.startsWith(PHOTO_LINE)) ?? '';
    for (const [ref] of photoLine.matchAll(EVIDENCE_REF_PATTERN))
      if (!(await adoptEvidence({ aws: deps }, ref, { from: round.roundId, to: caseInput.caseId })))
        throw ApplicationFailure.nonRetryable(
          `photo ${ref} could not be handed to case ${caseInput.caseId}`,
          InspectionFailure.BadEntry,
        );
    return caseInput;
  }

  return { inspectionBuildings, openInspectionRound, saveInspectionRound, prepareInspectionCase };
}

export type InspectionActivities = ReturnType<typeof createInspectionActivities>;
