import type { Context } from 'hono';

/**
 * Sends a document built piece by piece as the browser reads it, the way the
 * export API does: the first piece is read before answering, so a failure to
 * start is still a proper error page rather than a broken download.
 */
export async function streamPieces(
  c: Context,
  pieces: AsyncGenerator<string>,
  headers: Record<string, string>,
): Promise<Response> {
  const first = await pieces.next();
  const encoder = new TextEncoder();
  let pending: string | undefined = first.done ? undefined : first.value;
  let finished = first.done ?? false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending !== undefined) {
        controller.enqueue(encoder.encode(pending));
        pending = undefined;
        return;
      }
      if (finished) {
        controller.close();
        return;
      }
      try {
        const next = await pieces.next();
        if (next.done) {
          finished = true;
          controller.close();
        } else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        console.error('streamed response failed midway', err);
        controller.error(err);
      }
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
  return c.body(body, 200, headers);
}
