// Lambda recursion detection (botocore's add_recursion_detection_header, AWS SDK v3's
// middleware-recursion-detection): inside a Lambda function (AWS_LAMBDA_FUNCTION_NAME set) with
// an X-Ray trace id in _X_AMZN_TRACE_ID, every request carries it as `X-Amzn-Trace-Id`, so AWS
// can see a function that ends up invoking itself in a loop. The environment is read on each
// call, since Lambda changes the trace id per invocation. Node only: defaults/node.ts hands this
// to the client (LoadedDefaults.requestHeaders), defaults/web.ts does not, so a browser bundle
// carries none of it. The header is never signed (signer/canonical.ts UNSIGNABLE_HEADERS).
import type { Env } from "../defaults/types.js";

const HEADER = "x-amzn-trace-id";

// What botocore's quote() leaves as it is: letters, digits, `_.-~` and its extra safe characters.
const SAFE = /^[A-Za-z0-9_.~=;:+&[\]{}"',-]$/;

/** Percent-encodes (UTF-8) every other character, as botocore quotes the trace id. */
function encodeTraceId(id: string): string {
  let out = "";
  for (const ch of id) {
    if (SAFE.test(ch)) out += ch;
    else {
      const e = encodeURIComponent(ch); // leaves ! ( ) * as they are; botocore encodes them
      out += e === ch ? `%${ch.charCodeAt(0).toString(16).toUpperCase()}` : e;
    }
  }
  return out;
}

/**
 * Adds `x-amzn-trace-id` from `env` when the code runs in a Lambda function with a trace id and
 * the request has no such header yet (in any letter case).
 */
export function addTraceIdHeader(headers: Record<string, string>, env: Env): void {
  const traceId = env._X_AMZN_TRACE_ID;
  if (env.AWS_LAMBDA_FUNCTION_NAME === undefined || !traceId) return;
  for (const k in headers) if (k.toLowerCase() === HEADER) return;
  headers[HEADER] = encodeTraceId(traceId);
}
