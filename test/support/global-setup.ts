import type { TestProject } from 'vitest/node';
import { startEphemeralStack, type EphemeralStack } from '../../infra/local/ephemeral.ts';

export type StackInfo = EphemeralStack;

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

/** Starts the real servers once for the whole stack project, on free ports, and stops them after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { stack, stop } = await startEphemeralStack('test');
  project.provide('stack', stack);
  return stop;
}
