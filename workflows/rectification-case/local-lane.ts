/**
 * A case's local activities, one in flight at a time (LEAN_EFFECTS_PATCH).
 *
 * Live, each local activity resolves in an activation of its own as it finishes; on replay,
 * the SDK resolves every local activity recorded in one workflow task together. Two in flight
 * at once would wake their callers in one order live and maybe another on replay, and the
 * commands those callers issue next would then not match history. One at a time, each
 * resolution is alone in its activation both ways.
 */
export class LocalLane {
  private tail: Promise<unknown> = Promise.resolve();

  /** `fn`, queued behind every local activity asked for before it. */
  wrap<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return (...args) => {
      const next = this.tail.then(() => fn(...args));
      this.tail = next.catch(() => undefined);
      return next;
    };
  }
}
