import type { Client } from '@temporalio/client';
import type { AwsDeps } from '../activities/clients.ts';
import type { SigningKeys } from '../domain/link-token.ts';
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
}
