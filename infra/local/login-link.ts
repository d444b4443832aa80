import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadDirectory } from '../../store/directory.ts';
import { LOGIN_LINK_SECONDS, issueLoginLink } from '../../store/sessions.ts';
import { ConfigError, parseEnv } from '../config.ts';
import { quietSdkNodeVersionNotice } from './quiet.ts';
import { localDynamoEndpoint } from './dynamo-endpoint.ts';

/**
 * `npm run --silent login-link -- <personId>`: prints a one-time sign-in URL
 * (`<PUBLIC_BASE_URL>/login/link/<token>`, and nothing else on stdout) for a
 * person of the directory the running `npm start` loaded: for demos and tests.
 * The token is stored hashed in the ops table, works once and expires in
 * minutes. Refused in production, where people sign in with the school account.
 */
class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = 'usage: npm run --silent login-link -- <personId>';

async function main(): Promise<void> {
  quietSdkNodeVersionNotice();
  if (process.env.RECTIFY_MODE === 'production') {
    throw new UsageError(
      'npm run login-link makes local development sign-in links only and is refused when RECTIFY_MODE=production: sign in with the school account (OIDC_ISSUER) instead.',
    );
  }
  const args = process.argv.slice(2);
  const personId = args[0];
  if (args.length !== 1 || !personId || personId.startsWith('-')) throw new UsageError(USAGE);
  const env = parseEnv();
  const endpoint = env.DYNAMODB_ENDPOINT ?? localDynamoEndpoint();
  const ddb = new DynamoDBClient({
    region: env.AWS_REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const tables = {
    cases: env.TABLE_CASES,
    audit: env.TABLE_AUDIT,
    directory: env.TABLE_DIRECTORY,
    ops: env.TABLE_OPS,
  };
  try {
    // The link lives in the running app's table: without it there is nothing to sign in to.
    const dir = await loadDirectory(ddb, tables, true).catch((err: unknown) => {
      throw new UsageError(
        `cannot reach DynamoDB at ${endpoint} (${err instanceof Error ? err.message : String(err)}): start the app with npm start first`,
      );
    });
    if (!dir)
      throw new UsageError(`no campus directory is loaded in DynamoDB at ${endpoint}: run npm start first`);
    if (!dir.people.some((p) => p.id === personId)) {
      const examples = dir.people
        .slice(0, 8)
        .map((p) => `${p.id} (${p.roles.join(', ')})`)
        .join(', ');
      throw new UsageError(`no person ${personId} in the campus directory; for example: ${examples}`);
    }
    const { token } = await issueLoginLink({ ddb, tables }, personId);
    const base = env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`;
    process.stdout.write(`${new URL(`/login/link/${token}`, base).href}\n`);
    process.stderr.write(
      `one-time sign-in link for ${personId}, valid for ${LOGIN_LINK_SECONDS / 60} minutes / 一次性登录链接，${LOGIN_LINK_SECONDS / 60} 分钟内有效\n`,
    );
  } finally {
    ddb.destroy();
  }
}

main().catch((err: unknown) => {
  const known = err instanceof UsageError || err instanceof ConfigError;
  process.stderr.write(
    `${known ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(known ? 2 : 1);
});
