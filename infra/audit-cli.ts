import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { exportPeriod, periodBounds, type ExportFormat } from '../audit/export.ts';
import { verifyAll, verifyCase } from '../audit/verify.ts';
import { getCaseRecord } from '../store/case-records.ts';
import type { AwsDeps } from '../store/clients.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { auditAnchorScheduleSpec } from '../workflows/audit-anchor/schedule.ts';
import { triggerAnchor } from './anchor-trigger.ts';
import { ConfigError, parseEnv } from './config.ts';
import { buildDeps } from './deps.ts';
import { localDynamoEndpoint } from './local/dynamo-endpoint.ts';

/**
 * The auditors' offline tool: reads the tables directly (the environment
 * names them, as for the worker), no API or Temporal needed.
 *
 *   npm run audit -- export --from 2026-03-01 --to 2026-03-31 [--building bldg-a] [--format json|csv] [--out file]
 *   npm run audit -- verify [--case ZG-2026-000123] [--json]
 *   npm run audit -- anchor [--schedule rectify-audit-anchor]
 *
 * `anchor` is the one command that needs Temporal: it runs the anchor schedule now, so that a run
 * of the anchor workflow stands behind the sealed row as behind the nightly ones (a row written
 * straight to the table would be reported as forged by every verify that asks Temporal).
 *
 * Without DYNAMODB_ENDPOINT or any AWS credentials it reads the local stack's tables (`npm start`).
 *
 * Exit codes: 0 all intact, 1 problems found, 2 bad usage or configuration, or no store to read.
 */
const USAGE = `usage:
  npm run audit -- export --from <date|instant> --to <date|instant> [--building <id>] [--format json|csv] [--out <file>]
  npm run audit -- verify [--case <caseId>] [--json]
  npm run audit -- anchor [--schedule <scheduleId>]   (needs Temporal: runs the anchor schedule now)
dates are campus days (CAMPUS_TZ); --to is inclusive for a date, exclusive for an instant`;

class UsageError extends Error {}

const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

async function exportCommand(deps: AwsDeps, tz: string, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      building: { type: 'string' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (!values.from || !values.to) throw new UsageError('export needs --from and --to');
  for (const [name, v] of [
    ['--from', values.from],
    ['--to', values.to],
  ] as const) {
    if (!DATE_OR_INSTANT.test(v) || Number.isNaN(Date.parse(v))) {
      throw new UsageError(`${name} must be a date (2026-03-01) or an ISO instant, got ${v}`);
    }
  }
  if (values.format !== 'json' && values.format !== 'csv') {
    throw new UsageError(`--format must be json or csv, got ${values.format}`);
  }
  const period = periodBounds(values.from, values.to, tz);
  if (period.from >= period.to) throw new UsageError('--from must be before --to');
  const pieces = exportPeriod(
    deps,
    { ...period, buildingId: values.building, format: values.format as ExportFormat, timeZone: tz },
    new Date().toISOString(),
  );
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  await pipeline(Readable.from(pieces), out, { end: values.out !== undefined });
  if (values.out) process.stderr.write(`wrote ${values.out}\n`);
  return 0;
}

async function verifyCommand(deps: AwsDeps, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { case: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.case) {
    const record = await getCaseRecord(deps.ddb, deps.tables, values.case);
    const result = await verifyCase(deps, values.case, { hasRecord: record !== null });
    if (!record && result.count === 0 && result.anchor === null) {
      throw new UsageError(`no record or audit trail for case ${values.case}`);
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`${values.case}: ${result.ok ? 'intact' : describeProblem(result)}\n`);
    return result.ok ? 0 : 1;
  }
  let ok = false;
  for await (const e of verifyAll(deps)) {
    if (values.json) process.stdout.write(`${JSON.stringify(e)}\n`);
    if (e.type === 'start') {
      const a = e.anchor;
      process.stderr.write(
        a
          ? `latest anchor #${a.seq} (${a.at}, ${a.caseCount} cases): chain ${a.chain.ok ? 'intact' : 'BROKEN'}, heads ${a.heads.ok ? 'match the root' : `BAD: ${a.heads.detail}`}\n`
          : 'no anchor yet: chains are checked on their own\n',
      );
      process.stderr.write(`checking ${e.total} cases\n`);
    } else if (e.type === 'progress') {
      process.stderr.write(`  ${e.checked}/${e.total} checked, ${e.problems} with problems\n`);
    } else if (e.type === 'case') {
      if (!values.json) process.stdout.write(`${e.caseId}: ${describeProblem(e)}\n`);
    } else {
      ok = e.ok;
      process.stderr.write(
        `${e.checked} cases: ${e.intact} intact, ${e.broken.length} broken, ${e.missing.length} missing, ${e.rewritten.length} rewritten, ${e.notAnchored} not yet anchored\n`,
      );
    }
  }
  return ok ? 0 : 1;
}

async function anchorCommand(client: Client, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { schedule: { type: 'string', default: auditAnchorScheduleSpec().scheduleId } },
    strict: true,
  });
  const scheduleId = values.schedule;
  try {
    const r = await triggerAnchor(client, scheduleId, {
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    const c = r.findings.counts;
    process.stderr.write(
      `anchor #${r.seq} sealed over ${r.caseCount} cases: ${c.missing} missing, ${c.rewritten} rewritten, ${c.broken} broken\n`,
    );
    return c.missing + c.rewritten + c.broken === 0 ? 0 : 1;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError)
      throw new UsageError(
        `there is no schedule ${scheduleId}: create the schedules first (npm run schedules)`,
      );
    throw err;
  }
}

function describeProblem(r: {
  broken: { seq: number; problem: string; expected: string; found: string } | null;
  anchor: { status: string; seq: number; hash: string; found: { seq: number; hash: string } | null } | null;
  anchorProblem?: string | undefined;
}): string {
  const parts: string[] = [];
  // The chain can be whole while the anchor that vouches for it is not: say so, never an empty line.
  if (r.anchorProblem) parts.push(`ANCHOR: ${r.anchorProblem}`);
  if (r.broken) {
    parts.push(
      `broken at entry ${r.broken.seq} (${r.broken.problem}): expected ${r.broken.expected}, found ${r.broken.found}`,
    );
  }
  if (r.anchor?.status === 'missing')
    parts.push(`MISSING: anchored at entry ${r.anchor.seq}, no entries now`);
  if (r.anchor?.status === 'rewritten') {
    parts.push(
      `REWRITTEN: anchored entry ${r.anchor.seq} had hash ${r.anchor.hash}, now ${r.anchor.found ? `entry ${r.anchor.found.seq} has ${r.anchor.found.hash}` : 'absent'}`,
    );
  }
  return parts.join('; ');
}

/**
 * Where the tables are. Beside `npm start` (local mode, no DYNAMODB_ENDPOINT, and the SDK's own
 * chain finds no credentials: variables, profiles, SSO, web identity, container or instance role)
 * it is the local stack, said once on stderr; otherwise what the environment names.
 */
async function tablesAt(env: ReturnType<typeof parseEnv>): Promise<ReturnType<typeof parseEnv>> {
  if (env.DYNAMODB_ENDPOINT || env.RECTIFY_MODE === 'production') return env;
  const probe = new DynamoDBClient({ region: env.AWS_REGION });
  try {
    await probe.config.credentials();
    return env;
  } catch {
    // No credentials anywhere: the auditor is beside `npm start`, as `npm run token` assumes.
  } finally {
    probe.destroy();
  }
  const endpoint = localDynamoEndpoint();
  process.stderr.write(
    `reading the local stack's tables at ${endpoint} (npm start; set DYNAMODB_ENDPOINT or AWS credentials for others)\n`,
  );
  return { ...env, DYNAMODB_ENDPOINT: endpoint };
}

/** A store that cannot be reached or signed in to: a line saying which and what to do, not a stack. */
class StoreUnreachable extends Error {}
function unreachable(err: unknown, env: ReturnType<typeof parseEnv>): StoreUnreachable | null {
  const e = err as { code?: string; name?: string; errors?: { code?: string }[] };
  const where = env.DYNAMODB_ENDPOINT ?? `DynamoDB in ${env.AWS_REGION}`;
  if (e.code === 'ECONNREFUSED' || e.errors?.some((x) => x.code === 'ECONNREFUSED'))
    return new StoreUnreachable(
      `cannot reach ${where}: start the local stack (npm start) or set DYNAMODB_ENDPOINT`,
    );
  if (e.name === 'CredentialsProviderError')
    return new StoreUnreachable(
      `no AWS credentials to read ${where}: set AWS_PROFILE or AWS_ACCESS_KEY_ID (or DYNAMODB_ENDPOINT=${localDynamoEndpoint()} for the local stack)`,
    );
  return null;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const env = await tablesAt(parseEnv());
  const built = buildDeps(env);
  const deps = built.aws;
  try {
    switch (command) {
      case 'export':
        return await exportCommand(deps, env.CAMPUS_TZ, rest);
      case 'verify':
        return await verifyCommand(deps, rest);
      case 'anchor':
        return await anchorCommand(await built.temporal.client(), rest);
      default:
        throw new UsageError(command ? `unknown command ${command}` : 'no command given');
    }
  } catch (err) {
    throw unreachable(err, env) ?? err;
  } finally {
    await built.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (
      err instanceof UsageError ||
      err instanceof ConfigError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`${(err as Error).message}\n${err instanceof ConfigError ? '' : USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof StoreUnreachable) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
