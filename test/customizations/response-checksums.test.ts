// Response checksums (runtime/customizations/response-checksums.ts): S3 GetObject through the
// generated client and a recording transport answering with right and wrong x-amz-checksum-*
// headers, over Node stream and web stream bodies, read every way; the settings from the client
// config, the environment and the profile; presigning.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3, GetObject } from "tsaws/s3";
import { ChecksumMismatchError, ConfigError, Session, TsawsError, presign } from "tsaws";
import type { HttpHandler, HttpRequest, HttpResponse, ResponseBody } from "../../runtime/http/types.js";
import { NodeStreamBody, WebStreamBody } from "../../runtime/http/body.js";
import { checksum, type ChecksumAlgorithm } from "../../runtime/checksums.js";
import { toBase64 } from "../../runtime/encoding.js";
import { validateResponseChecksum } from "../../runtime/customizations/response-checksums.js";
import type { CallContext, OperationSchema } from "../../runtime/schema.js";
import { CREDENTIALS } from "./support.ts";

const TEXT = "hello world, checksummed";
const BYTES = new TextEncoder().encode(TEXT);
const CHUNKS = [BYTES.subarray(0, 5), BYTES.subarray(5, 11), BYTES.subarray(11)];

type BodyKind = "node" | "web";

function body(kind: BodyKind): ResponseBody {
  if (kind === "node") return new NodeStreamBody(Readable.from(CHUNKS.map((c) => Buffer.from(c))));
  return new WebStreamBody(
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of CHUNKS) c.enqueue(chunk.slice());
        c.close();
      },
    }),
  );
}

/** A transport answering every call with `headers` and the text as a `kind` stream; requests are kept. */
function s3Transport(headers: Record<string, string>, kind: BodyKind = "node"): HttpHandler & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async handle(request: HttpRequest): Promise<HttpResponse> {
      requests.push(request);
      return { statusCode: 200, headers: { "content-length": String(BYTES.length), ...headers }, body: body(kind) };
    },
  };
}

function s3(http: HttpHandler, extra: Record<string, unknown> = {}): S3 {
  return new S3({ region: "us-east-1", credentials: CREDENTIALS, maxAttempts: 1, httpHandler: http, session: new Session({ env: {} }), ...extra });
}

const sum = async (alg: ChecksumAlgorithm, data: Uint8Array = BYTES): Promise<string> => toBase64(await checksum(alg, data));
const WRONG = new TextEncoder().encode("something else");

async function rejectsMismatch(p: Promise<unknown>, alg: string, expected: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ChecksumMismatchError, `not a ChecksumMismatchError: ${String(e)}`);
    assert.ok(e instanceof TsawsError);
    assert.equal(e.algorithm, alg);
    assert.equal(e.expected, expected);
    assert.notEqual(e.computed, expected);
    assert.match(e.message, new RegExp(`GetObject: .*${alg}`));
    assert.ok(!e.message.includes(CREDENTIALS.secretAccessKey) && !e.message.includes(CREDENTIALS.accessKeyId));
    assert.ok(!e.message.includes(TEXT), "the message holds no data");
    return true;
  });
}

test("a known value: the CRC32 of the text is the one S3 would send", async () => {
  // Computed independently (zlib.crc32 / python binascii.crc32): guards against a wrong CRC on both sides.
  assert.equal(await sum("CRC32", new TextEncoder().encode("hello world")), "DUoRhQ==");
});

test("when_supported (default): GetObject asks for checksums (x-amz-checksum-mode: ENABLED); the caller's input is untouched", async () => {
  const http = s3Transport({});
  const input = { Bucket: "b", Key: "k" };
  const out = await s3(http).getObject(input);
  assert.equal(await out.Body!.transformToString(), TEXT);
  assert.equal(http.requests[0]!.headers["x-amz-checksum-mode"], "ENABLED");
  assert.deepEqual(input, { Bucket: "b", Key: "k" });
});

for (const alg of ["CRC32", "CRC32C", "CRC64NVME", "SHA256", "SHA1"] as const) {
  const header = `x-amz-checksum-${alg.toLowerCase()}`;
  test(`${alg}: a right ${header} reads; a wrong one fails the read with ChecksumMismatchError`, async () => {
    const good = await sum(alg);
    const ok = await s3(s3Transport({ [header]: good })).getObject({ Bucket: "b", Key: "k" });
    assert.equal(await ok.Body!.transformToString(), TEXT);
    const bad = await sum(alg, WRONG);
    const out = await s3(s3Transport({ [header]: bad })).getObject({ Bucket: "b", Key: "k" });
    await rejectsMismatch(out.Body!.transformToString(), alg, bad);
  });
}

for (const kind of ["node", "web"] as const) {
  const readers: Record<string, (b: ResponseBody) => Promise<unknown>> = {
    transformToByteArray: (b) => b.transformToByteArray(),
    transformToString: (b) => b.transformToString(),
    "async iteration": async (b) => {
      const parts: Uint8Array[] = [];
      for await (const c of b) parts.push(c);
      return parts;
    },
    transformToWebStream: async (b) => {
      const reader = b.transformToWebStream().getReader();
      const parts: Uint8Array[] = [];
      for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
      return parts;
    },
  };
  for (const [how, read] of Object.entries(readers)) {
    test(`${kind} stream body, ${how}: validated (right: the data; wrong: the typed error)`, async () => {
      const good = await sum("CRC32C");
      const ok = await s3(s3Transport({ "x-amz-checksum-crc32c": good }, kind)).getObject({ Bucket: "b", Key: "k" });
      const data = await read(ok.Body!);
      const bytes = data instanceof Uint8Array ? data : typeof data === "string" ? new TextEncoder().encode(data) : Buffer.concat(data as Uint8Array[]);
      assert.deepEqual(new Uint8Array(bytes), BYTES);
      const bad = await sum("CRC32C", WRONG);
      const out = await s3(s3Transport({ "x-amz-checksum-crc32c": bad }, kind)).getObject({ Bucket: "b", Key: "k" });
      await rejectsMismatch(read(out.Body!), "CRC32C", bad);
    });
  }

  test(`${kind} stream body: cancelled, or left early, is no error`, async () => {
    const bad = await sum("CRC32", WRONG);
    const a = await s3(s3Transport({ "x-amz-checksum-crc32": bad }, kind)).getObject({ Bucket: "b", Key: "k" });
    await a.Body!.cancel();
    const b = await s3(s3Transport({ "x-amz-checksum-crc32": bad }, kind)).getObject({ Bucket: "b", Key: "k" });
    for await (const chunk of b.Body!) {
      assert.ok(chunk.length > 0);
      break;
    }
    const c = await s3(s3Transport({ "x-amz-checksum-crc32": bad }, kind)).getObject({ Bucket: "b", Key: "k" });
    const reader = c.Body!.transformToWebStream().getReader();
    await reader.read();
    await reader.cancel();
  });
}

test("the preferred algorithm is checked when several are sent (botocore's order: CRC64NVME, CRC32C, CRC32, SHA1, SHA256)", async () => {
  const headers = { "x-amz-checksum-sha256": await sum("SHA256"), "x-amz-checksum-crc32": await sum("CRC32", WRONG) };
  const out = await s3(s3Transport(headers)).getObject({ Bucket: "b", Key: "k" });
  await rejectsMismatch(out.Body!.transformToByteArray(), "CRC32", headers["x-amz-checksum-crc32"]);
  const right = { "x-amz-checksum-crc64nvme": await sum("CRC64NVME"), "x-amz-checksum-sha1": await sum("SHA1", WRONG) };
  const ok = await s3(s3Transport(right)).getObject({ Bucket: "b", Key: "k" });
  assert.equal((ok.Body as unknown as { checksumAlgorithm: string }).checksumAlgorithm, "CRC64NVME");
  assert.equal(await ok.Body!.transformToString(), TEXT);
});

test("composite (multipart) checksums are not validated: a -N suffix, or x-amz-checksum-type COMPOSITE; no header: nothing to validate", async () => {
  const suffixed = await s3(s3Transport({ "x-amz-checksum-crc32": "AAAAAA==-3" })).getObject({ Bucket: "b", Key: "k" });
  assert.equal(await suffixed.Body!.transformToString(), TEXT);
  const composite = { "x-amz-checksum-crc32c": await sum("CRC32C", WRONG), "x-amz-checksum-type": "COMPOSITE" };
  const typed = await s3(s3Transport(composite)).getObject({ Bucket: "b", Key: "k" });
  assert.equal(await typed.Body!.transformToString(), TEXT);
  const none = await s3(s3Transport({})).getObject({ Bucket: "b", Key: "k" });
  assert.equal(await none.Body!.transformToString(), TEXT);
  // A full-object checksum next to a composite one of another algorithm is still checked.
  const mixed = { "x-amz-checksum-crc64nvme": "AAAAAAAAAAA=-2", "x-amz-checksum-crc32": await sum("CRC32", WRONG) };
  const m = await s3(s3Transport(mixed)).getObject({ Bucket: "b", Key: "k" });
  await rejectsMismatch(m.Body!.transformToString(), "CRC32", mixed["x-amz-checksum-crc32"]);
});

test("when_required: ChecksumMode is not set and nothing is validated; an explicit ChecksumMode validates", async () => {
  const bad = await sum("CRC32", WRONG);
  const http = s3Transport({ "x-amz-checksum-crc32": bad });
  const client = s3(http, { responseChecksumValidation: "when_required" });
  const out = await client.getObject({ Bucket: "b", Key: "k" });
  assert.equal(http.requests[0]!.headers["x-amz-checksum-mode"], undefined);
  assert.equal(await out.Body!.transformToString(), TEXT);
  const asked = await client.getObject({ Bucket: "b", Key: "k", ChecksumMode: "ENABLED" });
  assert.equal(http.requests[1]!.headers["x-amz-checksum-mode"], "ENABLED");
  await rejectsMismatch(asked.Body!.transformToString(), "CRC32", bad);
});

test("settings: AWS_RESPONSE_CHECKSUM_VALIDATION, the profile's response_checksum_validation; the client config wins; request_checksum_calculation too", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsaws-rc-"));
  try {
    const configFile = join(dir, "config");
    writeFileSync(configFile, "[default]\nresponse_checksum_validation = when_required\nrequest_checksum_calculation = WHEN_REQUIRED\n");
    const cases: [string, Session, Record<string, unknown>, string | undefined][] = [
      ["env", new Session({ env: { AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required" } }), {}, undefined],
      ["profile", new Session({ env: {}, configFile }), {}, undefined],
      ["env over profile", new Session({ env: { AWS_RESPONSE_CHECKSUM_VALIDATION: "when_supported" }, configFile }), {}, "ENABLED"],
      ["config over env", new Session({ env: { AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required" } }), { responseChecksumValidation: "when_supported" }, "ENABLED"],
    ];
    for (const [name, session, extra, mode] of cases) {
      const http = s3Transport({});
      await s3(http, { session, ...extra }).getObject({ Bucket: "b", Key: "k" });
      assert.equal(http.requests[0]!.headers["x-amz-checksum-mode"], mode, name);
    }
    // The request setting reads the same places: when_required from the profile sends no optional checksum.
    const put = s3Transport({});
    await s3(put, { session: new Session({ env: {}, configFile }) }).putObject({ Bucket: "b", Key: "k", Body: "x" });
    assert.equal(put.requests[0]!.headers["x-amz-checksum-crc32"], undefined);
    const putDefault = s3Transport({});
    await s3(putDefault).putObject({ Bucket: "b", Key: "k", Body: "x" });
    assert.ok(putDefault.requests[0]!.headers["x-amz-checksum-crc32"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an invalid setting is a ConfigError naming the setting and its valid values", async () => {
  const fromEnv = s3(s3Transport({}), { session: new Session({ env: { AWS_RESPONSE_CHECKSUM_VALIDATION: "always" } }) });
  await assert.rejects(fromEnv.getObject({ Bucket: "b", Key: "k" }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /AWS_RESPONSE_CHECKSUM_VALIDATION/);
    assert.match(e.message, /"when_supported" or "when_required"/);
    assert.match(e.message, /"always"/);
    return true;
  });
  const fromConfig = s3(s3Transport({}), { requestChecksumCalculation: "sometimes" });
  await assert.rejects(fromConfig.getObject({ Bucket: "b", Key: "k" }), /requestChecksumCalculation.*"when_supported" or "when_required"/);
});

test("presign: ChecksumMode is not added (as botocore), an explicit one is kept", async () => {
  const client = s3(s3Transport({}));
  const plain = await presign(client, GetObject, { Bucket: "b", Key: "k" });
  assert.ok(!/checksum-mode/i.test(plain.url) && !Object.keys(plain.headers ?? {}).some((h) => /checksum-mode/i.test(h)), plain.url);
  const asked = await presign(client, GetObject, { Bucket: "b", Key: "k", ChecksumMode: "ENABLED" });
  assert.ok(/checksum-mode/i.test(asked.url) || Object.keys(asked.headers ?? {}).some((h) => /checksum-mode/i.test(h)), asked.url);
});

test("a body read whole (no streaming payload) is validated when the output is parsed", async () => {
  const op = { n: "Op", h: ["GET", "/"], ck: { vm: "Mode", rs: ["CRC32"] }, o: { t: 8, m: {} } } as unknown as OperationSchema;
  const call = { op, input: {} } as unknown as CallContext;
  const sent = { Mode: "ENABLED" };
  const received = (value: string) => ({ statusCode: 200, headers: { "x-amz-checksum-crc32": value }, body: BYTES });
  validateResponseChecksum({}, received(await sum("CRC32")), call, sent);
  const bad = await sum("CRC32", WRONG);
  assert.throws(() => validateResponseChecksum({}, received(bad), call, sent), ChecksumMismatchError);
  // Not asked (mode unset as sent): not validated.
  validateResponseChecksum({}, received(bad), call, {});
});
