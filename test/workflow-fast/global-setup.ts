import type { TestProject } from 'vitest/node';
import { freePort, startTemporalDev } from '../../infra/local/servers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    fastTemporalAddress: string;
  }
}

/**
 * The fast tier's one server: the Temporal CLI dev server, in memory, on free ports, with
 * the case's search attributes. No Java, Maven, DynamoDB or SES: activities are stubs.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [port, uiPort] = await Promise.all([freePort(), freePort()]);
  const server = await startTemporalDev({ port, uiPort, namespace: 'default' });
  project.provide('fastTemporalAddress', server.url);
  return () => server.stop();
}
