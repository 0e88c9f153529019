// Response bodies and request-body helpers shared by both transports.
//
// A ResponseBody is read once, in the form the caller asks for. Two implementations:
// - NodeStreamBody wraps a node Readable (the IncomingMessage) structurally, so this file
//   imports nothing from node and still runs in browsers. transformToByteArray collects 'data'
//   events with module-level listeners (no closures) and joins them with one copy (none for
//   a single chunk); chunks are exposed as plain Uint8Array views, never Buffers. An 'error'
//   listener is attached at once, so an unread body that fails never raises an unhandled
//   'error' event, and a later read reports the failure.
// - WebStreamBody wraps a web ReadableStream (fetch); an optional watch lets the fetch handler
//   arm an idle timer around each pending read.
// Failures while reading are mapped by the transport's `mapError` (a reset or truncation
// becomes NetworkError, our own timeout/abort errors pass through), so a read never hangs
// on a dead connection and never surfaces a raw platform error. A body that closes without
// its end and without an error also rejects, so no reader waits forever.
import { concatBytes, fromUtf8, toBase64, toHex, utf8 } from "../encoding.js";
import { NetworkError, TsawsError } from "../errors.js";
import type { RequestBody, ResponseBody } from "./types.js";

/** Maps a platform failure seen while reading a body to a TsawsError. */
export type BodyErrorMapper = (error: unknown) => TsawsError;

/** The default mapper: TsawsErrors pass through, anything else becomes a NetworkError with its system code. */
export function toNetworkError(error: unknown, context?: string): TsawsError {
  if (error instanceof TsawsError) return error;
  const code = errorCode(error);
  const message = describe(error);
  return new NetworkError(
    `${context ? `${context}: ` : ""}${code && !message.includes(code) ? `${code} ` : ""}${message}`,
    code !== undefined ? { cause: error, code } : { cause: error },
  );
}

/** An error's message followed by its causes' ("fetch failed: read ECONNRESET"). */
export function describe(error: unknown): string {
  let text = error instanceof Error ? error.message : String(error);
  let e: unknown = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    if (e.message && !text.includes(e.message)) text += `: ${e.message}`;
  }
  return text;
}

/** The system error code of an error or of its causes (`ECONNRESET`, `UND_ERR_SOCKET`...). */
export function errorCode(error: unknown): string | undefined {
  for (
    let e = error, depth = 0;
    e && typeof e === "object" && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
  }
  return undefined;
}

function alreadyRead(): TsawsError {
  return new TsawsError("The response body has already been read; a body can be read only once.");
}

/** Bytes as text in `encoding` (utf-8 by default; also base64, hex, or any TextDecoder label). */
export function decode(bytes: Uint8Array, encoding: string | undefined): string {
  const enc = encoding ? encoding.toLowerCase() : "utf-8";
  if (enc === "utf-8" || enc === "utf8") return fromUtf8(bytes);
  if (enc === "base64") return toBase64(bytes);
  if (enc === "hex") return toHex(bytes);
  return new TextDecoder(enc).decode(bytes);
}

/** A Buffer (or any Uint8Array subclass) as a plain Uint8Array view, without copying. */
function view(chunk: Uint8Array | string): Uint8Array {
  if (typeof chunk === "string") return utf8(chunk);
  return chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** The parts of a node Readable (IncomingMessage) that NodeStreamBody uses. */
export interface NodeReadableLike extends AsyncIterable<Uint8Array | string> {
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(error?: Error): unknown;
  readonly readableEnded: boolean;
  readonly destroyed: boolean;
}

const kError = Symbol("tsaws.bodyError");

/** Keeps the first stream error, so an unread body never throws an unhandled 'error' and a later read reports it. */
function recordError(this: { [kError]?: Error }, error: Error): void {
  this[kError] ??= error;
}

function closedError(stream: NodeReadableLike): Error {
  return (stream as { [kError]?: Error })[kError] ?? new NetworkError("The response body closed before it ended.");
}

const kCollector = Symbol("tsaws.collector");

/** The state of one transformToByteArray; its listeners are module-level (`this` = the stream), no closures. */
class Collector {
  readonly chunks: Uint8Array[] = [];
  readonly mapError: BodyErrorMapper;
  readonly promise: Promise<Uint8Array>;
  resolve!: (bytes: Uint8Array) => void;
  reject!: (error: unknown) => void;
  settled = false;

  constructor(mapError: BodyErrorMapper) {
    this.mapError = mapError;
    this.promise = new Promise<Uint8Array>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(this.mapError(error));
  }
}

interface Collecting {
  [kCollector]: Collector;
}

function collectData(this: Collecting, chunk: Uint8Array): void {
  this[kCollector].chunks.push(chunk);
}

function collectEnd(this: Collecting): void {
  const c = this[kCollector];
  if (c.settled) return;
  c.settled = true;
  const chunks = c.chunks;
  // One plain Uint8Array: a view of a single chunk, else one copy (never a Buffer).
  c.resolve(chunks.length === 0 ? new Uint8Array(0) : chunks.length === 1 ? view(chunks[0]!) : concatBytes(chunks));
}

function collectError(this: Collecting, error: Error): void {
  this[kCollector].fail(error);
}

function collectClose(this: Collecting & NodeReadableLike): void {
  // 'close' without 'end' and without 'error' must not leave the reader waiting.
  if (!this.readableEnded) this[kCollector].fail(closedError(this));
}

/** A ResponseBody over a node Readable such as http.IncomingMessage. */
export class NodeStreamBody implements ResponseBody {
  #stream: NodeReadableLike;
  #mapError: BodyErrorMapper;
  #used = false;

  constructor(stream: NodeReadableLike, mapError: BodyErrorMapper = toNetworkError) {
    this.#stream = stream;
    this.#mapError = mapError;
    stream.on("error", recordError);
  }

  #take(): NodeReadableLike {
    if (this.#used) throw alreadyRead();
    this.#used = true;
    return this.#stream;
  }

  transformToByteArray(): Promise<Uint8Array> {
    let stream: NodeReadableLike;
    try {
      stream = this.#take();
    } catch (err) {
      return Promise.reject(err);
    }
    if (stream.readableEnded) return Promise.resolve(new Uint8Array(0));
    if (stream.destroyed) return Promise.reject(this.#mapError(closedError(stream)));
    const collector = new Collector(this.#mapError);
    (stream as unknown as Collecting)[kCollector] = collector;
    stream.on("data", collectData);
    stream.on("end", collectEnd);
    stream.on("error", collectError);
    stream.on("close", collectClose);
    return collector.promise;
  }

  async transformToString(encoding?: string): Promise<string> {
    return decode(await this.transformToByteArray(), encoding);
  }

  transformToWebStream(): ReadableStream<Uint8Array> {
    const stream = this.#take();
    const mapError = this.#mapError;
    let done = false;
    let onData: (chunk: Uint8Array) => void;
    let onEnd: () => void;
    let onError: (error: Error) => void;
    let onClose: () => void;
    const cleanup = (): void => {
      done = true;
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
      stream.removeListener("error", onError);
      stream.removeListener("close", onClose);
    };
    return new ReadableStream<Uint8Array>(
      {
        start(controller) {
          onData = (chunk) => {
            controller.enqueue(view(chunk));
            if ((controller.desiredSize ?? 0) <= 0) stream.pause();
          };
          onEnd = () => {
            cleanup();
            controller.close();
          };
          onError = (error) => {
            cleanup();
            controller.error(mapError(error));
          };
          onClose = () => {
            if (done || stream.readableEnded) return;
            cleanup();
            controller.error(mapError(closedError(stream)));
          };
          if (stream.readableEnded) {
            done = true;
            controller.close();
            return;
          }
          if (stream.destroyed) {
            done = true;
            controller.error(mapError(closedError(stream)));
            return;
          }
          stream.on("data", onData);
          stream.on("end", onEnd);
          stream.on("error", onError);
          stream.on("close", onClose);
        },
        pull() {
          if (!done) stream.resume();
        },
        cancel() {
          if (!done) {
            cleanup();
            stream.destroy();
          }
        },
      },
      { highWaterMark: 1 },
    );
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const stream = this.#take();
    try {
      for await (const chunk of stream) yield view(chunk);
    } catch (err) {
      throw this.#mapError(err);
    }
  }

  cancel(): Promise<void> {
    this.#used = true;
    const stream = this.#stream;
    if (!stream.readableEnded && !stream.destroyed) stream.destroy();
    return Promise.resolve();
  }
}

/** Lets a transport time reads of a web stream: `arm` before a read, `disarm` when it settles, `finish` once at the end. */
export interface ReadWatch {
  arm(): void;
  disarm(): void;
  finish(): void;
}

/** A ResponseBody over a web ReadableStream (fetch), or an empty body for `null`. */
export class WebStreamBody implements ResponseBody {
  #stream: ReadableStream<Uint8Array> | null;
  #mapError: BodyErrorMapper;
  #watch: ReadWatch | undefined;
  #used = false;
  /** The reader of a read in progress, so that cancel() can stop it. */
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  constructor(
    stream: ReadableStream<Uint8Array> | null,
    mapError: BodyErrorMapper = toNetworkError,
    watch?: ReadWatch,
  ) {
    this.#stream = stream;
    this.#mapError = mapError;
    this.#watch = watch;
  }

  /** The stream, once (a `null` body reads as an empty stream). */
  #take(): ReadableStream<Uint8Array> {
    if (this.#used) throw alreadyRead();
    this.#used = true;
    return this.#stream ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  }

  async transformToByteArray(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.#read(this.#take())) chunks.push(chunk);
    return concatBytes(chunks);
  }

  async transformToString(encoding?: string): Promise<string> {
    return decode(await this.transformToByteArray(), encoding);
  }

  transformToWebStream(): ReadableStream<Uint8Array> {
    const stream = this.#take();
    if (!this.#watch) return stream;
    // Re-expose through a pull source so reads stay timed and errors mapped.
    return iteratorStream(this.#read(stream));
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    try {
      return this.#read(this.#take());
    } catch (err) {
      return { next: () => Promise.reject(err) };
    }
  }

  async *#read(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
    const watch = this.#watch;
    const reader = (this.#reader = stream.getReader());
    let finished = false;
    try {
      for (;;) {
        watch?.arm();
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (err) {
          finished = true;
          throw this.#mapError(err);
        } finally {
          watch?.disarm();
        }
        if ((finished = result.done)) return;
        yield view(result.value);
      }
    } finally {
      watch?.finish();
      // Stopped early (break / return): release the connection.
      if (!finished) reader.cancel().catch(() => {});
      reader.releaseLock();
      this.#reader = undefined;
    }
  }

  async cancel(): Promise<void> {
    // Cancelled while being read: the pending read ends (done) and the connection is released.
    if (this.#reader) return this.#reader.cancel().catch(() => {});
    if (this.#used) return;
    this.#used = true;
    this.#watch?.finish();
    await this.#stream?.cancel().catch(() => {});
  }
}

/**
 * A request body in memory: text and bytes as they are, a Blob or a stream (web or Node) read
 * whole (only done where something must be computed over the whole body first: a required
 * checksum, Glacier's hashes).
 */
export async function readRequestBody(body: RequestBody): Promise<Uint8Array | string> {
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (typeof Blob !== "undefined" && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  const parts: Uint8Array[] = [];
  const iterable: AsyncIterable<Uint8Array | string> =
    Symbol.asyncIterator in body ? (body as AsyncIterable<Uint8Array | string>) : webStreamChunks(body as unknown as ReadableStream<Uint8Array>);
  for await (const c of iterable) parts.push(typeof c === "string" ? utf8(c) : c);
  return concatBytes(parts);
}

/** A web stream pulling from `iterator`, one chunk per read (nothing read ahead); cancelling it returns the iterator. */
export function iteratorStream(iterator: AsyncIterator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** The chunks of a web stream; leaving the loop early cancels the stream. */
export async function* webStreamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * Reads a whole body as bytes. With `limit`, stops and rejects (with `tooLarge()`, by default
 * a TsawsError) as soon as more than `limit` bytes arrive; the rest of the body is cancelled.
 */
export async function readBody(
  body: ResponseBody,
  limit?: number,
  tooLarge: () => Error = () => new TsawsError(`The response body exceeds ${limit} bytes.`),
): Promise<Uint8Array> {
  if (limit === undefined) return body.transformToByteArray();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > limit) {
      // Leaving the loop runs the iterator's return(), which releases the connection.
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}

/** Adds one header to a record: lower-case name, repeats joined with ", ". */
export function addHeader(headers: Record<string, string>, name: string, value: string): void {
  const prev = headers[name];
  // typeof, not `=== undefined`: "constructor" is inherited from Object.prototype.
  if (typeof prev === "string") headers[name] = `${prev}, ${value}`;
  else if (name !== "__proto__") headers[name] = value;
  else Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
}

// Lower-cased header names by their wire spelling: a server repeats the same few names, so
// each is lower-cased once and later records reuse the same (internalized) key strings.
const lowerNames = new Map<string, string>();

function lowerName(name: string): string {
  let lower = lowerNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerNames.size < 512) lowerNames.set(name, lower);
  }
  return lower;
}

/** A header record from node's rawHeaders ([name, value, name, value...]), built in one pass. */
export function headerRecord(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) addHeader(headers, lowerName(raw[i]!), raw[i + 1]!);
  return headers;
}

const ASCII = /^[\x00-\x7f]*$/;

/** UTF-8 byte length of a string without encoding it. */
export function utf8Length(text: string): number {
  if (ASCII.test(text)) return text.length; // a native scan (~6x faster than the loop) for the common all-ASCII text
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 4 bytes for 2 UTF-16 units
        i++;
      } else n += 2; // lone surrogate -> U+FFFD (3 bytes)
    } else n += 2;
  }
  return n;
}

/** The byte length of a request body when it is known without reading it (bytes, string, Blob), else undefined. */
export function bodyLength(body: RequestBody | undefined): number | undefined {
  if (body === undefined) return 0;
  if (typeof body === "string") return utf8Length(body);
  if (body instanceof Uint8Array) return body.byteLength;
  if (typeof Blob !== "undefined" && body instanceof Blob) return body.size;
  return undefined;
}

/** True for a web ReadableStream (not a node Readable, which is only async-iterable). */
export function isWebStream(body: unknown): body is ReadableStream<Uint8Array> {
  return typeof ReadableStream !== "undefined" && body instanceof ReadableStream;
}
