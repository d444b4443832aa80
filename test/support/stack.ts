import { readFile } from 'node:fs/promises';
import { stackVariables } from '../../infra/local/ephemeral.ts';
import path from 'node:path';
import { inject } from 'vitest';
import { createAwsDeps } from '../../store/clients.ts';
import { evidenceClient } from '../../store/evidence.ts';
import { saveDirectory } from '../../store/directory.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import { validateDirectory } from '../../domain/directory-schema.ts';
import type { Directory } from '../../domain/directory.ts';
import { parseEnv, type Env } from '../../infra/config.ts';
import { projectRoot } from '../../infra/local/paths.ts';

export const TEST_SIGNING_KEYS = {
  current: 'k2',
  keys: { k1: 'test-secret-one-0123456789abcdef0123', k2: 'test-secret-two-0123456789abcdef0123' },
};

/** The environment the test stack runs on (what `npm start` would set, on the test ports). */
export function testEnv(extra: Record<string, string> = {}): Env {
  const stack = inject('stack');
  return parseEnv({
    ...stackVariables(stack),
    LINK_SIGNING_KEYS: JSON.stringify(TEST_SIGNING_KEYS),
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
    PUBLIC_BASE_URL: 'http://rectify.test',
    // The tests' requests stand for ones through one load balancer (they set X-Forwarded-For).
    TRUSTED_PROXY_HOPS: '1',
    ...extra,
  });
}

/** The four tables named after `prefix`: a test file's own, so what it writes reaches no other test. */
export const ownTables = (prefix: string) => ({
  TABLE_CASES: `${prefix}-cases`,
  TABLE_AUDIT: `${prefix}-audit`,
  TABLE_DIRECTORY: `${prefix}-directory`,
  TABLE_OPS: `${prefix}-ops`,
});

export function testDeps(env: Env = testEnv()): ActivityDeps {
  return {
    ...createAwsDeps(env),
    signingKeys: TEST_SIGNING_KEYS,
    publicBaseUrl: env.PUBLIC_BASE_URL ?? 'http://rectify.test',
    timeZone: env.CAMPUS_TZ,
    resultStore: { client: evidenceClient(env), bucket: env.EVIDENCE_BUCKET },
    // Tests read each case's own review request; those of the digest set their window themselves.
    reviewDigestWindowMs: 0,
  };
}

export async function demoDirectory(): Promise<Directory> {
  const raw = JSON.parse(
    await readFile(path.join(projectRoot, 'infra/local/demo-campus.json'), 'utf8'),
  ) as unknown;
  const r = validateDirectory(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.directory;
}

/** Loads the demo campus into the shared test tables (idempotent: same rows every time). */
export async function seedDemo(deps: ActivityDeps): Promise<Directory> {
  const dir = await demoDirectory();
  await saveDirectory(deps.ddb, deps.tables, dir);
  return dir;
}

export interface StoredEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Everything the SES emulator holds, read back from its JSON store. */
export async function sentEmails(filter?: (e: StoredEmail) => boolean): Promise<StoredEmail[]> {
  const res = await fetch(`${inject('stack').sesEndpoint}/store`);
  const body = (await res.json()) as {
    emails: { destination: { to: string[] }; subject: string; body: { text?: string; html?: string } }[];
  };
  const all = body.emails.map((e) => ({
    to: e.destination.to,
    subject: e.subject,
    text: e.body.text ?? '',
    html: e.body.html ?? '',
  }));
  return filter ? all.filter(filter) : all;
}

export const uniqueId = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** A case number in the counter's format (ZG-year-digits), unique to this run: the API refuses any other id. */
export const uniqueCaseNumber = () =>
  `ZG-2099-${String(Date.now()).slice(-8)}${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}`;
