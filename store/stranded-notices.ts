import type { Directory, Person } from '../domain/directory.ts';
import { enCount } from '../domain/english-count.ts';
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
import { mailRefusedForGood } from './mail-refusal.ts';
import { sendOnce } from './outbox.ts';
import { openCaseViewsOf } from './party-open-cases.ts';
import { claimStrandedLook, strandedLookFailed } from './stranded-looks.ts';

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
 * page and `GET /api/directory/removed` when an admin looks, at most once every few minutes a
 * version: stranded-looks.ts), so a process that died between the save and the mail delays it by
 * a day at most, whether or not an admin opens the page. A mail the mail service refuses for good
 * (a bad address) is not tried again: the `told` row names its reader as not reached.
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
 * (null for a version that has nothing to tell). Throws when a mail failed for now (a refusal for
 * good only leaves its reader out), leaving the version for the catch-up (the mails that went are
 * not sent again).
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
  // Each reader's part of every place they hear of, in the places' order: one mail per reader.
  const mails = new Map<string, { reader: Person; parts: StrandedBuilding[] }>();
  const places: {
    buildingId: string;
    name: Bilingual;
    workingGroup: boolean;
    readers: Person[];
    caseIds: string[];
  }[] = [];
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
    places.push({
      buildingId,
      name,
      workingGroup: readers.workingGroup,
      readers: readers.people,
      caseIds: cases.map((c) => c.view.caseId),
    });
  }
  const failed: unknown[] = [];
  // Refused for good (a bad address): trying again would be refused again, so the version counts
  // as told with these readers named as not reached.
  const refused = new Set<string>();
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
      if (mailRefusedForGood(err)) {
        refused.add(reader.id);
        console.warn(
          `[directory] version ${snapshot.version}: the mail to ${reader.id} was refused for good: ${String(err)}`,
        );
      } else failed.push(err);
    }
  }
  if (failed.length > 0)
    throw new AggregateError(
      failed,
      `${enCount(failed.length, 'mail')} of directory version ${snapshot.version} did not go`,
    );
  const who = (p: Person) => ({ id: p.id, name: p.name });
  const told: StrandedTold = {
    version: snapshot.version,
    at: new Date(now).toISOString(),
    buildings: places.map(({ readers, ...place }) => ({
      ...place,
      recipients: readers.filter((r) => !refused.has(r.id)).map(who),
      undelivered: readers.filter((r) => refused.has(r.id)).map(who),
    })),
  };
  await recordTold(ddb, tables, told);
  return told;
}

/**
 * Tells the version unless another look claimed it within STRANDED_LOOK_MS (stranded-looks.ts);
 * `anyway` tells it regardless, claiming it. Returns whom it told, null for a version with nothing
 * to tell, or 'claimed' when another look holds it. Throws as tellStranded does, the claim then
 * marked failed so the page can say so.
 */
export async function tellUnlessClaimed(
  deps: StrandedDeps,
  snapshot: DirectorySnapshot,
  opts: { anyway: boolean },
): Promise<StrandedTold | null | 'claimed'> {
  if (!snapshot.tellStranded) return null;
  const done = await loadTold(deps.ddb, deps.tables, snapshot.version);
  if (done) return done;
  const owner = await claimStrandedLook(deps, snapshot.version, opts);
  if (owner === null) return 'claimed';
  try {
    return await tellStranded(deps, snapshot);
  } catch (err) {
    await strandedLookFailed(deps, snapshot.version, owner).catch((e: unknown) => {
      console.warn(`[directory] version ${snapshot.version}: its failed telling not marked: ${String(e)}`);
    });
    throw err;
  }
}

/**
 * Tells every recent version whose mail did not go (the process died after its save, or a mail
 * failed), each failure a warning: a later call tries again. A look (the directory page, the API)
 * leaves alone a version another look claimed within STRANDED_LOOK_MS; the morning's run
 * (`anyway`) tells it regardless, as it comes but once a day. Throws only when the versions cannot
 * be read.
 */
export async function catchUpStranded(deps: StrandedDeps, opts: { anyway: boolean }): Promise<void> {
  const { ddb, tables } = deps;
  const versions = await recentSnapshots(ddb, tables, CATCH_UP_VERSIONS);
  // A version's own record is written after it is put in force: one that died between the two
  // is only the `current` snapshot.
  const current = await currentSnapshot(ddb, tables);
  if (current && !versions.some((v) => v.version === current.version)) versions.unshift(current);
  for (const snapshot of versions.filter((v) => v.tellStranded).reverse())
    await tellUnlessClaimed(deps, snapshot, opts).catch((err: unknown) => {
      console.warn(`[directory] the places of version ${snapshot.version} are not told yet: ${String(err)}`);
    });
}
