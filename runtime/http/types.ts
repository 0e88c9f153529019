// The plain HTTP records passed between serializer, signer, transport and parser.
// Header names are lower case everywhere; bodies stay streams until a parser needs bytes.

/** Anything a request body may be: bytes, text, a web stream, a Blob, or an async iterable (node Readable). */
export type RequestBody =
  | Uint8Array
  | string
  | ReadableStream<Uint8Array>
  | Blob
  | AsyncIterable<Uint8Array>;

export interface HttpRequest {
  method: string;
  protocol: "https:" | "http:";
  hostname: string;
  port?: number;
  /** Encoded path with a leading slash. */
  path: string;
  /** Encoded query string without "?", "" when none. */
  query: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: RequestBody;
}

/** A response body that is read once, in whichever form the caller wants. */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  transformToByteArray(): Promise<Uint8Array>;
  transformToString(encoding?: string): Promise<string>;
  transformToWebStream(): ReadableStream<Uint8Array>;
  /** Releases the connection without reading the rest of the body. */
  cancel(): Promise<void>;
}

export interface HttpResponse {
  statusCode: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: ResponseBody;
}

export interface HttpHandlerOptions {
  signal?: AbortSignal;
  /** Milliseconds allowed for the whole exchange up to response headers, and between body chunks. */
  requestTimeout?: number;
  /** Milliseconds allowed to open the connection. */
  connectionTimeout?: number;
}

export interface HttpHandler {
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<HttpResponse>;
  /** Closes pooled connections. */
  destroy?(): void;
}
