// The output stage of an event-stream operation (`op.ev`, attached by the generator) in Node's
// prebundle, which imports runtime/eventstream.ts (framing, CRCs, the event reader) on the
// first call that streams events: the prebundle cannot leave out what one service's unused
// operations need, so the reader is a file of lib/ instead of ~14 KB more for every service's
// import to compile. The stage is async already (the client awaits it), so loading costs
// nothing but the import itself. Everywhere else package.json points `#runtime/eventstream-stage`
// at runtime/eventstream.ts itself: a bundler drops the reader from bundles whose operations do
// not use it, whereas a dynamic import would make it emit a chunk for it (and split the code it
// shares with the main chunk into more chunks) even then.
import { lazyModule } from "./lazy-module.js";
import type { OutputStage } from "./schema.js";

const reader = lazyModule(() => import("./eventstream.js"));

/** Reads an event-stream output (runtime/eventstream.ts `readEventStreamOutput`, loaded on first use). */
export const readEventStreamOutput: OutputStage = (protocol, service, op, response, output, metadata) =>
  reader.load().then((m) => m.readEventStreamOutput(protocol, service, op, response, output, metadata));
