/**
 * Signed read links to a weekly report, carried by the summary emails so a
 * supervisor can open the page without a bearer token.
 *
 * They ride on the action-link token format (domain/link-token.ts) but, unlike
 * action links, are never stored and never used up: reading changes nothing,
 * so signature and expiry are all there is to check here. Whether the
 * recipient may still read that building is the API's question, asked on
 * every open.
 *
 * Pure module (node:crypto through link-token.ts, so not for workflow code):
 * callers pass the clock and the randomness source.
 */
import { isValidIsoWeek } from './digest.ts';
import {
  MAX_TTL_SECONDS,
  signLinkToken,
  verifyLinkToken,
  type SigningKeys,
  type VerifyFailure,
} from './link-token.ts';

export const REPORT_VIEW_STEP = 'report_view';
export const REPORT_VIEW_ACTION = 'view';

/** A week's report of one building, or of the whole campus without buildingId. */
export interface ReportScope {
  week: string;
  buildingId?: string | undefined;
}

// Directory ids may be "all" but never contain "*" (directory-schema.ts), so the campus cannot be mistaken for a building.
const CAMPUS = '*';
const SCOPE_ID = /^report:(\d{4}-W\d{2}):(.+)$/;

/** `report:<week>:<buildingId>`, or `report:<week>:*` for the campus: the token's caseId claim. */
export function reportScopeId(scope: ReportScope): string {
  return `report:${scope.week}:${scope.buildingId ?? CAMPUS}`;
}

export function parseReportScope(id: string): ReportScope | null {
  const m = SCOPE_ID.exec(id);
  if (!m?.[1] || !m[2] || !isValidIsoWeek(m[1])) return null;
  return m[2] === CAMPUS ? { week: m[1] } : { week: m[1], buildingId: m[2] };
}

export interface ReportLinkInput {
  scope: ReportScope;
  recipientId: string;
  now: Date;
  /** Defaults to, and is capped at, the 7 days link-token.ts allows. */
  ttlSeconds?: number | undefined;
}

/** The token of a report read link. */
export function signReportLink(
  input: ReportLinkInput,
  keys: SigningKeys,
  randomBytes: (n: number) => Uint8Array,
): { token: string; expiresAt: string } {
  const iat = Math.floor(input.now.getTime() / 1000);
  const exp = iat + Math.max(1, Math.min(input.ttlSeconds ?? MAX_TTL_SECONDS, MAX_TTL_SECONDS));
  const { token } = signLinkToken(
    {
      caseId: reportScopeId(input.scope),
      step: REPORT_VIEW_STEP,
      action: REPORT_VIEW_ACTION,
      round: 0,
      recipientId: input.recipientId,
      iat,
      exp,
    },
    keys,
    randomBytes,
  );
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** Where the link opens: `<base>/reports/<token>`. */
export const reportLinkPath = (token: string) => `/reports/${token}`;

/** The full URL the summary email carries for one recipient. */
export function reportLinkUrl(
  publicBaseUrl: string,
  input: ReportLinkInput,
  keys: SigningKeys,
  randomBytes: (n: number) => Uint8Array,
): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${reportLinkPath(signReportLink(input, keys, randomBytes).token)}`;
}

export type ReportLinkCheck =
  | { ok: true; scope: ReportScope; recipientId: string; expiresAt: string }
  | { ok: false; reason: VerifyFailure };

/**
 * Signature and expiry, then the claims' shape: a genuine token of another
 * kind (an acknowledgement link, say) is `malformed` here, so an action link
 * never opens a report and a report link never acts (it is not in the link store).
 */
export function verifyReportLink(token: string, keys: SigningKeys, nowSeconds: number): ReportLinkCheck {
  const v = verifyLinkToken(token, keys, nowSeconds);
  if (!v.ok) return v;
  const { claims } = v;
  const scope = parseReportScope(claims.caseId);
  if (
    !scope ||
    claims.step !== REPORT_VIEW_STEP ||
    claims.action !== REPORT_VIEW_ACTION ||
    claims.round !== 0
  ) {
    return { ok: false, reason: 'malformed' };
  }
  return {
    ok: true,
    scope,
    recipientId: claims.recipientId,
    expiresAt: new Date(claims.exp * 1000).toISOString(),
  };
}
