// Longer than most modules because the weekly and daily runs share their send batching and outbox keys.
import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import {
  addWeeks,
  briefIsEmpty,
  buildDailyBrief,
  buildWeeklyDigests,
  weekBounds,
  weekMonday,
  withPlaceNames,
  INSPECTION_TREND_WEEKS,
  REPEAT_WINDOW_WEEKS,
  type AreaSummary,
  type DepartmentDigest,
  type DigestKind,
  type StaffDigest,
} from '../domain/digest.ts';
import { stillAsked } from '../domain/student-follow-up.ts';
import {
  ackEscalationEmail,
  ackReminderEmail,
  areaSummaryEmail,
  dailyBriefEmail,
  departmentDigestEmail,
  departmentEscalationEmail,
  staffDigestEmail,
  type RenderedEmail,
} from '../domain/digest-email.ts';
import { addDays, localTimeToInstant } from '../domain/calendar.ts';
import type { Directory, Person } from '../domain/directory.ts';
import { complaintYearBounds } from '../domain/kpi.ts';
import { weekIsOver } from '../domain/kpi-weeks.ts';
import { reportLinkUrl } from '../domain/report-link.ts';
import { loadDirectory } from '../store/directory.ts';
import { occurrencesDueIn } from '../store/duties.ts';
import { roundsBetween } from '../store/inspections.ts';
import {
  acknowledgedIds,
  casesActiveIn,
  getDigest,
  handledFollowUps,
  listDigests,
  saveDigests,
  saveTally,
  type AnyDigest,
} from '../store/digests.ts';
import { heartbeat } from './heartbeat.ts';
import type { ActivityDeps } from './index.ts';
import { tallyForRange } from '../store/kpi-tallies.ts';
import { outboxScope } from '../store/keys.ts';
import { issueActionUrl } from '../store/links.ts';
import { sendOnce } from '../store/outbox.ts';
import { sweepStagedEvidence } from '../store/staged-evidence-sweep.ts';
import { catchUpStranded } from '../store/stranded-notices.ts';

/** Activities' failure types (non-retryable: retrying cannot fix them). */
export const FeedbackFailure = {
  NoDirectory: 'FeedbackNoDirectory',
} as const;

export interface BuildWeeklyInput {
  week: string;
  timeZone: string;
  /** The weekly run's workflow id, kept on each digest so a link click can wake the run. */
  workflowId: string;
  lookbackDays: number;
}

export interface BuiltWeekly {
  staff: string[];
  departments: string[];
  buildings: string[];
}

export type SendPurpose = 'digest' | 'reminder' | 'escalation';

export interface SendBatchInput {
  week: string;
  kind: DigestKind;
  purpose: SendPurpose;
  /** Subjects: person ids, department ids, building ids or 'campus'. */
  ids: string[];
  /** Distinguishes repeated reminders (department reminder 1, 2 …) in the outbox key. */
  round?: number | undefined;
  /** This activity's share of the configured SES send rate. */
  ratePerSecond: number;
  /** When the links stop working (at most 7 days on). */
  linkExpiresAt?: string | undefined;
}

export interface SendBatchResult {
  sent: number;
  alreadySent: number;
  skipped: number;
}

export interface FollowUpStatus {
  total: number;
  open: number;
  departmentsWithOpen: string[];
}

export interface DailyBriefInput {
  date: string;
  timeZone: string;
  lookbackDays: number;
}

/** Paces sends to a rate: each call waits for the next free slot. */
function pacer(ratePerSecond: number): () => Promise<void> {
  const gap = 1000 / Math.max(0.001, ratePerSecond);
  let next = 0;
  return async () => {
    const now = Date.now();
    const wait = next - now;
    next = Math.max(now, next) + gap;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };
}

/** The weekly feedback and daily brief activities, built over injected clients. Each is idempotent. */
export function createFeedbackActivities(deps: ActivityDeps) {
  const store = { ddb: deps.ddb, tables: deps.tables };

  async function directory(): Promise<Directory> {
    const dir = await loadDirectory(deps.ddb, deps.tables);
    if (!dir) {
      throw ApplicationFailure.create({
        type: FeedbackFailure.NoDirectory,
        message: 'no campus directory is loaded: load one before the weekly feedback runs',
        nonRetryable: true,
      });
    }
    return dir;
  }

  // A signed read link per recipient: they arrive from email without a bearer token. Not kept on
  // the outbox row (a retry signs a fresh one), so the table never holds a usable link.
  const reportUrl = (recipientId: string, week: string, buildingId?: string) =>
    reportLinkUrl(
      deps.publicBaseUrl,
      { scope: { week, buildingId }, recipientId, now: new Date() },
      deps.signingKeys,
      (n) => new Uint8Array(randomBytes(n)),
    );

  const link = (input: Parameters<typeof issueActionUrl>[1]) =>
    issueActionUrl(
      { ddb: deps.ddb, tables: deps.tables, keys: deps.signingKeys, publicBaseUrl: deps.publicBaseUrl },
      input,
    );

  /**
   * One email at most once per (week, purpose, kind, subject, recipient). Every mail has that one
   * recipient, so each is written in its reader's language first: no mail serves readers of two.
   */
  const send = (
    week: string,
    key: string,
    to: Person,
    render: (link: string | undefined) => Promise<RenderedEmail & { link?: string | undefined }>,
  ) =>
    sendOnce(deps, { scope: outboxScope.weekly(week), key: `${key}#${to.id}` }, async (prev) => {
      const mail = await render(prev.link);
      return { to: to.email, ...mail };
    });

  async function buildWeeklyFeedback(input: BuildWeeklyInput): Promise<BuiltWeekly> {
    const dir = await directory();
    const from = weekBounds(addWeeks(input.week, 1 - REPEAT_WINDOW_WEEKS), input.timeZone).from;
    const { to } = weekBounds(input.week, input.timeZone);
    // The yearly complaint limit is judged on the year to the week's end, mostly from stored counters.
    const year = complaintYearBounds(to, input.timeZone);
    // The rounds of the inspection trend: those whose period starts in its weeks.
    const roundsFrom = weekMonday(addWeeks(input.week, 1 - INSPECTION_TREND_WEEKS));
    const roundsTo = addDays(weekMonday(input.week), 6);
    const [views, ytd, rounds, duties] = await Promise.all([
      casesActiveIn(store, { from, to, lookbackDays: input.lookbackDays }),
      tallyForRange(store, { ...year, timeZone: input.timeZone }),
      Promise.all(dir.buildings.map((b) => roundsBetween(store, b.id, roundsFrom, roundsTo))),
      // The duties due this week and the week before, for the completion rate and its change.
      occurrencesDueIn(
        store,
        dir.buildings.map((b) => b.id),
        addDays(weekMonday(input.week), -7),
        addDays(weekMonday(input.week), 6),
      ),
    ]);
    heartbeat({ loaded: views.length });
    const built = buildWeeklyDigests({
      week: input.week,
      timeZone: input.timeZone,
      views,
      directory: dir,
      complaintYear: { ...year, byBuilding: ytd.tally.validComplaintsByBuilding },
      inspections: rounds.flat(),
      duties,
    });
    const all: AnyDigest[] = [...built.staff, ...built.departments, ...built.buildings, built.workingGroup];
    await saveDigests(store, all, input.workflowId);
    const over = weekIsOver(input.week, input.timeZone);
    await Promise.all([
      ...built.buildings.map((b) => saveTally(store, input.week, b.buildingId, b.tally, over)),
      saveTally(store, input.week, undefined, built.workingGroup.tally, over),
    ]);
    return {
      staff: built.staff.map((s) => s.personId),
      departments: built.departments.map((d) => d.departmentId),
      buildings: built.buildings.map((b) => b.buildingId ?? ''),
    };
  }

  async function sendWeeklyBatch(input: SendBatchInput): Promise<SendBatchResult> {
    const dir = await directory();
    const people = new Map(dir.people.map((p) => [p.id, p]));
    const pace = pacer(input.ratePerSecond);
    const result: SendBatchResult = { sent: 0, alreadySent: 0, skipped: 0 };
    const acked =
      input.kind === 'staff' && input.purpose !== 'digest' ? await acknowledgedIds(store, input.week) : null;
    const handled = input.kind === 'department' ? await handledFollowUps(store, input.week) : null;
    const tally = (status: 'sent' | 'already_sent') => {
      if (status === 'sent') result.sent += 1;
      else result.alreadySent += 1;
    };
    const keyBase = `${input.purpose}${input.round ? `-${input.round}` : ''}#${input.kind}`;

    for (const [n, id] of input.ids.entries()) {
      heartbeat({ done: n });
      if (acked?.has(id)) {
        result.skipped += 1;
        continue;
      }
      const stored = await getDigest(store, input.week, input.kind, id);
      if (!stored) {
        result.skipped += 1;
        continue;
      }
      // A week stored before places were named is mailed (its reminders) with today's names.
      const d = withPlaceNames(stored.digest, dir);
      if (d.kind === 'staff') {
        const person = people.get(d.personId);
        if (!person) {
          result.skipped += 1;
          continue;
        }
        if (input.purpose === 'escalation') {
          const supervisorIds = [
            ...new Set(
              dir.buildings.filter((b) => d.buildingIds.includes(b.id)).flatMap((b) => b.supervisorIds),
            ),
          ];
          const to = (supervisorIds.length ? supervisorIds : dir.campus.workingGroupIds)
            .map((pid) => people.get(pid))
            .filter((p): p is Person => p !== undefined);
          for (const sup of to) {
            await pace();
            const out = await send(input.week, `${keyBase}#${d.personId}`, sup, async () =>
              ackEscalationEmail(d, person.name, sup.name, sup.language),
            );
            tally(out.status);
          }
          continue;
        }
        await pace();
        const out = await send(input.week, keyBase, person, async (prev) => {
          const url =
            prev ??
            (await link({
              caseId: d.id,
              step: 'weekly_ack',
              round: 0,
              recipientId: person.id,
              action: 'acknowledge',
              expiresAt: input.linkExpiresAt,
            }));
          const mail =
            input.purpose === 'reminder'
              ? ackReminderEmail(d, person.name, url, person.language)
              : staffDigestEmail(d, person.name, url, person.language);
          return { ...mail, link: url };
        });
        tally(out.status);
      } else if (d.kind === 'department') {
        const done = handled?.get(d.departmentId) ?? new Set<string>();
        const open = d.items.filter((i) => stillAsked(i) && !done.has(i.caseId));
        if (open.length === 0) {
          result.skipped += 1;
          continue;
        }
        if (input.purpose === 'escalation') {
          for (const wg of dir.campus.workingGroupIds
            .map((p) => people.get(p))
            .filter((p): p is Person => !!p)) {
            await pace();
            tally(
              (
                await send(input.week, `${keyBase}#${d.departmentId}`, wg, async () =>
                  departmentEscalationEmail(d, open, wg.name, wg.language),
                )
              ).status,
            );
          }
          continue;
        }
        for (const contact of d.contactIds.map((p) => people.get(p)).filter((p): p is Person => !!p)) {
          await pace();
          const out = await send(input.week, `${keyBase}#${d.departmentId}`, contact, async () => {
            // Each item has its own link; the item's place in the digest numbers it (`round`).
            const items = await Promise.all(
              open.map(async (item) => ({
                item,
                url: await link({
                  caseId: d.id,
                  step: 'dept_followup',
                  round: d.items.indexOf(item) + 1,
                  recipientId: contact.id,
                  action: item.caseId,
                  expiresAt: input.linkExpiresAt,
                }),
              })),
            );
            return departmentDigestEmail(
              d,
              contact.name,
              items,
              input.purpose === 'reminder',
              contact.language,
            );
          });
          tally(out.status);
        }
      } else {
        const building = d.buildingId ? dir.buildings.find((b) => b.id === d.buildingId) : undefined;
        const recipients = building ? building.supervisorIds : dir.campus.workingGroupIds;
        const title = building?.name ?? { zh: '全校（工作小组）', en: 'Campus (working group)' };
        for (const p of recipients.map((x) => people.get(x)).filter((x): x is Person => !!x)) {
          await pace();
          const out = await send(input.week, `${keyBase}#${id}`, p, async () =>
            areaSummaryEmail(
              d as AreaSummary,
              title,
              p.name,
              reportUrl(p.id, d.week, d.buildingId),
              p.language,
            ),
          );
          tally(out.status);
        }
      }
    }
    return result;
  }

  /** Staff whose digest of the week is not yet acknowledged. */
  async function pendingAcknowledgements(input: { week: string }): Promise<string[]> {
    const [digests, acked] = await Promise.all([
      listDigests<StaffDigest>(store, input.week, 'staff'),
      acknowledgedIds(store, input.week),
    ]);
    return digests.map((d) => d.personId).filter((id) => !acked.has(id));
  }

  async function departmentFollowUpStatus(input: { week: string }): Promise<FollowUpStatus> {
    const [digests, handled] = await Promise.all([
      listDigests<DepartmentDigest>(store, input.week, 'department'),
      handledFollowUps(store, input.week),
    ]);
    let total = 0;
    let open = 0;
    const withOpen: string[] = [];
    for (const d of digests) {
      const done = handled.get(d.departmentId) ?? new Set<string>();
      const asked = d.items.filter(stillAsked);
      const left = asked.filter((i) => !done.has(i.caseId)).length;
      total += asked.length;
      open += left;
      if (left > 0) withOpen.push(d.departmentId);
    }
    return { total, open, departmentsWithOpen: withOpen };
  }

  /**
   * Once a day, the photos new-case forms stored that no case took go (store/staged-evidence-sweep.ts),
   * beside the brief so as not to hold it up. Its failure is only logged: the brief is not failed
   * (nor retried) for it, and tomorrow's run goes on.
   */
  async function sweepStaged(): Promise<void> {
    const bucket = deps.resultStore;
    if (!bucket) return console.warn('[daily brief] no evidence bucket: staged photos were not swept');
    await sweepStagedEvidence({ aws: deps, bucket }).then(
      () => undefined,
      (err: unknown) => console.warn(`[daily brief] could not sweep the staged photos: ${String(err)}`),
    );
  }

  async function sendDailyBriefs(input: DailyBriefInput): Promise<{ buildings: number; sent: number }> {
    const swept = sweepStaged();
    try {
      return await sendBriefs(input);
    } finally {
      await swept;
    }
  }

  async function sendBriefs(input: DailyBriefInput): Promise<{ buildings: number; sent: number }> {
    // A directory save whose stranded-cases mail did not go (the process died after the save) is
    // told here each morning, so no admin need open the directory page for it. Its failure is
    // only logged: the brief goes regardless, and tomorrow's run tries again. Once a day, it does
    // not wait for a page's look that claimed the version a minute ago (`anyway`).
    await catchUpStranded(deps, { anyway: true }).catch((err: unknown) => {
      console.warn(`[daily brief] could not catch up the stranded-case mails: ${String(err)}`);
    });
    const dir = await directory();
    const people = new Map(dir.people.map((p) => [p.id, p]));
    const from = localTimeToInstant(addDays(input.date, -1), '00:00', input.timeZone);
    const to = localTimeToInstant(addDays(input.date, 1), '00:00', input.timeZone);
    const views = await casesActiveIn(store, { from, to, lookbackDays: input.lookbackDays });
    let sent = 0;
    let briefed = 0;
    for (const b of dir.buildings) {
      const brief = buildDailyBrief({
        date: input.date,
        timeZone: input.timeZone,
        buildingId: b.id,
        views,
        directory: dir,
      });
      if (b.kind === 'public_area' && briefIsEmpty(brief)) continue;
      briefed += 1;
      for (const sup of b.supervisorIds.map((p) => people.get(p)).filter((p): p is Person => !!p)) {
        const out = await sendOnce(
          deps,
          { scope: outboxScope.daily(input.date), key: `${b.id}#${sup.id}` },
          async () => ({
            to: sup.email,
            ...dailyBriefEmail(brief, b.name, sup.name, sup.language, deps.publicBaseUrl),
          }),
        );
        if (out.status === 'sent') sent += 1;
      }
    }
    return { buildings: briefed, sent };
  }

  return {
    buildWeeklyFeedback,
    sendWeeklyBatch,
    pendingAcknowledgements,
    departmentFollowUpStatus,
    sendDailyBriefs,
  };
}

export type FeedbackActivities = ReturnType<typeof createFeedbackActivities>;
