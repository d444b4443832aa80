import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureEvidenceBucket, newS3Credentials, startS3Server, type S3Credentials } from './s3.ts';
import { ensureTimeSkippingServer } from './tools.ts';
import {
  ensureTables,
  freePort,
  localDynamo,
  startDynamoLocal,
  startSesEmulator,
  startTemporalDev,
  type RunningServer,
} from './servers.ts';

export interface EphemeralStack {
  temporalAddress: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  s3: { endpoint: string; bucket: string; region: string; credentials: S3Credentials };
  timeSkippingServer: string;
  tables: { cases: string; audit: string; directory: string; ops: string };
}

/**
 * The real servers, in memory, on free ports: what the tests and the
 * benchmarks run against. Stops whatever started if any part fails.
 */
export async function startEphemeralStack(
  prefix = 'test',
): Promise<{ stack: EphemeralStack; stop: () => Promise<void> }> {
  const started: RunningServer[] = [];
  // The S3 server's objects live in a folder of their own, removed with the stack.
  const s3Root = await mkdtemp(path.join(tmpdir(), `rectify-${prefix}-s3-`));
  const stop = async () => {
    await Promise.allSettled(started.reverse().map((s) => s.stop()));
    await rm(s3Root, { recursive: true, force: true });
  };
  try {
    const timeSkippingServer = await ensureTimeSkippingServer();
    const parts = await Promise.allSettled([
      freePort().then((port) => startDynamoLocal({ port })),
      freePort().then((port) => startSesEmulator({ port })),
      Promise.all([freePort(), freePort()]).then(([port, uiPort]) =>
        startTemporalDev({ port, uiPort, namespace: 'default' }),
      ),
      freePort().then((port) =>
        startS3Server({ port, root: s3Root, credentials: newS3Credentials(), region: 'ap-east-1' }),
      ),
    ]);
    for (const p of parts) if (p.status === 'fulfilled') started.push(p.value);
    const failed = parts.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed) throw failed.reason;
    const [dynamo, ses, temporal] = started as [RunningServer, RunningServer, RunningServer];
    if (parts[3].status !== 'fulfilled') throw new Error('the S3 server did not start');
    const s3 = parts[3].value;
    const evidenceBucket = `${prefix}-evidence`;
    await ensureEvidenceBucket(s3, evidenceBucket);
    const tables = {
      cases: `${prefix}-cases`,
      audit: `${prefix}-audit`,
      directory: `${prefix}-directory`,
      ops: `${prefix}-ops`,
    };
    const client = localDynamo(dynamo.url);
    await ensureTables(client, tables);
    client.destroy();
    return {
      stack: {
        temporalAddress: temporal.url,
        dynamoEndpoint: dynamo.url,
        sesEndpoint: ses.url,
        s3: { endpoint: s3.url, bucket: evidenceBucket, region: s3.region, credentials: s3.credentials },
        timeSkippingServer,
        tables,
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The environment variables that point the app at an ephemeral stack (before parseEnv). */
export function stackVariables(stack: EphemeralStack): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: stack.temporalAddress,
    // The dev server speaks plaintext only; production-mode tests against it must say they accept that.
    TEMPORAL_ALLOW_PLAINTEXT: 'true',
    DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
    SES_ENDPOINT: stack.sesEndpoint,
    S3_ENDPOINT: stack.s3.endpoint,
    EVIDENCE_BUCKET: stack.s3.bucket,
    S3_ACCESS_KEY_ID: stack.s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: stack.s3.credentials.secretAccessKey,
    TABLE_CASES: stack.tables.cases,
    TABLE_AUDIT: stack.tables.audit,
    TABLE_DIRECTORY: stack.tables.directory,
    TABLE_OPS: stack.tables.ops,
  };
}
