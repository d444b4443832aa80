import { createHash } from 'node:crypto';
import { SAFETY_LIMIT_FACTOR } from '../domain/intake.ts';
import { rateWindow, reportOfSubmission, type Report, type ReportDeps } from '../store/reports.ts';

const HOUR = 3600;
/** How long a second submission of a form waits for the first one's report, and how often it looks. */
const FIRST_WAIT_MS = 15_000;
const FIRST_POLL_MS = 250;

/** A limit a scanned-code report ran into: per client address or per place, for safety reports or the others. */
export interface IntakeLimit {
  scope: 'address' | 'place';
  safety: boolean;
  /** Reports an hour it keeps. */
  max: number;
}

/**
 * The hourly windows scanned-code reports are counted in: per client address and per place, and
 * for safety-hazard reports windows of their own, SAFETY_LIMIT_FACTOR times as large, so that no
 * other report uses up a safety report's allowance.
 */
export function intakeLimits(
  aws: ReportDeps,
  o: { address: string; placeCode: string; perAddress: number; perPlace: number },
) {
  const windows = (safety: boolean) => {
    const factor = safety ? SAFETY_LIMIT_FACTOR : 1;
    // The ordinary scopes are the ones counted before safety reports had their own.
    const prefix = safety ? 'safety-' : '';
    return [
      { scope: 'address', max: o.perAddress * factor, scopeKey: `${prefix}addr:${o.address}` },
      { scope: 'place', max: o.perPlace * factor, scopeKey: `${prefix}place:${o.placeCode}` },
    ].map(({ scope, max, scopeKey }) => ({
      limit: { scope, safety, max } as IntakeLimit,
      window: rateWindow(aws, scopeKey, max, HOUR),
    }));
  };
  return {
    /** The first limit of the class already used up (a read that counts nothing), or null. */
    async spent(safety: boolean): Promise<IntakeLimit | null> {
      for (const w of windows(safety)) if (await w.window.spent()) return w.limit;
      return null;
    },
    /** Counts a report about to be kept: the first limit it went over (and was not kept under), or null. */
    async count(safety: boolean): Promise<IntakeLimit | null> {
      for (const w of windows(safety)) if (!(await w.window.count())) return w.limit;
      return null;
    },
  };
}

/**
 * The submissions of one report form within a clock hour: the first counts against the limits, a
 * second (a double tap sends the form twice at once) waits for the first's report instead of
 * counting again. A submission that ends without a report says so, so a later one (the form sent
 * again after a correction or a refusal) does not wait for a report that will not come.
 */
export function formSubmissions(aws: ReportDeps, submissionKey: string) {
  // The key finds the report's tracking page (`reportOfSubmission`): stored hashed, as the store does.
  const hash = createHash('sha256').update(submissionKey).digest('base64url');
  const claim = rateWindow(aws, `form:${hash}`, 1, HOUR);
  const unkept = rateWindow(aws, `form-unkept:${hash}`, 1, HOUR);
  return {
    /** Whether this is the form's first submission this hour (and so the one that counts). */
    first: (): Promise<boolean> => claim.count(),
    /** A submission of the form ended without a report. */
    async endedUnkept(): Promise<void> {
      await unkept.count();
    },
    /**
     * The report the form's first submission kept, waited for while it is being kept; null once a
     * submission ended without one or the wait ran out (this one then counts and keeps its own).
     */
    async reportOfFirst(placeCode: string): Promise<Report | null> {
      const until = Date.now() + FIRST_WAIT_MS;
      for (;;) {
        const first = await reportOfSubmission(aws, submissionKey, placeCode);
        if (first) return first;
        if ((await unkept.spent()) || Date.now() >= until) return null;
        await new Promise((r) => setTimeout(r, FIRST_POLL_MS));
      }
    },
  };
}
