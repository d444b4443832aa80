import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { cacheDir, projectRoot } from './paths.ts';

/** Pinned versions: bump here and the cache key changes with them. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const VERSITYGW_VERSION = 'v1.8.0';
export const JAVA_SERVERS = {
  'temporal-test-server': '1.38.0',
  'dynamodb-local': '2.6.1',
} as const;
type JavaServer = keyof typeof JAVA_SERVERS;

export class MissingPrerequisite extends Error {
  override name = 'MissingPrerequisite';
}

type Progress = (line: string) => void;
const defaultProgress: Progress = (line) => process.stderr.write(`[setup] ${line}\n`);

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function requireTool(cmd: string, hint: string): string {
  const found = onPath(cmd);
  if (!found) throw new MissingPrerequisite(`${cmd} is missing: ${hint}`);
  return found;
}

/** Runs a command, echoing a heartbeat so a long first build never looks hung. */
function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; label: string },
  progress: Progress,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const beat = setInterval(
      () => progress(`${opts.label}: still working (${Math.round((Date.now() - started) / 1000)}s)`),
      15_000,
    );
    child.on('error', (err) => {
      clearInterval(beat);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(beat);
      if (code === 0) resolve();
      else reject(new Error(`${opts.label} failed (exit ${code}):\n${tail}`));
    });
  });
}

/**
 * The Temporal CLI: $TEMPORAL_CLI_PATH, else a `temporal` on PATH, else the
 * cached build, else `go install` it (minutes the first time, from the Go
 * module proxy only).
 */
export async function ensureTemporalCli(progress: Progress = defaultProgress): Promise<string> {
  const given = process.env.TEMPORAL_CLI_PATH;
  if (given) {
    if (!existsSync(given)) throw new MissingPrerequisite(`TEMPORAL_CLI_PATH=${given} does not exist`);
    return given;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const binDir = path.join(cacheDir(), 'temporal-cli', TEMPORAL_CLI_VERSION);
  const bin = path.join(binDir, 'temporal');
  if (existsSync(bin)) return bin;
  const go = requireTool(
    'go',
    'install Go >= 1.25 (https://go.dev/doc/install or apt-get install golang) and retry',
  );
  const goVersion = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const m = /^go(\d+)\.(\d+)/.exec(goVersion);
  if (m && (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 25))) {
    throw new MissingPrerequisite(
      `Go >= 1.25 is needed to build the Temporal CLI (found ${goVersion}): upgrade Go, or set TEMPORAL_CLI_PATH to a temporal binary`,
    );
  }
  progress(
    `building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first time only, takes minutes)…`,
  );
  const staging = `${binDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await run(
    go,
    ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`],
    { env: { GOBIN: staging }, label: 'go install temporal' },
    progress,
  );
  rmSync(binDir, { recursive: true, force: true });
  renameSync(staging, binDir);
  progress(`Temporal CLI ready: ${bin}`);
  return bin;
}

/**
 * VersityGW, the S3-compatible server that holds evidence locally: $VERSITYGW_PATH, else a
 * `versitygw` on PATH, else the cached build, else `go install` it (a few minutes the first time,
 * from the Go module proxy only). It checks SigV4 signatures, so the type and size a presigned
 * upload was signed for are really enforced.
 */
export async function ensureVersityGw(progress: Progress = defaultProgress): Promise<string> {
  const given = process.env.VERSITYGW_PATH;
  if (given) {
    if (!existsSync(given)) throw new MissingPrerequisite(`VERSITYGW_PATH=${given} does not exist`);
    return given;
  }
  const fromPath = onPath('versitygw');
  if (fromPath) return fromPath;
  const binDir = path.join(cacheDir(), 'versitygw', VERSITYGW_VERSION);
  const bin = path.join(binDir, 'versitygw');
  if (existsSync(bin)) return bin;
  const go = requireTool(
    'go',
    'install Go >= 1.25 (https://go.dev/doc/install or apt-get install golang) and retry, or set VERSITYGW_PATH',
  );
  const goVersion = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const m = /^go(\d+)\.(\d+)/.exec(goVersion);
  if (m && Number(m[1]) === 1 && Number(m[2]) < 25) {
    throw new MissingPrerequisite(
      `Go >= 1.25 is needed to build VersityGW (found ${goVersion}): upgrade Go, or set VERSITYGW_PATH to a versitygw binary`,
    );
  }
  progress(
    `building VersityGW ${VERSITYGW_VERSION} (S3 server) with go install (first time only, takes minutes)…`,
  );
  const staging = `${binDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await run(
    go,
    ['install', `github.com/versity/versitygw/cmd/versitygw@${VERSITYGW_VERSION}`],
    // A module install ignores any go.work or vendor folder around the cache.
    { env: { GOBIN: staging, GOFLAGS: '-mod=mod' }, label: 'go install versitygw' },
    progress,
  );
  rmSync(binDir, { recursive: true, force: true });
  renameSync(staging, binDir);
  progress(`VersityGW ready: ${bin}`);
  return bin;
}

/** The jar folder (and native-library folder) of one pinned Java server, fetched from Maven Central. */
export async function ensureJavaServer(
  name: JavaServer,
  progress: Progress = defaultProgress,
): Promise<{ java: string; jars: string; nativeLib: string }> {
  const java = requireTool('java', 'install Java 17 (apt-get install openjdk-17-jre-headless) and retry');
  const dir = path.join(cacheDir(), name, JAVA_SERVERS[name]);
  const jars = path.join(dir, 'jars');
  const nativeLib = path.join(dir, 'native');
  if (existsSync(path.join(dir, '.complete'))) return { java, jars, nativeLib };
  const mvn = requireTool('mvn', 'install Maven (apt-get install maven) and retry');
  progress(`fetching ${name} ${JAVA_SERVERS[name]} from Maven Central…`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(nativeLib, { recursive: true });
  await run(
    mvn,
    [
      '-q',
      '-B',
      '-f',
      path.join(projectRoot, 'infra/local/maven/pom.xml'),
      '-P',
      name,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${jars}`,
    ],
    { label: `mvn ${name}` },
    progress,
  );
  // DynamoDB Local looks for sqlite4java's native library by its plain name.
  for (const file of readdirSync(jars)) {
    const m =
      /^(libsqlite4java-linux-amd64|libsqlite4java-linux-aarch64|libsqlite4java-osx)-[\d.]+\.(so|dylib)$/.exec(
        file,
      );
    if (m) copyFileSync(path.join(jars, file), path.join(nativeLib, `${m[1]}.${m[2]}`));
  }
  writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
  progress(`${name} ready`);
  return { java, jars, nativeLib };
}

/** A script the Temporal SDK can start as its time-skipping test server (it passes the port as the first argument). */
export async function ensureTimeSkippingServer(progress: Progress = defaultProgress): Promise<string> {
  const { java, jars } = await ensureJavaServer('temporal-test-server', progress);
  const script = path.join(
    cacheDir(),
    'temporal-test-server',
    JAVA_SERVERS['temporal-test-server'],
    'time-skipping-server.sh',
  );
  writeFileSync(
    script,
    `#!/bin/sh\nexec "${java}" -Xms64m -Xmx512m -cp '${jars}/*' io.temporal.testserver.TestServer "$1" --enable-time-skipping\n`,
  );
  chmodSync(script, 0o755);
  return script;
}

/** Everything the local stack and the tests need. */
export async function ensureAllTools(progress: Progress = defaultProgress): Promise<void> {
  await ensureJavaServer('dynamodb-local', progress);
  await ensureTimeSkippingServer(progress);
  await ensureTemporalCli(progress);
  await ensureVersityGw(progress);
}
