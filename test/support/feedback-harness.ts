import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Client } from '@temporalio/client';
import { caseRecordItem } from '../../store/case-record-item.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import { checkLink, consumeLink } from '../../store/links.ts';
import type { AppDeps } from '../../api/deps.ts';
import { feedbackActionHandlers } from '../../api/feedback-link-actions.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { textHash } from '../../domain/link-token.ts';
import { sentEmails, testEnv, TEST_SIGNING_KEYS, type StoredEmail } from './stack.ts';

/** Writes case records straight into the cases table, as the case workflow's recordStep would. */
export async function putCases(deps: ActivityDeps, views: CaseView[]): Promise<void> {
  for (const v of views) {
    await deps.ddb.send(new PutItemCommand({ TableName: deps.tables.cases, Item: caseRecordItem(v) }));
  }
}

export function appDepsFor(deps: ActivityDeps, temporal: Client): AppDeps {
  const env = testEnv();
  return {
    env,
    aws: deps,
    temporal,
    signingKeys: TEST_SIGNING_KEYS,
    jwtSecret: env.JWT_SECRET,
    publicBaseUrl: deps.publicBaseUrl,
    temporalUiUrl: env.TEMPORAL_UI_URL,
  };
}

/** The action URLs in an email's text, in order. */
export const linksIn = (text: string): string[] =>
  [...text.matchAll(/https?:\/\/\S+\/actions\/(\S+)/g)].map((m) => m[1] as string);

/** The link after the line naming `caseId` (department emails list one link per case). */
export function linkForCase(text: string, caseId: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(caseId));
  const token = linksIn(lines[i + 1] ?? '')[0];
  if (i < 0 || !token) throw new Error(`no link for ${caseId} in:\n${text}`);
  return token;
}

/**
 * Clicks a feedback link as the action page does: verify, show the statement,
 * consume the link, perform. Returns the handler's message.
 */
export async function clickFeedbackLink(deps: AppDeps, token: string): Promise<string> {
  const linkDeps = { ddb: deps.aws.ddb, tables: deps.aws.tables, keys: deps.signingKeys };
  const check = await checkLink(linkDeps, token);
  if (!check.ok) throw new Error(`link refused: ${check.reason}`);
  const handler = feedbackActionHandlers(deps)[check.claims.step];
  if (!handler) throw new Error(`no handler for ${check.claims.step}`);
  const shown = await handler.describe(check.claims);
  if (!shown) throw new Error('handler does not know this link');
  const hash = textHash(`${shown.statement.zh}\n${shown.statement.en}`);
  const at = new Date().toISOString();
  if (!(await consumeLink(linkDeps, check.claims.tid, { at, textHash: hash })))
    throw new Error('link already used');
  const done = await handler.perform(check.claims, { at, textHash: hash });
  return done.message.en;
}

/** Emails whose subject mentions the week, by recipient. */
export async function weekMails(week: string, tag?: string): Promise<StoredEmail[]> {
  return sentEmails((e) => e.subject.includes(week) && (tag === undefined || e.subject.includes(tag)));
}

export const recipients = (mails: StoredEmail[]) => mails.flatMap((m) => m.to).sort();
