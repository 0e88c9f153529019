// Output event streams (runtime/eventstream.ts readEventStreamOutput) through the real
// protocol modules, the way the client calls them: protocol.parse for the HTTP-bound
// members, then the event stream. Covers event members from headers and payloads in JSON,
// XML and CBOR, initial-response for the RPC protocols, unknown events, exception and error
// messages (modeled class, unmodeled, cancelled body), early exits that must release the
// connection, and broken streams.
import assert from "node:assert/strict";
import { encodeMessage, readEventStreamOutput, type EventHeaders } from "../../runtime/eventstream.ts";
import { NetworkError, ResponseParseError, ServiceError, errorClass, type ResponseMetadata } from "../../runtime/errors.ts";
import { utf8 } from "../../runtime/encoding.ts";
import { encodeCbor } from "../../runtime/protocols/cbor.ts";
import type { ResponseBody } from "../../runtime/http/types.ts";
import type { ErrorClassLike, OperationSchema, ServiceSchema, StructureShape } from "../../runtime/schema.ts";
import type { Protocol, ReceivedResponse } from "../../runtime/protocols/types.ts";
import { protocol as restJson } from "../../runtime/protocols/rest-json.ts";
import { protocol as awsJson } from "../../runtime/protocols/json.ts";
import { protocol as restXml } from "../../runtime/protocols/rest-xml.ts";
import { protocol as cbor } from "../../runtime/protocols/rpcv2-cbor.ts";
import { loadXmlParser } from "../../runtime/protocols/xml.ts";
import { countedTests } from "../support/counted.ts";

// The XML parser is imported on first use (xml.ts loadXmlParser); the client awaits it, these tests call parsers directly.
await loadXmlParser();

const counted = countedTests("eventstream output");

// ---------------------------------------------------------------------------------------
// Helpers

const str = (value: string) => ({ type: "string", value }) as const;

function event(type: string, body: Uint8Array | string = new Uint8Array(0), extra: EventHeaders = {}, contentType?: string) {
  const headers: EventHeaders = { ":message-type": str("event"), ":event-type": str(type) };
  if (contentType) headers[":content-type"] = str(contentType);
  return encodeMessage({ headers: { ...headers, ...extra }, body: typeof body === "string" ? utf8(body) : body });
}

function exception(type: string, body: string | Uint8Array) {
  return encodeMessage({
    headers: { ":message-type": str("exception"), ":exception-type": str(type), ":content-type": str("application/json") },
    body: typeof body === "string" ? utf8(body) : body,
  });
}

interface FakeBody extends ResponseBody {
  cancelled: boolean;
  /** Chunks handed out so far. */
  served: number;
}

/** A response body over frames; with `endless`, it then waits (like an open connection) until cancelled. */
function fakeBody(frames: Uint8Array[], options: { endless?: boolean; split?: number } = {}): FakeBody {
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  const chunks: Uint8Array[] = [];
  for (const f of frames) {
    // Split frames into small chunks so messages straddle reads.
    const size = options.split ?? 7;
    for (let i = 0; i < f.length; i += size) chunks.push(f.subarray(i, i + size));
  }
  const body: FakeBody = {
    cancelled: false,
    served: 0,
    async *[Symbol.asyncIterator]() {
      for (const c of chunks) {
        if (body.cancelled) return;
        body.served++;
        yield c;
      }
      if (options.endless) await released;
    },
    async cancel() {
      body.cancelled = true;
      release();
    },
    transformToByteArray: () => Promise.reject(new Error("not used")),
    transformToString: () => Promise.reject(new Error("not used")),
    transformToWebStream: () => {
      throw new Error("not used");
    },
  };
  return body;
}

const METADATA: ResponseMetadata = { httpStatusCode: 200, requestId: "req-1", attempts: 1, totalRetryDelay: 0 };

function service(p: ServiceSchema["p"]): ServiceSchema {
  return { id: "Test", p, v: "2020-01-01", ep: "test", sn: "test", tp: "Test" };
}

async function call(
  protocol: Protocol,
  p: ServiceSchema["p"],
  op: OperationSchema,
  body: FakeBody,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const svc = service(p);
  const response: ReceivedResponse = { statusCode: 200, headers, body: new Uint8Array(0), stream: body };
  const output = protocol.parse(svc, op, response);
  await readEventStreamOutput(protocol, svc, op, response, output, () => METADATA);
  return output;
}

async function drain(stream: unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of stream as AsyncIterable<unknown>) out.push(e);
  return out;
}

// Lambda InvokeWithResponseStream, reduced (rest-json).
const PayloadChunk: StructureShape = { t: 8, n: "InvokeResponseStreamUpdate", ev: 1, m: { Payload: [4, { ep: 1 }] } };
const InvokeComplete: StructureShape = { t: 8, n: "InvokeWithResponseStreamCompleteEvent", ev: 1, m: { ErrorCode: 0, LogResult: 0 } };
const ThrottledError: StructureShape = { t: 8, n: "Throttled", m: { message: 0, RetryAfter: 2 }, er: ["Throttled", 429, "client"] };
const OtherError: StructureShape = { t: 8, n: "OtherError", m: { message: 0, Detail: 0 }, er: ["OtherError", 400, "client"] };
const LambdaStream: StructureShape = {
  t: 8,
  es: 1,
  m: { PayloadChunk, InvokeComplete, Throttled: ThrottledError, OtherError },
};
const Throttled = errorClass("Throttled", ThrottledError);
const lambdaOp: OperationSchema = {
  n: "InvokeWithResponseStream",
  h: ["POST", "/functions/{FunctionName}/response-streaming-invocations", 200],
  o: {
    t: 8,
    m: {
      StatusCode: [2, { l: "statusCode" }],
      ExecutedVersion: [0, { l: "header", n: "X-Amz-Executed-Version" }],
      EventStream: LambdaStream,
    },
    p: "EventStream",
  },
  e: [Throttled as unknown as ErrorClassLike],
};

// ---------------------------------------------------------------------------------------

counted("rest-json: HTTP-bound members, a blob payload event and a JSON-bodied event", async () => {
  const body = fakeBody([
    await event("PayloadChunk", "hello ", {}, "application/octet-stream"),
    await event("PayloadChunk", "world", {}, "application/octet-stream"),
    await event("InvokeComplete", '{"LogResult":"bG9n","Unmodeled":1}', {}, "application/json"),
  ]);
  const out = await call(restJson, "rest-json", lambdaOp, body, { "x-amz-executed-version": "$LATEST" });
  assert.equal(out.StatusCode, 200);
  assert.equal(out.ExecutedVersion, "$LATEST");
  const events = await drain(out.EventStream);
  assert.deepEqual(events, [
    { PayloadChunk: { Payload: utf8("hello ") } },
    { PayloadChunk: { Payload: utf8("world") } },
    { InvokeComplete: { LogResult: "bG9n" } },
  ]);
  assert.equal(body.cancelled, false, "a stream read to its end needs no cancel");
});

counted("event headers of every type fill `eh` members by kind; an `ep` structure payload is read as XML", async () => {
  const Details: StructureShape = { t: 8, m: { BytesScanned: 2, Note: 0 } };
  const Rich: StructureShape = {
    t: 8,
    ev: 1,
    m: {
      Flag: [1, { eh: 1 }],
      Off: [1, { eh: 1 }],
      Small: [2, { eh: 1 }],
      Short: [2, { eh: 1 }],
      Int: [2, { eh: 1 }],
      Long: [2, { eh: 1 }],
      Raw: [4, { eh: 1 }],
      Name: [0, { eh: 1 }],
      When: [5, { eh: 1 }],
      Id: [0, { eh: 1 }],
      Absent: [0, { eh: 1 }],
      Details: [Details, { ep: 1 }],
    },
  };
  const op: OperationSchema = {
    n: "Select",
    h: ["POST", "/"],
    o: { t: 8, m: { Payload: { t: 8, es: 1, m: { Rich } } }, p: "Payload" },
  };
  const body = fakeBody([
    await event(
      "Rich",
      "<Details><BytesScanned>42</BytesScanned><Note>a &amp; b</Note></Details>",
      {
        Flag: { type: "boolean", value: true },
        Off: { type: "boolean", value: false },
        Small: { type: "byte", value: -3 },
        Short: { type: "short", value: 300 },
        Int: { type: "integer", value: 70000 },
        Long: { type: "long", value: 2n ** 40n },
        Raw: { type: "binary", value: Uint8Array.of(1, 2, 3) },
        Name: str("n\u00e4me"),
        When: { type: "timestamp", value: new Date(1422172800123) },
        Id: { type: "uuid", value: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" },
      },
      "text/xml",
    ),
  ]);
  const out = await call(restXml, "rest-xml", op, body);
  assert.deepEqual(await drain(out.Payload), [
    {
      Rich: {
        Flag: true,
        Off: false,
        Small: -3,
        Short: 300,
        Int: 70000,
        Long: 2 ** 40,
        Raw: Uint8Array.of(1, 2, 3),
        Name: "n\u00e4me",
        When: new Date(1422172800123),
        Id: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        Details: { BytesScanned: 42, Note: "a & b" },
      },
    },
  ]);
});

counted("a header whose type does not fit its member is a ResponseParseError", async () => {
  const op: OperationSchema = {
    n: "Op",
    h: ["POST", "/"],
    o: { t: 8, m: { S: { t: 8, es: 1, m: { E: { t: 8, ev: 1, m: { When: [5, { eh: 1 }] } } } } }, p: "S" },
  };
  const body = fakeBody([await event("E", "", { When: str("yesterday") })]);
  const out = await call(restJson, "rest-json", op, body);
  await assert.rejects(drain(out.S), (e: unknown) => e instanceof ResponseParseError && /cannot be read/.test(e.message));
  assert.equal(body.cancelled, true);
});

counted("unknown event types arrive as $unknown; a stray initial-response in a REST protocol is skipped", async () => {
  const body = fakeBody([
    await event("initial-response", "{}"),
    await event("BrandNew", '{"x":1}', { extra: str("y") }, "application/json"),
    await event("PayloadChunk", "ok"),
  ]);
  const out = await call(restJson, "rest-json", lambdaOp, body);
  const events = (await drain(out.EventStream)) as Record<string, unknown>[];
  assert.equal(events.length, 2);
  const [name, message] = events[0]!.$unknown as [string, { headers: EventHeaders; body: Uint8Array }];
  assert.equal(name, "BrandNew");
  assert.deepEqual(message.headers.extra, str("y"));
  assert.equal(new TextDecoder().decode(message.body), '{"x":1}');
  assert.deepEqual(events[1], { PayloadChunk: { Payload: utf8("ok") } });
});

counted("an exception event mid-stream throws the modeled class (with members and metadata) and releases the body", async () => {
  const body = fakeBody(
    [await event("PayloadChunk", "part"), await exception("Throttled", '{"message":"slow down","RetryAfter":5}')],
    { endless: true },
  );
  const out = await call(restJson, "rest-json", lambdaOp, body);
  const seen: unknown[] = [];
  await assert.rejects(
    (async () => {
      for await (const e of out.EventStream as AsyncIterable<unknown>) seen.push(e);
    })(),
    (e: unknown) => {
      assert.ok(e instanceof Throttled, "the generated class");
      assert.ok(e instanceof ServiceError);
      assert.equal(e.message, "slow down");
      assert.equal(e.code, "Throttled");
      assert.equal((e as unknown as { RetryAfter: number }).RetryAfter, 5);
      assert.equal(e.$metadata.requestId, "req-1");
      return true;
    },
  );
  assert.deepEqual(seen, [{ PayloadChunk: { Payload: utf8("part") } }]);
  assert.equal(body.cancelled, true, "the connection is released");
});

counted("an exception the operation does not list is still a ServiceError carrying its members; unknown ones keep their code", async () => {
  let out = await call(restJson, "rest-json", lambdaOp, fakeBody([await exception("OtherError", '{"message":"m","Detail":"d"}')]));
  await assert.rejects(drain(out.EventStream), (e: unknown) => {
    assert.ok(e instanceof ServiceError);
    assert.equal(e.code, "OtherError");
    assert.equal(e.name, "OtherError");
    assert.equal(e.message, "m");
    assert.equal((e as unknown as { Detail: string }).Detail, "d");
    return true;
  });
  out = await call(restJson, "rest-json", lambdaOp, fakeBody([await exception("Mystery", '{"message":"what"}')]));
  await assert.rejects(drain(out.EventStream), (e: unknown) => e instanceof ServiceError && e.code === "Mystery" && e.message === "what");
});

counted("an error message is a ServiceError from :error-code and :error-message", async () => {
  const body = fakeBody(
    [
      await encodeMessage({
        headers: { ":message-type": str("error"), ":error-code": str("InternalError"), ":error-message": str("boom") },
        body: new Uint8Array(0),
      }),
    ],
    { endless: true },
  );
  const out = await call(restJson, "rest-json", lambdaOp, body);
  await assert.rejects(drain(out.EventStream), (e: unknown) => e instanceof ServiceError && e.code === "InternalError" && e.message === "boom");
  assert.equal(body.cancelled, true);
});

counted("awsJson: initial-response fills the other output members before the call returns", async () => {
  const Records: StructureShape = { t: 8, ev: 1, m: { Records: { t: 9, m: 0 }, Millis: 2 } };
  const op: OperationSchema = {
    n: "Subscribe",
    h: ["POST", "/"],
    o: { t: 8, m: { SessionId: 0, Started: 5, Stream: { t: 8, es: 1, m: { Records } } } },
  };
  let body = fakeBody([
    await event("initial-response", '{"SessionId":"s-1","Started":1700000000}', {}, "application/json"),
    await event("Records", '{"Records":["a","b"],"Millis":3}', {}, "application/json"),
  ]);
  let out = await call(awsJson, "json", op, body);
  assert.equal(out.SessionId, "s-1");
  assert.deepEqual(out.Started, new Date(1700000000000));
  assert.deepEqual(await drain(out.Stream), [{ Records: { Records: ["a", "b"], Millis: 3 } }]);
  // No initial-response: the first event is kept for the iterator.
  body = fakeBody([await event("Records", '{"Records":[]}')]);
  out = await call(awsJson, "json", op, body);
  assert.equal(out.SessionId, undefined);
  assert.deepEqual(await drain(out.Stream), [{ Records: { Records: [] } }]);
  // An exception instead of the initial response rejects the call and releases the body.
  body = fakeBody([await exception("Nope", '{"message":"denied"}')], { endless: true });
  await assert.rejects(call(awsJson, "json", op, body), (e: unknown) => e instanceof ServiceError && e.code === "Nope");
  assert.equal(body.cancelled, true);
  // An output whose only member is the stream does not wait; a late initial-response is skipped.
  const only: OperationSchema = { ...op, o: { t: 8, m: { Stream: { t: 8, es: 1, m: { Records } } } } };
  body = fakeBody([await event("initial-response", "{}"), await event("Records", '{"Millis":1}')]);
  out = await call(awsJson, "json", only, body);
  assert.equal(body.served, 0, "nothing read before iteration");
  assert.deepEqual(await drain(out.Stream), [{ Records: { Millis: 1 } }]);
});

counted("rpcv2-cbor: initial-response and event payloads are CBOR", async () => {
  const Tick: StructureShape = { t: 8, ev: 1, m: { Seq: 2, At: 5 } };
  const op: OperationSchema = { n: "Ticks", h: ["POST", "/"], o: { t: 8, m: { Name: 0, Ticks: { t: 8, es: 1, m: { Tick } } } } };
  const body = fakeBody([
    await event("initial-response", encodeCbor({ Name: "clock" }), {}, "application/cbor"),
    await event("Tick", encodeCbor({ Seq: 1, At: new Date(1000) }), {}, "application/cbor"),
    await event("Tick", encodeCbor({ Seq: 2, At: new Date(2000) }), {}, "application/cbor"),
  ]);
  const out = await call(cbor, "smithy-rpc-v2-cbor", op, body);
  assert.equal(out.Name, "clock");
  assert.deepEqual(await drain(out.Ticks), [{ Tick: { Seq: 1, At: new Date(1000) } }, { Tick: { Seq: 2, At: new Date(2000) } }]);
});

counted("break, return() before the first read, and throw() release the connection", async () => {
  const frames = [await event("PayloadChunk", "1"), await event("PayloadChunk", "2"), await event("PayloadChunk", "3")];
  let body = fakeBody(frames, { endless: true });
  let out = await call(restJson, "rest-json", lambdaOp, body);
  for await (const e of out.EventStream as AsyncIterable<Record<string, unknown>>) {
    assert.ok(e.PayloadChunk);
    break;
  }
  assert.equal(body.cancelled, true, "break cancels");
  assert.equal(body.served, Math.ceil(frames[0]!.length / 7), "only the first message was read");

  body = fakeBody(frames, { endless: true });
  out = await call(restJson, "rest-json", lambdaOp, body);
  const it = (out.EventStream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  await it.return!();
  assert.equal(body.cancelled, true, "return() before any read cancels");
  assert.deepEqual(await it.next(), { done: true, value: undefined });

  body = fakeBody(frames, { endless: true });
  out = await call(restJson, "rest-json", lambdaOp, body);
  const it2 = (out.EventStream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  await it2.next();
  await assert.rejects(it2.throw!(new Error("stop")), /stop/);
  assert.equal(body.cancelled, true, "throw() cancels");

  // An endless stream read to the end of its frames keeps waiting for the next one until cancelled.
  body = fakeBody(frames, { endless: true });
  out = await call(restJson, "rest-json", lambdaOp, body);
  const it3 = (out.EventStream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  for (let i = 0; i < 3; i++) await it3.next();
  const pending = it3.next();
  await it3.return!();
  assert.deepEqual(await pending, { done: true, value: undefined });
  assert.equal(body.cancelled, true, "return() while a read is pending cancels and ends it");
});

counted("a truncated stream is a NetworkError and a corrupt one a ResponseParseError, raised from the iteration", async () => {
  const good = await event("PayloadChunk", "abc");
  let out = await call(restJson, "rest-json", lambdaOp, fakeBody([good, good.subarray(0, good.length - 3)]));
  const seen: unknown[] = [];
  await assert.rejects(
    (async () => {
      for await (const e of out.EventStream as AsyncIterable<unknown>) seen.push(e);
    })(),
    NetworkError,
  );
  assert.equal(seen.length, 1);
  const bad = Uint8Array.from(good);
  bad[bad.length - 5] = bad[bad.length - 5]! ^ 0xff;
  out = await call(restJson, "rest-json", lambdaOp, fakeBody([bad]));
  await assert.rejects(drain(out.EventStream), /checksum mismatch/);
  // A message without :message-type, and an event that does not match its model.
  out = await call(restJson, "rest-json", lambdaOp, fakeBody([await encodeMessage({ headers: {}, body: new Uint8Array(0) })]));
  await assert.rejects(drain(out.EventStream), ResponseParseError);
  out = await call(restJson, "rest-json", lambdaOp, fakeBody([await event("InvokeComplete", '{"LogResult": 5}')]));
  await assert.rejects(drain(out.EventStream), ResponseParseError);
});
