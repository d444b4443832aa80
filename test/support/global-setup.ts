import type { TestProject } from 'vitest/node';
import { ensureTimeSkippingServer } from '../../infra/local/tools.ts';
import {
  ensureTables,
  freePort,
  localDynamo,
  startDynamoLocal,
  startSesEmulator,
  startTemporalDev,
  type RunningServer,
} from '../../infra/local/servers.ts';

export interface StackInfo {
  temporalAddress: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  timeSkippingServer: string;
  tables: { cases: string; audit: string; directory: string; ops: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

/** Starts the real servers once for the whole stack project, on free ports, and stops them after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: RunningServer[] = [];
  const teardown = async () => {
    await Promise.allSettled(started.reverse().map((s) => s.stop()));
  };
  try {
    const timeSkippingServer = await ensureTimeSkippingServer();
    const [dynamo, ses, temporal] = await Promise.all([
      freePort().then((port) => startDynamoLocal({ port })),
      freePort().then((port) => startSesEmulator({ port })),
      Promise.all([freePort(), freePort()]).then(([port, uiPort]) =>
        startTemporalDev({ port, uiPort, namespace: 'default' }),
      ),
    ]);
    started.push(dynamo, ses, temporal);
    const tables = { cases: 'test-cases', audit: 'test-audit', directory: 'test-directory', ops: 'test-ops' };
    const client = localDynamo(dynamo.url);
    await ensureTables(client, tables);
    client.destroy();
    project.provide('stack', {
      temporalAddress: temporal.url,
      dynamoEndpoint: dynamo.url,
      sesEndpoint: ses.url,
      timeSkippingServer,
      tables,
    });
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
