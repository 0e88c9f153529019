// Input event streams (an input payload member targeting an event-stream union: Bedrock
// InvokeModelWithBidirectionalStream, Lex V2 StartConversation, Polly StartSpeechSynthesisStream,
// Q Business Chat, Connect Health StartMedicalScribeListeningSession) are not written by the
// runtime: such a call fails before sending with RequestFormError. It used to be sent, signed,
// with the async iterable written as an empty JSON structure (`{}`, application/json).
import assert from "node:assert/strict";
import { RequestFormError } from "tsaws";
import { LexRuntimeV2 } from "tsaws/lexv2-runtime";
import { protocol as restJson } from "../../runtime/protocols/rest-json.ts";
import { protocol as restXml } from "../../runtime/protocols/rest-xml.ts";
import type { OperationSchema, ServiceSchema, StructureShape } from "../../runtime/schema.ts";
import type { HttpRequest } from "../../runtime/http/types.ts";
import { countedTests } from "../support/counted.ts";

const check = countedTests("protocols input event stream");

const event: StructureShape = { t: 8, m: { text: 0 }, n: "TextEvent", ev: 1 };
const stream: StructureShape = { t: 8, m: { TextEvent: event }, n: "RequestStream", es: 1, u: 1 };
const input: StructureShape = { t: 8, m: { id: [0, { l: "uri", n: "id" }], events: stream }, n: "StartInput", p: "events" };
const op: OperationSchema = { n: "Start", h: ["POST", "/sessions/{id}"], i: input };
const service: ServiceSchema = { id: "Example", p: "rest-json", v: "2024-01-01", ep: "example", sn: "example" };
const ctx = { uuid: () => "00000000-0000-4000-8000-000000000001" };

async function* events(): AsyncGenerator<Record<string, unknown>> {
  yield { TextEvent: { text: "hello" } };
}

check("rest-json and rest-xml refuse an input event stream payload with RequestFormError", () => {
  for (const p of [restJson, restXml]) {
    assert.throws(
      () => p.serialize(service, op, { id: "s1", events: events() }, ctx),
      (e: unknown) => e instanceof RequestFormError && /events is an input event stream/.test(e.message),
    );
  }
});

check("without the stream the request is formed as before (no body)", () => {
  const r = restJson.serialize(service, op, { id: "s1" }, ctx);
  assert.equal(r.path, "/sessions/s1");
  assert.equal(r.body, undefined);
});

check("a generated client's call fails before anything is sent (Lex V2 StartConversation)", async () => {
  const sent: HttpRequest[] = [];
  const lex = new LexRuntimeV2({
    region: "us-east-1",
    credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
    maxAttempts: 1,
    httpHandler: { handle: async (r) => (sent.push(r), Promise.reject(new Error("not reached"))) },
  });
  const e = await lex
    .startConversation({ botId: "b1", botAliasId: "a1", localeId: "en_US", sessionId: "s1", requestEventStream: events() as never })
    .catch((err: unknown) => err);
  assert.ok(e instanceof RequestFormError, `got ${String(e)}`);
  assert.match(e.message, /requestEventStream is an input event stream/);
  assert.equal(sent.length, 0);
});
