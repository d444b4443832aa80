import { actsOnCases } from '../domain/case-acting-roles.ts';
import type { CaseView, Stage } from '../domain/case-model.ts';
import { stageOwners } from '../domain/case-routing.ts';
import type { Directory, Person } from '../domain/directory.ts';
import { casePagePath } from '../domain/email-content.ts';
import {
  strandedCasesMail,
  type HolderState,
  type StrandedBuilding,
  type StrandedCase,
  type StrandedHolder,
} from '../domain/stranded-cases-mail.ts';
import { timedStages, type TimedStage } from '../domain/sla.ts';
import type { Bilingual } from '../domain/text.ts';
import {
  currentSnapshot,
  loadDirectory,
  recentSnapshots,
  type DirectorySnapshot,
} from '../store/directory.ts';
import { loadTold, recordTold, type StrandedTold } from '../store/directory-told.ts';
import { loadDeparted } from '../store/directory-versions.ts';
import { sendOnce } from '../store/outbox.ts';
import type { AppDeps } from './deps.ts';
import { formatTime } from './pages/ui.tsx';
import { openCaseViewsOf } from './removed-people.ts';

/**
 * When an admin's directory save removes people, or leaves them without a role that acts on
 * cases, the open cases they hold wait for nobody: their reminders are dropped and only
 * escalation would move them. Each place's supervisors as the directory in force names them (the
 * working group where a place has none) are told, each with the case page's reassign form: one
 * mail per save and reader, listing the cases of every place they were told of by place (a
 * supervisor of three buildings gets one mail, not three).
 *
 * Sent once: each mail through the outbox under the version and reader (a second telling of the
 * version sends nothing again). Not lost: the save itself marks the version
 * `tellStranded`, and a version so marked without its `told` row (store/directory-told.ts) is
 * told again by {@link catchUpStranded}, which the directory page and `GET
 * /api/directory/removed` run, so a process that died between the save and the mail leaves it
 * to the next admin who opens either.
 */

type Deps = Pick<AppDeps, 'aws' | 'env' | 'publicBaseUrl'>;

/** How many of a place's cases a mail lists; the rest are counted, and the directory page lists them all. */
export const STRANDED_CASES_LISTED = 50;
/** How far back the catch-up looks for a version whose mail did not go. */
const CATCH_UP_VERSIONS = 10;

const outboxKey = (version: number, personId: string) => ({
  scope: `DIRECTORY#v${version}`,
  key: `stranded#${personId}`,
});

/** The stage's deadline still running, if the stage has one. */
const runningDeadline = (v: CaseView) => v.deadlines.find((d) => !d.closedAt);
const dueOf = (v: CaseView) => runningDeadline(v)?.due;

/** Past its deadline: breached as the workflow recorded it, or due already and not recorded yet. */
function isOverdue(v: CaseView, now: number): boolean {
  const d = runningDeadline(v);
  return d !== undefined && (d.state === 'breached' || Date.parse(d.due) <= now);
}

const isTimed = (s: Stage): s is TimedStage => (timedStages as readonly Stage[]).includes(s);

/**
 * Whether the case's stage waits on one of its stranded holders, so the stage's reminders go to
 * them (stageOwners); review and adjudication wait on the supervisors and follow-up on the reporter.
 */
const waitsOnHolder = (v: CaseView, holderIds: ReadonlySet<string>): boolean =>
  isTimed(v.stage) && stageOwners(v.stage, v, { supervisorIds: [] }).some((id) => holderIds.has(id));

interface Stranded {
  view: CaseView;
  holders: StrandedHolder[];
  holderIds: Set<string>;
}

/**
 * The open cases the version's removed and demoted people still hold, by building: someone the
 * directory in force has back (or back in a role that acts on cases) strands nothing any more.
 */
async function strandedByBuilding(
  deps: Deps,
  snapshot: DirectorySnapshot,
  dir: Directory,
  nameOf: (id: string) => string,
): Promise<Map<string, Stranded[]>> {
  const inForce = new Map(dir.people.map((p) => [p.id, p]));
  const people: [string, HolderState][] = [
    ...snapshot.removedPeople
      .filter((id) => !inForce.has(id))
      .map((id): [string, HolderState] => [id, 'removed']),
    ...(snapshot.demotedPeople ?? [])
      .filter((id) => {
        const p = inForce.get(id);
        return p !== undefined && !actsOnCases(p.roles);
      })
      .map((id): [string, HolderState] => [id, 'demoted']),
  ];
  const byCase = new Map<string, Stranded>();
  for (const [personId, state] of people)
    for (const view of await openCaseViewsOf(deps, personId)) {
      const as: StrandedHolder['as'][] = [
        ...(view.assigneeId === personId ? ['assignee' as const] : []),
        ...(view.responsibleId === personId ? ['responsible' as const] : []),
      ];
      if (as.length === 0) continue;
      const entry = byCase.get(view.caseId) ?? { view, holders: [], holderIds: new Set<string>() };
      for (const a of as) entry.holders.push({ name: nameOf(personId), state, as: a });
      entry.holderIds.add(personId);
      byCase.set(view.caseId, entry);
    }
  const out = new Map<string, Stranded[]>();
  for (const s of byCase.values()) {
    const b = s.view.location.buildingId;
    out.set(b, [...(out.get(b) ?? []), s]);
  }
  return out;
}

/** Who hears of a building's stranded cases: its supervisors in force, else the working group. */
function readersOf(
  dir: Directory,
  buildingId: string,
  stranded: ReadonlySet<string>,
): { people: Person[]; workingGroup: boolean } {
  const can = (id: string) => {
    const p = dir.people.find((x) => x.id === id);
    return p && !stranded.has(id) && actsOnCases(p.roles) ? [p] : [];
  };
  const supervisors = (dir.buildings.find((b) => b.id === buildingId)?.supervisorIds ?? []).flatMap(can);
  if (supervisors.length > 0) return { people: supervisors, workingGroup: false };
  return { people: dir.campus.workingGroupIds.flatMap(can), workingGroup: true };
}

/**
 * Tells the places where the save of `snapshot` stranded open cases, once; returns whom it told
 * (null for a version that has nothing to tell). Throws when a mail failed, leaving the version
 * for the catch-up (the mails that went are not sent again).
 */
export async function tellStranded(deps: Deps, snapshot: DirectorySnapshot): Promise<StrandedTold | null> {
  const { ddb, tables } = deps.aws;
  if (!snapshot.tellStranded) return null;
  const done = await loadTold(ddb, tables, snapshot.version);
  if (done) return done;
  const dir = await loadDirectory(ddb, tables, true);
  if (!dir) return null;
  const departed = await loadDeparted(ddb, tables, dir);
  // By the name the directory last gave them: a removed person's is the version's that had them.
  const nameOf = (id: string) => dir.people.find((p) => p.id === id)?.name ?? departed.people.get(id) ?? id;
  const byBuilding = await strandedByBuilding(deps, snapshot, dir, nameOf);
  const holders = new Set([...snapshot.removedPeople, ...(snapshot.demotedPeople ?? [])]);
  const now = Date.now();
  const told: StrandedTold = { version: snapshot.version, at: new Date(now).toISOString(), buildings: [] };
  // Each reader's part of every place they hear of, in the places' order: one mail per reader.
  const mails = new Map<string, { reader: Person; parts: StrandedBuilding[] }>();
  for (const [buildingId, cases] of [...byBuilding].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const name: Bilingual = dir.buildings.find((b) => b.id === buildingId)?.name ??
      departed.buildings.get(buildingId)?.name ?? { zh: buildingId, en: buildingId };
    const readers = readersOf(dir, buildingId, holders);
    const listed: StrandedCase[] = cases
      .sort((a, b) => (dueOf(a.view) ?? '9').localeCompare(dueOf(b.view) ?? '9'))
      .slice(0, STRANDED_CASES_LISTED)
      .map(({ view, holders: h, holderIds }) => {
        const due = dueOf(view);
        return {
          caseId: view.caseId,
          stage: view.stage,
          dueText: due ? formatTime(due, deps.env.CAMPUS_TZ) : undefined,
          overdue: isOverdue(view, now),
          waitsOnHolder: waitsOnHolder(view, holderIds),
          holders: h,
          reassignUrl: `${deps.publicBaseUrl}${casePagePath(view.caseId)}#reassign-title`,
        };
      });
    const part: StrandedBuilding = {
      name,
      asWorkingGroup: readers.workingGroup,
      cases: listed,
      more: cases.length - listed.length,
    };
    for (const reader of readers.people) {
      const mail = mails.get(reader.id) ?? { reader, parts: [] };
      mail.parts.push(part);
      mails.set(reader.id, mail);
    }
    told.buildings.push({
      buildingId,
      name,
      workingGroup: readers.workingGroup,
      // Recorded only once every reader's mail went (a failure below leaves no record).
      recipients: readers.people.map((p) => ({ id: p.id, name: p.name })),
      caseIds: cases.map((c) => c.view.caseId),
    });
  }
  const failed: unknown[] = [];
  for (const { reader, parts } of mails.values()) {
    try {
      await sendOnce(deps.aws, outboxKey(snapshot.version, reader.id), () =>
        Promise.resolve({
          to: reader.email,
          ...strandedCasesMail(reader.language, {
            recipientName: reader.name,
            version: snapshot.version,
            buildings: parts,
          }),
        }),
      );
    } catch (err) {
      failed.push(err);
    }
  }
  if (failed.length > 0)
    throw new AggregateError(
      failed,
      `${failed.length} mail(s) of directory version ${snapshot.version} did not go`,
    );
  await recordTold(ddb, tables, told);
  return told;
}

/**
 * Tells every recent version whose mail did not go (the process died after its save, or a mail
 * failed), each failure a warning: the next call tries again.
 */
export async function catchUpStranded(deps: Deps): Promise<void> {
  const { ddb, tables } = deps.aws;
  const versions = await recentSnapshots(ddb, tables, CATCH_UP_VERSIONS);
  // A version's own record is written after it is put in force: one that died between the two
  // is only the `current` snapshot.
  const current = await currentSnapshot(ddb, tables);
  if (current && !versions.some((v) => v.version === current.version)) versions.unshift(current);
  for (const snapshot of versions.filter((v) => v.tellStranded).reverse())
    await tellStranded(deps, snapshot).catch((err: unknown) => {
      console.warn(`[directory] the places of version ${snapshot.version} are not told yet: ${String(err)}`);
    });
}
