import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import { NativeConnection } from '@temporalio/worker';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { createApp } from '../../api/app.ts';
import type { AppDeps } from '../../api/deps.ts';
import { listen } from '../../api/server.ts';
import { depsFromEnvironment } from '../../infra/deps.ts';
import { stackVariables } from '../../infra/local/ephemeral.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { freePort } from '../../infra/local/servers.ts';
import { bundleWorkflows, createWorker, type RectifyWorker } from '../../infra/worker.ts';
import { issueLoginLink } from '../../store/sessions.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import {
  seedDemo,
  sentEmails,
  TEST_SIGNING_KEYS,
  testDeps,
  uniqueId,
  type StoredEmail,
} from '../support/stack.ts';
import { CHROMIUM } from './chromium-setup.ts';

/**
 * The whole app as a person meets it: the real stack (Temporal, DynamoDB, SES
 * and S3 from the global setup), a worker, and the HTTP app listening on a
 * free port that the emails link back to; Debian's chromium drives it.
 */
export interface WebStack {
  baseUrl: string;
  deps: AppDeps;
  activityDeps: ActivityDeps;
  browser: Browser;
  stop(): Promise<void>;
}

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;
export const SCREENSHOTS = path.join(projectRoot, 'docs/screenshots');

export async function startWebStack(): Promise<WebStack> {
  const port = await freePort();
  // Browsers send cookies to localhost over plain http; the emails link to the same origin.
  const baseUrl = `http://localhost:${port}`;
  const source = {
    ...stackVariables(inject('stack')),
    LINK_SIGNING_KEYS: JSON.stringify(TEST_SIGNING_KEYS),
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
    PUBLIC_BASE_URL: baseUrl,
    TEMPORAL_TASK_QUEUE: uniqueId('browser-tq'),
  };
  const deps = await depsFromEnvironment(source).appDeps();
  const activityDeps = testDeps(deps.env);
  const [, bundle, nativeConnection] = await Promise.all([
    seedDemo(activityDeps),
    bundleWorkflows(),
    NativeConnection.connect({ address: inject('stack').temporalAddress }),
  ]);
  const worker: RectifyWorker = await createWorker({
    connection: nativeConnection,
    namespace: deps.env.TEMPORAL_NAMESPACE,
    taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
    deps: activityDeps,
    bundle,
  });
  const running = worker.run();
  const server: ServerType = await listen(createApp(deps), port, '127.0.0.1');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    baseUrl,
    deps,
    activityDeps,
    browser,
    async stop() {
      await browser.close().catch(() => undefined);
      await new Promise<void>((r) => server.close(() => r()));
      worker.shutdown();
      await running;
      await deps.temporal.connection.close();
      await nativeConnection.close();
    },
  };
}

/** A browser context (its own cookies) with a viewport: one person on one device. */
export async function deviceFor(
  s: WebStack,
  viewport: { width: number; height: number },
  opts: { acceptDownloads?: boolean } = {},
): Promise<BrowserContext> {
  return s.browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: opts.acceptDownloads ?? false,
    ...(viewport.width < 600 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } : {}),
  });
}

/** Signs a person in through a one-time sign-in link (what `npm run login-link` prints). */
export async function signIn(s: WebStack, page: Page, personId: string): Promise<void> {
  const { token } = await issueLoginLink(s.deps.aws, personId);
  await page.goto(`${s.baseUrl}/login/link/${token}`);
  await page.waitForURL((u) => u.pathname.startsWith('/app'));
}

/** The serious and critical accessibility violations axe-core finds on the page, as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Writes docs/screenshots/<name>-<desktop|phone>.png of the whole page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const kind = (page.viewportSize()?.width ?? 1280) < 600 ? 'phone' : 'desktop';
  // CSS pixels: the same size whatever the device's pixel ratio, so the committed files stay small.
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}-${kind}.png`),
    fullPage: true,
    scale: 'css',
  });
}

/**
 * How far the page is wider than the window (a phone page must not scroll sideways). Measured
 * against the layout viewport (the root's clientWidth): on a phone (`isMobile`) Chromium zooms
 * out to fit wider content, and `window.innerWidth` grows with it, so it would always read 0.
 */
export const sidewaysOverflow = async (page: Page): Promise<number> =>
  Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));

/** Waits for an email the worker sends shortly after a step. */
export async function waitForEmail(
  filter: (e: StoredEmail) => boolean,
  timeoutMs = 30_000,
): Promise<StoredEmail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = (await sentEmails(filter)).at(-1);
    if (last) return last;
    if (Date.now() > deadline) throw new Error('no matching email arrived in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The action link in an email (to this app's origin). */
export function actionLink(email: StoredEmail, baseUrl: string): string {
  const escaped = baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}/actions/[A-Za-z0-9._-]+`).exec(email.text);
  if (!m) throw new Error(`no action link in: ${email.subject}`);
  return m[0];
}
