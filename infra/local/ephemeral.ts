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
  const stop = async () => {
    await Promise.allSettled(started.reverse().map((s) => s.stop()));
  };
  try {
    const timeSkippingServer = await ensureTimeSkippingServer();
    const parts = await Promise.allSettled([
      freePort().then((port) => startDynamoLocal({ port })),
      freePort().then((port) => startSesEmulator({ port })),
      Promise.all([freePort(), freePort()]).then(([port, uiPort]) =>
        startTemporalDev({ port, uiPort, namespace: 'default' }),
      ),
    ]);
    for (const p of parts) if (p.status === 'fulfilled') started.push(p.value);
    const failed = parts.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed) throw failed.reason;
    const [dynamo, ses, temporal] = started as [RunningServer, RunningServer, RunningServer];
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
    DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
    SES_ENDPOINT: stack.sesEndpoint,
    TABLE_CASES: stack.tables.cases,
    TABLE_AUDIT: stack.tables.audit,
    TABLE_DIRECTORY: stack.tables.directory,
    TABLE_OPS: stack.tables.ops,
  };
}
