import { Context } from '@temporalio/activity';

/**
 * Tells Temporal a long activity is alive. Outside an activity (the offline
 * CLI, benchmarks calling the functions directly) there is nobody to tell, so
 * the same code serves both.
 */
export function heartbeat(details: unknown): void {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return;
  }
  ctx.heartbeat(details);
}
