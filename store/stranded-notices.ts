import type { Directory, Person } from '../domain/directory.ts';
import {
  campusMinute,
  holdingAs,
  readersOf,
  strandedBuildingPart,
  strandingPeople,
  type StrandedEntry,
} from '../domain/stranded-cases.ts';
import { strandedCasesMail, type StrandedBuilding } from '../domain/stranded-cases-mail.ts';
import type { Bilingual } from '../domain/text.ts';
import type { AwsDeps } from './clients.ts';
import { currentSnapshot, loadDirectory, recentSnapshots, type DirectorySnapshot } from './directory.ts';
import { loadTold, recordTold, type StrandedTold } from './directory-told.ts';
import { loadDeparted } from './directory-versions.ts';
import { sendOnce } from './outbox.ts';
import { openCaseViewsOf } from './party-open-cases.ts';

/**
 * When an admin's directory save removes people, or leaves them without a role that acts on
 * cases, the open cases they hold wait for nobody: their reminders are dropped and only
 * escalation would move them. Each place's supervisors as the directory in force names them (the
 * working group where a place has none) are told, each with the case page's reassign form: one
 * mail per save and reader, listing the cases of every place they were told of by place (a
 * supervisor of three buildings gets one mail, not three).
 *
 * Sent once: each mail through the outbox under the version and reader (a second telling of the
 * version sends nothing again). Not lost: the save itself marks the version `tellStranded`, and a
 * version so marked without its `told` row (directory-told.ts) is told again by
 * {@link catchUpStranded}, which the daily brief's activity runs every morning (and the directory
 * page and `GET /api/directory/removed` when an admin looks), so a process that died between the
 * save and the mail delays it by a day at most, whether or not an admin opens the page.
 */

/** What telling needs: the store's clients, the campus clock and where the links lead. */
export type StrandedDeps = AwsDeps & { timeZone: string; publicBaseUrl: string };

/** How far back the catch-up looks for a version whose mail did not go. */
const CATCH_UP_VERSIONS = 10;

const outboxKey = (version: number, personId: string) => ({
  scope: `DIRECTORY#v${version}`,
  key: `stranded#${personId}`,
});

/** The open cases the version's removed and demoted people still hold, by building. */
async function strandedByBuilding(
  deps: StrandedDeps,
  snapshot: DirectorySnapshot,
  dir: Directory,
  nameOf: (id: string) => string,
): Promise<Map<string, StrandedEntry[]>> {
  const byCase = new Map<string, StrandedEntry>();
  for (const [personId, state] of strandingPeople(snapshot, dir))
    for (const view of await openCaseViewsOf(deps.ddb, deps.tables, personId)) {
      const as = holdingAs(view, personId);
      if (as.length === 0) continue;
      const entry = byCase.get(view.caseId) ?? { view, holders: [], holderIds: new Set<string>() };
      for (const a of as) entry.holders.push({ name: nameOf(personId), state, as: a });
      entry.holderIds.add(personId);
      byCase.set(view.caseId, entry);
    }
  const out = new Map<string, StrandedEntry[]>();
  for (const s of byCase.values()) {
    const b = s.view.location.buildingId;
    out.set(b, [...(out.get(b) ?? []), s]);
  }
  return out;
}

/**
 * Tells the places where the save of `snapshot` stranded open cases, once; returns whom it told
 * (null for a version that has nothing to tell). Throws when a mail failed, leaving the version
 * for the catch-up (the mails that went are not sent again).
 */
export async function tellStranded(
  deps: StrandedDeps,
  snapshot: DirectorySnapshot,
): Promise<StrandedTold | null> {
  const { ddb, tables } = deps;
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
  const at = { now, timeZone: deps.timeZone, publicBaseUrl: deps.publicBaseUrl };
  const told: StrandedTold = { version: snapshot.version, at: new Date(now).toISOString(), buildings: [] };
  // Each reader's part of every place they hear of, in the places' order: one mail per reader.
  const mails = new Map<string, { reader: Person; parts: StrandedBuilding[] }>();
  for (const [buildingId, cases] of [...byBuilding].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const name: Bilingual = dir.buildings.find((b) => b.id === buildingId)?.name ??
      departed.buildings.get(buildingId)?.name ?? { zh: buildingId, en: buildingId };
    const readers = readersOf(dir, buildingId, holders);
    const part = strandedBuildingPart(name, readers.workingGroup, cases, at);
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
      await sendOnce(deps, outboxKey(snapshot.version, reader.id), () =>
        Promise.resolve({
          to: reader.email,
          ...strandedCasesMail(reader.language, {
            recipientName: reader.name,
            version: snapshot.version,
            savedText: campusMinute(snapshot.at, deps.timeZone),
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
 * failed), each failure a warning: the next call tries again. Throws only when the versions
 * cannot be read.
 */
export async function catchUpStranded(deps: StrandedDeps): Promise<void> {
  const { ddb, tables } = deps;
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
