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

/**
 * Runs `fn` heartbeating every `everyMs` until it ends, so that a heartbeat timeout says the
 * worker is gone (killed, cut off), never that one call was slow: a slow mail relay is bounded
 * by its own timeouts, a lost worker is noticed within the heartbeat timeout. The SDK throttles
 * the heartbeats it sends to the server, so a short interval costs nothing. Outside an activity
 * it just runs `fn`.
 */
export async function whileAlive<T>(everyMs: number, fn: () => Promise<T>): Promise<T> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return fn();
  }
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
