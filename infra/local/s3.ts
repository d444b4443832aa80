import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketCorsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { RunningServer, TrackServer } from './servers.ts';
import { spawnTied } from './tied-spawn.ts';
import { ensureVersityGw } from './tools.ts';

/** The keys the local S3 server's single account signs with. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Fresh keys: every local server gets its own, never a well-known pair. */
export function newS3Credentials(): S3Credentials {
  return {
    accessKeyId: `RECTIFY${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}

/**
 * The keys of the data folder's S3 server, generated on the first `npm start` and kept beside
 * its objects (not inside them: every folder in the server's root is a bucket).
 */
export function localS3Credentials(dataDir: string): S3Credentials {
  const file = path.join(dataDir, 's3-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as S3Credentials;
  mkdirSync(dataDir, { recursive: true });
  const fresh = newS3Credentials();
  try {
    writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return JSON.parse(readFileSync(file, 'utf8')) as S3Credentials;
  }
  return fresh;
}

export interface S3ServerOptions {
  port: number;
  /** The POSIX backend's root: one folder per bucket, one file per object. */
  root: string;
  credentials: S3Credentials;
  /** The region requests are signed for (the app's AWS_REGION). */
  region: string;
  log?: (line: string) => void;
  track?: TrackServer;
}

export interface RunningS3 extends RunningServer {
  credentials: S3Credentials;
  region: string;
}

function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A client for the local server (path-style: a bucket is not a host name on localhost). */
export function localS3Client(url: string, credentials: S3Credentials, region: string): S3Client {
  return new S3Client({
    endpoint: url,
    region,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** VersityGW on loopback with its POSIX backend under `root`; healthy once it answers a signed request. */
export async function startS3Server(opts: S3ServerOptions): Promise<RunningS3> {
  const bin = await ensureVersityGw();
  mkdirSync(opts.root, { recursive: true });
  const { child, argv } = spawnTied(
    bin,
    ['--port', `127.0.0.1:${opts.port}`, '--region', opts.region, '--quiet', 'posix', opts.root],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The root keys go through the environment, not argv, so `ps` doesn't show them.
      env: {
        ...process.env,
        ROOT_ACCESS_KEY_ID: opts.credentials.accessKeyId,
        ROOT_SECRET_ACCESS_KEY: opts.credentials.secretAccessKey,
      },
    },
  );
  const log = opts.log ?? (() => {});
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`[s3] ${line}`);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const url = `http://127.0.0.1:${opts.port}`;
  const server: RunningS3 = {
    name: 's3',
    url,
    credentials: opts.credentials,
    region: opts.region,
    stop: () => stopChild(child),
    process: child.pid ? { pid: child.pid, argv } : undefined,
  };
  opts.track?.(server);
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const client = localS3Client(url, opts.credentials, opts.region);
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (exited !== null) throw new Error(`VersityGW exited (code ${exited}) before it became healthy`);
      const ok = await client.send(new ListBucketsCommand({})).then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error('VersityGW did not become healthy within 60s');
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    await stopChild(child);
    throw err;
  } finally {
    client.destroy();
  }
  return server;
}

/**
 * Creates the evidence bucket when absent and lets browsers PUT and GET with the presigned URLs
 * the API hands out. Any origin: locally the page's origin varies with PORT, and the signature
 * in each URL, not CORS, is what grants access.
 */
export async function ensureEvidenceBucket(s3: RunningS3, bucket: string): Promise<boolean> {
  const client = localS3Client(s3.url, s3.credentials, s3.region);
  try {
    let created = false;
    const exists = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(
      () => true,
      () => false,
    );
    if (!exists) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        created = true;
      } catch (err) {
        if (!(err instanceof BucketAlreadyOwnedByYou)) throw err;
      }
    }
    await client.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: ['*'],
              AllowedMethods: ['PUT', 'GET', 'HEAD'],
              AllowedHeaders: ['content-type'],
              ExposeHeaders: ['ETag'],
              MaxAgeSeconds: 600,
            },
          ],
        },
      }),
    );
    return created;
  } finally {
    client.destroy();
  }
}
