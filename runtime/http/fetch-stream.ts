// Streaming request bodies for the fetch transport (fetch.ts), loaded on first use: only a
// call whose body is a web stream or an async iterable (an S3 upload from a stream) needs
// it, so a bundle whose bodies are bytes, text or Blobs never carries it. The body streams
// with `duplex: "half"` where the platform supports request streams (probed once), else it
// is read whole first. A failure of the caller's source is reported through `onSourceError`
// (fetch only sees a cancelled stream) so the transport can name it. The module imports
// nothing: a lazily loaded module that shared the transport's modules would split those into
// chunks of their own, each gzipped apart, and the initial load would grow.

let requestStreams: boolean | undefined;

function supportsRequestStreams(): boolean {
  if (requestStreams !== undefined) return requestStreams;
  try {
    let duplexAccessed = false;
    const init = {
      method: "POST",
      body: new ReadableStream(),
      get duplex() {
        duplexAccessed = true;
        return "half";
      },
    };
    const hasContentType = new Request("http://localhost/", init as RequestInit).headers.has("content-type");
    requestStreams = duplexAccessed && !hasContentType;
  } catch {
    requestStreams = false;
  }
  return requestStreams;
}

function sourceStream(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>,
  onSourceError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<Uint8Array | string> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= source instanceof ReadableStream ? readerIterator(source) : source[Symbol.asyncIterator]();
        let next: IteratorResult<Uint8Array | string>;
        try {
          next = await iterator.next();
        } catch (error) {
          onSourceError(error);
          throw error;
        }
        if (next.done) controller.close();
        else controller.enqueue(typeof next.value === "string" ? encoder.encode(next.value) : next.value);
      },
      async cancel() {
        await iterator?.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A web stream's reader as an iterator: the lock is released once the stream ends or fails,
 * and return() (our stream cancelled) cancels the caller's stream.
 */
function readerIterator(stream: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = stream.getReader();
  return {
    async next() {
      try {
        const result = await reader.read();
        if (result.done) reader.releaseLock();
        return result as IteratorResult<Uint8Array>;
      } catch (error) {
        reader.releaseLock();
        throw error;
      }
    },
    async return() {
      await reader.cancel().catch(() => {});
      reader.releaseLock();
      return { done: true, value: undefined };
    },
  };
}

/** The whole stream as bytes (a stream error rejects). */
async function drain(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * What fetch gets for a stream body: the stream itself (`streaming`: send it with
 * `duplex: "half"`), or its bytes read whole where request streams are not supported.
 */
export async function streamRequestBody(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>,
  onSourceError: (error: unknown) => void,
): Promise<{ body: ReadableStream<Uint8Array> | Uint8Array; streaming: boolean }> {
  const stream = sourceStream(source, onSourceError);
  return supportsRequestStreams() ? { body: stream, streaming: true } : { body: await drain(stream), streaming: false };
}
