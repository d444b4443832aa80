import { issueLocalToken } from '../../api/auth.ts';
import { roles, type Role } from '../../domain/directory.ts';
import { ConfigError, parseEnv } from '../config.ts';
import { dataDir } from './paths.ts';
import { quietSdkNodeVersionNotice } from './quiet.ts';
import { localSecrets } from './secrets.ts';
import { runningDirectory } from './running-directory.ts';

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

async function main(): Promise<void> {
  quietSdkNodeVersionNotice();
  if (process.env.RECTIFY_MODE === 'production') {
    throw new UsageError(
      'npm run token issues local development tokens only and is refused when RECTIFY_MODE=production: use a token from the school identity provider (JWKS_URL).',
    );
  }
  const want = parseArgs(process.argv.slice(2));
  const env = parseEnv();
  const { dir, from } = await runningDirectory(env);
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
