// API Gateway's Accept header (botocore's add_accept_header): see runtime/customizations.ts.
import type { BodyStage } from "../schema.js";

/** API Gateway answers JSON (not HAL) only when asked: `Accept: application/json`, as botocore sends. */
export const acceptJson: BodyStage = (_op, _config, headers, body) => {
  headers.accept ??= "application/json";
  return body;
};
