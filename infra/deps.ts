import { Client, Connection } from '@temporalio/client';
import type { ActivityDeps } from '../activities/index.ts';
import type { AppDeps } from '../api/deps.ts';
import type { SigningKeys } from '../domain/link-token.ts';
import { createAwsDeps, type AwsDeps } from '../store/clients.ts';
import { evidenceClient } from '../store/evidence.ts';
import { ConfigError, parseEnv, type Env } from './config.ts';
import { temporalConnectionOptions, type TemporalConnectionOptions } from './temporal-connection.ts';

/**
 * The composition root: every entry point (npm start, the worker, the API
 * process, the Lambda, the CLIs) turns its parsed environment into its
 * dependencies here and nowhere else. Each piece is built on first use and
 * once per process: the AWS clients at once (they connect lazily), the
 * Temporal client when asked for. Nothing here imports @temporalio/worker,
 * so the Lambda bundle stays free of the worker's native runtime; the worker
 * entries open their NativeConnection from `temporal.connection`.
 */
export interface Deps {
  env: Env;
  aws: AwsDeps;
  temporal: {
    /** How to reach Temporal (TLS, API key or mTLS as configured): for Connection and NativeConnection alike. */
    connection: TemporalConnectionOptions;
    namespace: string;
    taskQueue: string;
    /** The process's one Temporal client, connected on first use. */
    client(): Promise<Client>;
  };
  /** What the worker's activities need; a ConfigError when signing keys or the public base URL are missing. */
  activityDeps(): ActivityDeps;
  /** What the HTTP app needs: the same AWS clients and the one Temporal client. */
  appDeps(extra?: Pick<AppDeps, 'mailboxUrl' | 'extraActions'>): Promise<AppDeps>;
  /** Closes the Temporal connection (if opened) and the AWS clients. */
  close(): Promise<void>;
}

/** The link-signing keys, which every deployed process needs (only `npm start` generates its own). */
export function requireSigningKeys(env: Env): SigningKeys {
  if (!env.LINK_SIGNING_KEYS)
    throw new ConfigError(
      'Invalid configuration:\n  LINK_SIGNING_KEYS: required (sst secret set LinkSigningKeys \'{"current":"k1","keys":{"k1":"…"}}\')',
    );
  return env.LINK_SIGNING_KEYS;
}

function requirePublicBaseUrl(env: Env): string {
  if (!env.PUBLIC_BASE_URL)
    throw new ConfigError(
      'Invalid configuration:\n  PUBLIC_BASE_URL: required (the base of links in emails and pages)',
    );
  return env.PUBLIC_BASE_URL;
}

/** Every dependency of a process, from its parsed environment. */
export function buildDeps(env: Env, opts: { awsMaxAttempts?: number } = {}): Deps {
  const aws = createAwsDeps(env, { maxAttempts: opts.awsMaxAttempts });
  let connection: Promise<Connection> | undefined;
  let client: Promise<Client> | undefined;
  const temporalClient = (): Promise<Client> => {
    connection ??= Connection.connect(temporalConnectionOptions(env)).catch((err: unknown) => {
      // A failed connect (Temporal not up yet) is tried again by the next caller.
      connection = undefined;
      client = undefined;
      throw err;
    });
    client ??= connection.then((c) => new Client({ connection: c, namespace: env.TEMPORAL_NAMESPACE }));
    return client;
  };
  return {
    env,
    aws,
    temporal: {
      // Worked out when asked for, so a process that never talks to Temporal (the audit CLI) ignores its settings.
      get connection() {
        return temporalConnectionOptions(env);
      },
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      client: temporalClient,
    },
    activityDeps: () => ({
      ...aws,
      signingKeys: requireSigningKeys(env),
      publicBaseUrl: requirePublicBaseUrl(env),
      timeZone: env.CAMPUS_TZ,
      resultStore: { client: evidenceClient(env), bucket: env.EVIDENCE_BUCKET },
      reviewDigestWindowMs: env.REVIEW_DIGEST_MINUTES * 60_000,
    }),
    async appDeps(extra = {}) {
      const signingKeys = requireSigningKeys(env);
      const publicBaseUrl = requirePublicBaseUrl(env);
      return {
        env,
        aws,
        temporal: await temporalClient(),
        signingKeys,
        jwtSecret: env.JWT_SECRET,
        publicBaseUrl,
        temporalUiUrl: env.TEMPORAL_UI_URL,
        ...extra,
      };
    },
    async close() {
      const open = connection;
      connection = undefined;
      client = undefined;
      if (open) await open.then((c) => c.close()).catch(() => undefined);
      aws.ddb.destroy();
      aws.ses.destroy();
      aws.smtp?.close();
    },
  };
}

/**
 * Parses an environment and builds its dependencies. `fallbackBaseUrl` is the
 * address the process was reached at (the Lambda's function URL), used when
 * PUBLIC_BASE_URL is not configured.
 */
export function depsFromEnvironment(
  source: Record<string, string | undefined> = process.env,
  fallbackBaseUrl?: string,
): Deps {
  return buildDeps(parseEnv({ ...source, PUBLIC_BASE_URL: source.PUBLIC_BASE_URL || fallbackBaseUrl }));
}
