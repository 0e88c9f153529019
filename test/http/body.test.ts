// runtime/http/body.ts without a network: both ResponseBody kinds over local streams,
// readBody limits, bodyLength, header records and error mapping.
import assert from "node:assert/strict";
import { PassThrough, Readable } from "node:stream";
import { after, afterEach, describe, test } from "node:test";
import { AbortError, NetworkError, TsawsError } from "../../runtime/errors.js";
import {
  NodeStreamBody,
  WebStreamBody,
  bodyLength,
  describe as describeError,
  errorCode,
  headerRecord,
  readBody,
  toNetworkError,
  utf8Length,
  type ReadWatch,
} from "../../runtime/http/body.js";
import type { ResponseBody } from "../../runtime/http/types.js";
import { watchUnhandledRejections } from "../support/fault-server.js";

const unhandled = watchUnhandledRejections();
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 5));
  unhandled.assertNone();
});
after(() => unhandled.dispose());

const enc = new TextEncoder();

function webStream(parts: (Uint8Array | Error)[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = parts[i++];
      if (next === undefined) controller.close();
      else if (next instanceof Error) controller.error(next);
      else controller.enqueue(next);
    },
  });
}

function nodeStream(parts: Uint8Array[]): Readable {
  return Readable.from(parts.map((p) => Buffer.from(p)));
}

const MAKERS: Record<string, (parts: Uint8Array[]) => ResponseBody> = {
  NodeStreamBody: (parts) => new NodeStreamBody(nodeStream(parts)),
  WebStreamBody: (parts) => new WebStreamBody(webStream(parts)),
};

for (const [name, make] of Object.entries(MAKERS)) {
  describe(name, () => {
    const parts = [enc.encode("hello "), enc.encode("wörld"), new Uint8Array(0), enc.encode("!")];

    test("transformToByteArray returns plain Uint8Array bytes", async () => {
      const bytes = await make(parts).transformToByteArray();
      assert.equal(bytes.constructor, Uint8Array);
      assert.equal(new TextDecoder().decode(bytes), "hello wörld!");
    });

    test("transformToString: utf-8 default, other encodings, base64, hex", async () => {
      assert.equal(await make(parts).transformToString(), "hello wörld!");
      assert.equal(await make(parts).transformToString("UTF-8"), "hello wörld!");
      assert.equal(await make([new Uint8Array([0xe9])]).transformToString("latin1"), "é");
      assert.equal(await make([enc.encode("hi")]).transformToString("base64"), "aGk=");
      assert.equal(await make([enc.encode("hi")]).transformToString("hex"), "6869");
      assert.equal(
        await make([enc.encode("\u00ff\u00fe")])
          .transformToString("utf-16le")
          .then((s) => s.length),
        2,
      );
    });

    test("async iteration yields the chunks", async () => {
      const seen: string[] = [];
      for await (const chunk of make(parts)) {
        assert.equal(chunk.constructor, Uint8Array);
        seen.push(new TextDecoder().decode(chunk));
      }
      assert.equal(seen.join(""), "hello wörld!");
      assert.ok(seen.length >= 3);
    });

    test("transformToWebStream", async () => {
      const reader = make(parts).transformToWebStream().getReader();
      let text = "";
      for (let r = await reader.read(); !r.done; r = await reader.read())
        text += new TextDecoder().decode(r.value, { stream: true });
      assert.equal(text, "hello wörld!");
    });

    test("a second read of any kind throws a clear TsawsError", async () => {
      const body = make(parts);
      await body.transformToByteArray();
      await assert.rejects(
        body.transformToByteArray(),
        (e: unknown) => e instanceof TsawsError && /already been read/.test((e as Error).message),
      );
      await assert.rejects(body.transformToString(), TsawsError);
      assert.throws(() => body.transformToWebStream(), TsawsError);
      await assert.rejects(
        (async () => {
          for await (const _ of body);
        })(),
        TsawsError,
      );
    });

    test("cancel, then a read throws", async () => {
      const body = make(parts);
      await body.cancel();
      await assert.rejects(body.transformToByteArray(), TsawsError);
    });

    test("empty body", async () => {
      assert.equal((await make([]).transformToByteArray()).length, 0);
    });
  });
}

describe("errors while reading", () => {
  test("node stream error -> NetworkError with the code, for every read style", async () => {
    const fail = (): Readable => {
      const s = new PassThrough();
      s.write(Buffer.from("part"));
      setTimeout(() => s.destroy(Object.assign(new Error("aborted"), { code: "ECONNRESET" })), 5);
      return s;
    };
    const reads: ((b: ResponseBody) => Promise<unknown>)[] = [
      (b) => b.transformToByteArray(),
      async (b) => {
        for await (const _ of b);
      },
      async (b) => {
        const r = b.transformToWebStream().getReader();
        while (!(await r.read()).done);
      },
    ];
    for (const read of reads) {
      await assert.rejects(
        read(new NodeStreamBody(fail())),
        (e: unknown) => e instanceof NetworkError && e.code === "ECONNRESET",
      );
    }
  });

  test("an error before anyone reads is kept and reported by the later read", async () => {
    const s = new PassThrough();
    const body = new NodeStreamBody(s);
    s.destroy(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(
      body.transformToByteArray(),
      (e: unknown) => e instanceof NetworkError && e.code === "ECONNRESET",
    );
  });

  test("a node stream destroyed without an error rejects instead of hanging", async () => {
    const s = new PassThrough();
    const body = new NodeStreamBody(s);
    const reading = body.transformToByteArray();
    s.write("x");
    setTimeout(() => s.destroy(), 5);
    await assert.rejects(reading, NetworkError);
  });

  test("TsawsErrors (our timeout/abort) pass through the mapper unchanged", async () => {
    const abort = new AbortError("stop");
    const s = new PassThrough();
    setTimeout(() => s.destroy(abort), 5);
    await assert.rejects(new NodeStreamBody(s).transformToByteArray(), (e: unknown) => e === abort);
    await assert.rejects(
      new WebStreamBody(webStream([enc.encode("a"), abort])).transformToByteArray(),
      (e: unknown) => e === abort,
    );
  });

  test("web stream error -> mapped by the given mapper", async () => {
    const boom = Object.assign(new TypeError("terminated"), {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    });
    await assert.rejects(
      new WebStreamBody(webStream([enc.encode("a"), boom])).transformToByteArray(),
      (e: unknown) =>
        e instanceof NetworkError && e.code === "UND_ERR_SOCKET" && /terminated: other side closed/.test(e.message),
    );
  });

  test("toNetworkError / errorCode / describe", () => {
    const err = toNetworkError(
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      "GET x failed",
    );
    assert.ok(err instanceof NetworkError);
    assert.equal((err as NetworkError).code, "ECONNREFUSED");
    assert.equal(err.message, "GET x failed: connect ECONNREFUSED 127.0.0.1:1");
    assert.equal(
      errorCode(new Error("x", { cause: new Error("y", { cause: Object.assign(new Error("z"), { code: "EPIPE" }) }) })),
      "EPIPE",
    );
    assert.equal(errorCode("nope"), undefined);
    assert.equal(
      describeError(new Error("fetch failed", { cause: new Error("read ECONNRESET") })),
      "fetch failed: read ECONNRESET",
    );
  });
});

describe("WebStreamBody read watch", () => {
  test("arms around each read and finishes once", async () => {
    const events: string[] = [];
    const watch: ReadWatch = {
      arm: () => events.push("arm"),
      disarm: () => events.push("disarm"),
      finish: () => events.push("finish"),
    };
    await new WebStreamBody(
      webStream([enc.encode("a"), enc.encode("b")]),
      toNetworkError,
      watch,
    ).transformToByteArray();
    assert.deepEqual(events, ["arm", "disarm", "arm", "disarm", "arm", "disarm", "finish"]);
  });

  test("breaking out of iteration cancels the stream and finishes", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(enc.encode("x")),
      cancel: () => {
        cancelled = true;
      },
    });
    const events: string[] = [];
    const body = new WebStreamBody(stream, toNetworkError, {
      arm() {},
      disarm() {},
      finish: () => events.push("finish"),
    });
    for await (const _ of body) break;
    assert.ok(cancelled);
    assert.deepEqual(events, ["finish"]);
  });

  test("cancel() while a read is pending ends the iteration and cancels the stream", async () => {
    let cancelled = false;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        // One chunk, then a read that never resolves on its own (a stalled server).
        pull: (c) => (sent++ === 0 ? c.enqueue(enc.encode("x")) : new Promise<void>(() => {})),
        cancel: () => {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const body = new WebStreamBody(stream);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of body) {
        seen.push(new TextDecoder().decode(chunk));
        setTimeout(() => void body.cancel(), 5);
      }
    })();
    await reading;
    assert.deepEqual(seen, ["x"]);
    assert.ok(cancelled, "the underlying stream is cancelled");
  });

  test("a null body (204) is empty", async () => {
    assert.equal((await new WebStreamBody(null).transformToByteArray()).length, 0);
  });
});

describe("readBody", () => {
  test("without a limit: all bytes", async () => {
    assert.equal((await readBody(new WebStreamBody(webStream([new Uint8Array(10), new Uint8Array(5)])))).length, 15);
  });

  test("at the limit passes, one byte over fails and cancels the stream", async () => {
    assert.equal(
      (await readBody(new WebStreamBody(webStream([new Uint8Array(10), new Uint8Array(5)])), 15)).length,
      15,
    );
    let cancelled = false;
    let served = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        served++;
        c.enqueue(new Uint8Array(8));
      },
      cancel() {
        cancelled = true;
      },
    });
    await assert.rejects(
      readBody(new WebStreamBody(stream), 15),
      (e: unknown) => e instanceof TsawsError && e.message === "The response body exceeds 15 bytes.",
    );
    assert.ok(cancelled);
    assert.ok(served <= 3);
  });

  test("node stream over the limit is destroyed", async () => {
    const s = Readable.from(
      (function* () {
        for (;;) yield Buffer.alloc(1000);
      })(),
    );
    await assert.rejects(readBody(new NodeStreamBody(s), 2500), /exceeds 2500 bytes/);
    await new Promise((r) => setImmediate(r));
    assert.ok(s.destroyed);
  });
});

describe("bodyLength / utf8Length", () => {
  test("known lengths", () => {
    assert.equal(bodyLength(undefined), 0);
    assert.equal(bodyLength(new Uint8Array(7)), 7);
    assert.equal(bodyLength(new Uint8Array(new ArrayBuffer(20), 5, 3)), 3);
    assert.equal(bodyLength("héllo"), 6);
    assert.equal(bodyLength(new Blob(["abc", new Uint8Array(4)])), 7);
    assert.equal(bodyLength(webStream([])), undefined);
    assert.equal(bodyLength(Readable.from([])), undefined);
  });

  test("utf8Length agrees with TextEncoder, including surrogates", () => {
    const samples = ["", "ascii", "é", "€", "😀", "a😀b€é", "\ud800", "x\udc00y", "\ud83d", "\ud83d\ude00\ud83d"];
    for (const s of samples) assert.equal(utf8Length(s), enc.encode(s).length, JSON.stringify(s));
    let random = "";
    for (let i = 0; i < 2000; i++) random += String.fromCharCode((i * 7919) % 0xffff);
    assert.equal(utf8Length(random), enc.encode(random).length);
  });
});

describe("headerRecord", () => {
  test("lower-cases and joins repeats", () => {
    const h = headerRecord(["Content-Type", "a/b", "X-A", "1", "x-a", "2", "Set-Cookie", "c=1", "set-cookie", "d=2"]);
    assert.deepEqual({ ...h }, { "content-type": "a/b", "x-a": "1, 2", "set-cookie": "c=1, d=2" });
  });

  test("names that exist on Object.prototype are ordinary headers", () => {
    const h = headerRecord(["Constructor", "x", "__proto__", "y", "__proto__", "z"]);
    assert.equal(h.constructor, "x");
    assert.equal(Object.getOwnPropertyDescriptor(h, "__proto__")?.value, "y, z");
    assert.equal(Object.getPrototypeOf(h), Object.prototype);
  });
});
