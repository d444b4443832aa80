import path from 'node:path';
import { loadDirectory, readDirectoryFile } from '../../store/directory.ts';
import { issueLocalToken } from '../../api/auth.ts';
import { roles, type Directory, type Role } from '../../domain/directory.ts';
import { ConfigError, parseEnv } from '../config.ts';
import { buildDeps } from '../deps.ts';
import { dataDir, projectRoot } from './paths.ts';
import { quietSdkNodeVersionNotice } from './quiet.ts';
import { localSecrets } from './secrets.ts';
import { localDynamoEndpoint } from './dynamo-endpoint.ts';

/**
 * `npm run --silent token -- <personId>` or `-- --role <role>`: prints a local
 * bearer token (and nothing else on stdout) for a person of the directory the
 * running `npm start` loaded, so `TOKEN=$(npm run --silent token -- sup-wang)`
 * works. Reads the directory from the local DynamoDB, or from the directory
 * file when DynamoDB isn't up. Refused in production mode, where tokens come
 * from the school's identity provider.
 */
class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = 'usage: npm run --silent token -- <personId>   |   npm run --silent token -- --role <role>';

function parseArgs(argv: string[]): { personId?: string; role?: Role } {
  const [first, second, ...rest] = argv;
  if (!first || first === '--help' || first === '-h' || rest.length > 0) throw new UsageError(USAGE);
  if (first === '--role') {
    if (!second || !(roles as readonly string[]).includes(second))
      throw new UsageError(`--role needs one of: ${roles.join(', ')}\n${USAGE}`);
    return { role: second as Role };
  }
  if (second !== undefined) throw new UsageError(USAGE);
  return { personId: first };
}

async function directory(env: ReturnType<typeof parseEnv>): Promise<{ dir: Directory; from: string }> {
  const endpoint = env.DYNAMODB_ENDPOINT ?? localDynamoEndpoint();
  // One quick try: when the local stack is down we read the file instead.
  const deps = buildDeps({ ...env, DYNAMODB_ENDPOINT: endpoint }, { awsMaxAttempts: 1 });
  try {
    const dir = await loadDirectory(deps.aws.ddb, deps.aws.tables, true);
    if (dir) return { dir, from: `DynamoDB at ${endpoint}` };
  } catch {
    // Not running, or no tables yet: fall through to the file `npm start` would load.
  } finally {
    await deps.close();
  }
  const file = process.env.RECTIFY_DIRECTORY_FILE || path.join(projectRoot, 'infra/local/demo-campus.json');
  return { dir: await readDirectoryFile(file), from: file };
}

async function main(): Promise<void> {
  quietSdkNodeVersionNotice();
  if (process.env.RECTIFY_MODE === 'production') {
    throw new UsageError(
      'npm run token issues local development tokens only and is refused when RECTIFY_MODE=production: use a token from the school identity provider (JWKS_URL).',
    );
  }
  const want = parseArgs(process.argv.slice(2));
  const env = parseEnv();
  const { dir, from } = await directory(env);
  const person = want.personId
    ? dir.people.find((p) => p.id === want.personId)
    : dir.people.find((p) => want.role !== undefined && p.roles.includes(want.role));
  if (!person) {
    const what = want.personId ? `person ${want.personId}` : `person with role ${want.role}`;
    const examples = dir.people
      .slice(0, 8)
      .map((p) => `${p.id} (${p.roles.join(', ')})`)
      .join(', ');
    throw new UsageError(`no ${what} in the directory (read from ${from}); for example: ${examples}`);
  }
  const secret = env.JWT_SECRET ?? localSecrets(dataDir()).jwtSecret;
  process.stdout.write(`${await issueLocalToken(secret, person.id)}\n`);
}

main().catch((err: unknown) => {
  const known = err instanceof UsageError || err instanceof ConfigError;
  process.stderr.write(
    `${known ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(known ? 2 : 1);
});
