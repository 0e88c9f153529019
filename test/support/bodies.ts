// A ready response body for recording transports in tests: the whole text, readable every way
// a ResponseBody is.
import type { ResponseBody } from "../../runtime/http/types.js";

export function textBody(text: string): ResponseBody {
  const bytes = new TextEncoder().encode(text);
  return {
    async *[Symbol.asyncIterator]() {
      yield bytes;
    },
    transformToByteArray: async () => bytes,
    transformToString: async () => text,
    transformToWebStream: () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(bytes);
          c.close();
        },
      }),
    cancel: async () => {},
  };
}
