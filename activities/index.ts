import type { ResultStore } from '../store/audit-jobs.ts';
import type { CalendarFile } from '../domain/calendar-file.ts';
import { tellMergedReportersOfResult, tellReportersOfWithdrawal } from '../store/reporter-notices.ts';
import type { Reporter } from '../domain/case-model.ts';
import { reporterActorId } from '../domain/case-model.ts';
import { createCalendar, type CalendarOverrides, type WorkingCalendar } from '../domain/calendar.ts';
import {
  planDeadline as planWith,
  type PlanDeadlineInput,
  type PlanDeadlineResult,
} from '../domain/deadline-plan.ts';
import { casePagePath, renderEmail, STUCK_EFFECTS_PAGE, type EmailKind } from '../domain/email-content.ts';
import { caseResultActions, reporterLanguage } from '../domain/reporter-notice.ts';
import type { Language } from '../domain/directory.ts';
import type { SigningKeys } from '../domain/link-token.ts';
import { appendAudit, recordEmailSent, type AppendInput, type AppendResult } from '../store/audit-chain.ts';
import type { AwsDeps } from '../store/clients.ts';
import { loadDirectory } from '../store/directory.ts';
import { outboxScope } from '../store/keys.ts';
import { issueActionUrl } from '../store/links.ts';
import { getReport, trackUrlOf } from '../store/reports.ts';
import { sendOnce } from '../store/outbox.ts';
import { EffectFailure } from '../domain/effect-failure.ts';
import { ApplicationFailure } from '@temporalio/common';
import { failingPermanently, permanentFailure, setAsideIfRefused } from './permanent-failures.ts';
import { createRoutingActivities } from './case-routing.ts';
import { campusTime, caseMailFacts, handOverNoticeMove } from './case-mail-facts.ts';
import { surveyWithheld } from './survey-recipient.ts';
import { breachOutboxKey, escalationSupervisors } from './escalation-recipients.ts';
import { whileAlive } from './heartbeat.ts';
import { gatherReviewMail } from './review-digest.ts';

export type { EmailKind };

/** How often a case mail's activity heartbeats: well within the workflow's heartbeat timeout. */
const MAIL_HEARTBEAT_MS = 5_000;

export interface EmailRequest {
  caseId: string;
  title: string;
  stage: string;
  round: number;
  kind: EmailKind;
  /** Distinguishes repeated emails of one kind in one stage (reminder 1 and 2, escalation levels). */
  key?: string | undefined;
  /**
   * `admins`: every admin of the directory as loaded when the email goes (a stuck effect's notice).
   * `supervisorsOf`: the supervisors of that building in the directory when the email goes, so a
   * supervisor appointed after the case opened hears of it; `personIds` (the case's pinned
   * supervisors) when the directory no longer has the building or it has none.
   */
  to: {
    personIds?: string[] | undefined;
    reporter?: Reporter | undefined;
    admins?: boolean | undefined;
    supervisorsOf?: string | undefined;
  };
  link?: { step: string; action: string } | undefined;
  /** The deadline the mail is about: stated in it, and its link expires then (at least a day, at most 7). */
  due?: string | undefined;
  /** The deadline of the stage the mail asks its reader to act in: stated in it, the link left at 7 days. */
  stageDue?: string | undefined;
  detail?: string | undefined;
}

export interface EmailResult {
  sent: string[];
  alreadySent: string[];
  unknownRecipients: string[];
  /** A reporter not mailed a survey they may not answer (activities/survey-recipient.ts). */
  withheld?: string[] | undefined;
  /** Supervisors whose review request waits in their digest (window id, and when it ends, ms): not mailed yet. */
  gathered?: { to: string; digest: string; endsAt: number }[] | undefined;
}

/** One transition's effects: its records in order, then its mail. */
export interface TransitionEffects {
  records: AppendInput[];
  mails: EmailRequest[];
}

export interface TransitionResult {
  /** The mails (by index) not sent here, with why: the workflow sends them on the mail queue. */
  deferred: { index: number; reason: string }[];
}

export type { PlanDeadlineInput, PlanDeadlineResult };

export interface ActivityDeps extends AwsDeps {
  signingKeys: SigningKeys;
  publicBaseUrl: string;
  timeZone: string;
  calendarOverrides?: CalendarOverrides | undefined;
  /**
   * The calendar in force when a deadline is planned (the newest version saved on the admin
   * page, else the file): `key` names the version, so each is built once. Without it the
   * fixed `calendarOverrides` are used.
   */
  currentCalendar?:
    | (() => Promise<{ key: string; overrides: CalendarOverrides; file?: CalendarFile | undefined }>)
    | undefined;
  /** Where long audit reads run as jobs put their results (the evidence store's bucket). */
  resultStore?: ResultStore | undefined;
  /** The school's calendar file (terms, holidays), which the duty calendar reads. */
  calendarFile?: CalendarFile | undefined;
  /**
   * How long a supervisor's further review requests are gathered into one digest after one sent
   * at once (REVIEW_DIGEST_WINDOW_MS unless given); 0 mails each at once.
   */
  reviewDigestWindowMs?: number | undefined;
  /** How long one running case may take to take a calendar change (UPDATE_TIMEOUT_MS unless given). */
  calendarUpdateTimeoutMs?: number | undefined;
}

/** The case workflow's activities, built over injected clients. Each is idempotent. */
export function createActivities(deps: ActivityDeps) {
  const fixedCalendar = createCalendar(deps.calendarOverrides);
  const built = new Map<string, WorkingCalendar>();
  const calendarNow = async (): Promise<WorkingCalendar> => {
    if (!deps.currentCalendar) return fixedCalendar;
    const { key, overrides } = await deps.currentCalendar();
    let cal = built.get(key);
    if (!cal) built.set(key, (cal = createCalendar(overrides)));
    return cal;
  };
  const links = {
    ddb: deps.ddb,
    tables: deps.tables,
    keys: deps.signingKeys,
    publicBaseUrl: deps.publicBaseUrl,
  };

  async function planDeadline(input: PlanDeadlineInput): Promise<PlanDeadlineResult> {
    return planWith(input, await calendarNow());
  }

  // Several deadlines from one calendar, as one local activity: the opening plans its clocks and
  // its first stage together, one marker in history instead of one each.
  async function planDeadlines(inputs: PlanDeadlineInput[]): Promise<PlanDeadlineResult[]> {
    const results: PlanDeadlineResult[] = [];
    for (const input of inputs) results.push(await planDeadline(input));
    return results;
  }

  async function recordStep(input: AppendInput): Promise<AppendResult> {
    const result = await failingPermanently(() => appendAudit(deps.ddb, deps.tables, input));
    await tellMergedOfResult([input]);
    return result;
  }

  /**
   * Once a case's result is in (records of `caseResultActions` written), the reporters whose
   * reports were merged into it hear of it: once each (outbox), so a retried activity sends
   * nothing twice. A mail refused for good is set aside and logged rather than holding up the
   * case's records; anything else fails the activity for its retry.
   */
  async function tellMergedOfResult(records: readonly Pick<AppendInput, 'caseId' | 'action'>[]) {
    const resulted = new Set(
      records.filter((r) => (caseResultActions as readonly string[]).includes(r.action)).map((r) => r.caseId),
    );
    for (const caseId of resulted) {
      const failed = await tellMergedReportersOfResult(deps, caseId, {
        keys: deps.signingKeys,
        publicBaseUrl: deps.publicBaseUrl,
      });
      for (const f of failed)
        setAsideIfRefused(
          f.error,
          `[mail] ${caseId}: the result notice of ${f.reportId} was refused for good`,
        );
    }
  }

  // Heartbeats while it runs (the case workflow gives it a heartbeat timeout): a mail to many
  // recipients may take minutes through a slow relay, a worker lost in the middle of it must not.
  async function sendCaseEmail(req: EmailRequest): Promise<EmailResult> {
    return whileAlive(MAIL_HEARTBEAT_MS, () => sendCaseEmailNow(req));
  }

  async function sendCaseEmailNow(req: EmailRequest): Promise<EmailResult> {
    const dir = await loadDirectory(deps.ddb, deps.tables);
    const recipients: { id: string; name: string; email: string; language: Language; trackUrl?: string }[] =
      [];
    const unknown: string[] = [];
    const current = req.to.supervisorsOf
      ? dir?.buildings.find((b) => b.id === req.to.supervisorsOf)?.supervisorIds
      : undefined;
    // A supervisor the case was handed to has the take-over mail, and one who handed it over did it
    // themselves: the supervisors' notice of a hand-over is for the others.
    const handOver = await handOverNoticeMove(deps, req);
    const ids = [...(current && current.length > 0 ? current : (req.to.personIds ?? []))].filter(
      (id) => id !== handOver?.toId && id !== handOver?.byId,
    );
    if (req.to.admins)
      ids.push(...(dir?.people.filter((p) => p.roles.includes('admin')).map((p) => p.id) ?? []));
    // An overdue case reaches the building's supervisors beside the grid, once each per breach.
    const supervisors = await escalationSupervisors(deps, dir, req);
    ids.push(...supervisors.filter((id) => !ids.includes(id)));
    for (const id of ids) {
      const p = dir?.people.find((x) => x.id === id);
      if (p) recipients.push({ id: p.id, name: p.name, email: p.email, language: p.language });
      else unknown.push(id);
    }
    // A reporter who left no email is followed on the report's tracking page only; one who may
    // not rate the case is not asked to (its survey link would refuse them).
    const withheld = await surveyWithheld(deps, dir, req);
    if (req.to.reporter?.email && !withheld) {
      const r = req.to.reporter;
      const email = req.to.reporter.email;
      // A scanned-code reporter follows the report on its tracking page: the mail links it.
      const report = r.reportId ? await getReport(deps, r.reportId) : null;
      const trackUrl = report ? trackUrlOf(links, report) : null;
      // A campus reporter in the directory reads in their own language, anyone else in that of
      // the form they reported in; a scanned-code report's name is the one its reporter left
      // (the case carries a stand-in when they left none).
      const known = dir?.people.find((p) => p.email.toLowerCase() === email.toLowerCase());
      recipients.push({
        id: reporterActorId(r) ?? email,
        name: report ? (report.name ?? '') : r.name,
        email,
        language: r.language ?? reporterLanguage(known?.language, report?.language),
        ...(trackUrl ? { trackUrl } : {}),
      });
    }
    const result: EmailResult = {
      sent: [],
      alreadySent: [],
      unknownRecipients: unknown,
      ...(withheld && req.to.reporter
        ? { withheld: [reporterActorId(req.to.reporter) ?? req.to.reporter.email ?? 'reporter'] }
        : {}),
    };
    const tz = deps.timeZone;
    const due = req.due ?? req.stageDue;
    const dueText = due ? campusTime(due, tz) : undefined;
    const facts = await caseMailFacts(deps, dir, { ...req, handOver });
    // One refused recipient must not keep the others from their mail: they go first, and the
    // refusals end the activity for good once everyone else has theirs.
    const refused: string[] = [];
    for (const r of recipients) {
      const outboxKey = supervisors.includes(r.id)
        ? breachOutboxKey(req, r.id)
        : [req.stage, req.round, req.kind, req.key ?? '-', r.id].join('#');
      // A supervisor's review requests after the first of a window go in one digest at its end.
      const route =
        req.kind === 'review_request' && !req.to.reporter
          ? await gatherReviewMail(
              deps,
              dir,
              { caseId: req.caseId, title: req.title, outboxKey, buildingId: req.to.supervisorsOf, due },
              r.id,
            )
          : undefined;
      if (route?.route === 'digest') {
        // Nothing is mailed yet: the digest's activity records the mail on the case once it goes
        // (or mails the case on its own if the digest cannot go).
        (result.gathered ??= []).push({ to: r.id, digest: route.windowId, endsAt: route.endsAt });
        continue;
      }
      const out = await sendOnce(
        deps,
        { scope: outboxScope.case(req.caseId), key: outboxKey },
        async (prev) => {
          let link = prev.link;
          if (!link && req.link) {
            link = await issueActionUrl(links, {
              caseId: req.caseId,
              step: req.link.step,
              round: req.round,
              recipientId: r.id,
              action: req.link.action,
              expiresAt: req.due,
            });
          }
          const content = renderEmail(r.language, {
            kind: req.kind,
            caseId: req.caseId,
            title: req.title,
            stage: req.stage,
            round: req.round,
            recipientName: r.name,
            dueText,
            detail: req.detail,
            actionUrl: link,
            // A failed automatic step is retried or dismissed on the admins' page, not the case's.
            caseUrl: `${deps.publicBaseUrl.replace(/\/+$/, '')}${req.kind === 'effect_stuck' ? STUCK_EFFECTS_PAGE : casePagePath(req.caseId)}`,
            trackUrl: r.trackUrl,
            ...facts,
          });
          return { to: r.email, ...content, link };
        },
      ).catch((err: unknown) => {
        const permanent = permanentFailure(err);
        if (!permanent) throw err;
        refused.push(`${r.id}: ${permanent.message}`);
        return undefined;
      });
      if (!out) continue;
      if (out.status === 'sent') result.sent.push(r.id);
      else result.alreadySent.push(r.id);
      // On 'already_sent' too: an earlier attempt may have sent the email and then failed to
      // append; the step id makes this a no-op when its entry is already there.
      await recordEmailSent(deps.ddb, deps.tables, req.caseId, out.sentAt, {
        kind: req.kind,
        to: r.id,
        outboxKey,
        messageId: out.messageId,
      });
    }
    if (refused.length > 0)
      throw ApplicationFailure.nonRetryable(
        `mail refused for ${refused.join('; ')}`,
        EffectFailure.EmailRejected,
        { refused: refused.length, sent: result.sent },
      );
    return result;
  }

  /**
   * A transition's effects in one activity: the records first (a record that fails fails the
   * activity, before any mail), then each mail once. A mail that fails here, for a moment or
   * for good, is handed back rather than failing the records' activity: the workflow sends it
   * on the mail queue with that queue's retries and stuck handling, and the outbox keeps a
   * recipient already mailed from being mailed again.
   */
  async function applyTransition(input: TransitionEffects): Promise<TransitionResult> {
    return whileAlive(MAIL_HEARTBEAT_MS, async () => {
      for (const record of input.records)
        await failingPermanently(() => appendAudit(deps.ddb, deps.tables, record));
      const deferred: TransitionResult['deferred'] = [];
      for (const [index, mail] of input.mails.entries()) {
        try {
          await sendCaseEmailNow(mail);
        } catch (err) {
          deferred.push({ index, reason: (err instanceof Error ? err.message : String(err)).slice(0, 300) });
        }
      }
      await tellMergedOfResult(input.records);
      return { deferred };
    });
  }

  // A withdrawn case tells whoever reported it by scanning a code, with the reason (once per report).
  async function tellReporters(input: { caseId: string; reason: string }): Promise<void> {
    await failingPermanently(() =>
      tellReportersOfWithdrawal(deps, input.caseId, input.reason, {
        keys: deps.signingKeys,
        publicBaseUrl: deps.publicBaseUrl,
      }),
    );
  }

  return {
    planDeadline,
    planDeadlines,
    recordStep,
    applyTransition,
    sendCaseEmail,
    tellReporters,
    ...createRoutingActivities(deps, calendarNow),
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
