import type { Client } from '@temporalio/client';
import type { AwsDeps } from '../store/clients.ts';
import type { LinkClaims, SigningKeys } from '../domain/link-token.ts';
import type { Env } from '../infra/config.ts';

/** What the API needs, built once per process and injected: never a connection per request. */
export interface AppDeps {
  env: Env;
  aws: AwsDeps;
  temporal: Client;
  signingKeys: SigningKeys;
  /** HS256 secret for locally issued bearer tokens (local mode). */
  jwtSecret?: string | undefined;
  publicBaseUrl: string;
  /** Where people look: linked from pages and the health report. */
  temporalUiUrl: string;
  mailboxUrl?: string | undefined;
  /** Extra link actions by step name (weekly acknowledgements, department follow-ups...). */
  extraActions?: Record<string, ActionHandler> | undefined;
}

/**
 * A kind of one-click email link other than the case's own steps (e.g. a
 * weekly digest acknowledgement). The action page looks handlers up by the
 * token's `step` claim: GET renders `describe`, POST calls `perform`.
 */
export interface ActionHandler {
  /** The statement the person is asked to sign, in both languages, plus a summary. */
  describe(claims: LinkClaims): Promise<{
    title: { zh: string; en: string };
    summary: { zh: string; en: string };
    statement: { zh: string; en: string };
    /** An optional text field on the page (its label): what the person writes comes to `perform` as `note`. */
    note?: { label: { zh: string; en: string } } | undefined;
  } | null>;
  /** Does the act; `textHash` is the hash of the statement shown. Throws ProblemError for refusals. */
  perform(
    claims: LinkClaims,
    evidence: {
      at: string;
      ip?: string | undefined;
      userAgent?: string | undefined;
      textHash: string;
      /** Who was signed in to the app on the browser, when not the link's recipient. */
      sessionPersonId?: string | undefined;
      /** What the person wrote in the page's optional field (`describe`'s `note`). */
      note?: string | undefined;
    },
  ): Promise<{ message: { zh: string; en: string }; next?: NextStep | undefined }>;
}

/** Where the person goes after a link's act, when their next work is elsewhere (the case page). */
export interface NextStep {
  href: string;
  label: { zh: string; en: string };
}
