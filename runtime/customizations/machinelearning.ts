// Amazon Machine Learning's customization (botocore's switch_host_machinelearning): Predict is
// answered by the model's real-time endpoint, which the call names in `PredictEndpoint`, not by
// the service endpoint; the request goes to that URL's scheme and host (its path is the call's
// own) and is signed for it. A body stage given the serialized request (schema.ts BodyStage
// `request`) sets its `url`; not done for presigned URLs.
import type { BodyStage } from "../schema.js";
import { RequestFormError } from "../errors.js";

/** Predict: sent to the scheme and host of `PredictEndpoint`. */
export const predictEndpoint: BodyStage = (_op, _config, _headers, body, input, request) => {
  const target = input.PredictEndpoint;
  if (!request || typeof target !== "string") return body;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new RequestFormError(`Predict: PredictEndpoint ${JSON.stringify(target)} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new RequestFormError(`Predict: PredictEndpoint ${JSON.stringify(target)} is not an http(s) URL`);
  request.url = new URL(`${url.protocol}//${url.host}`);
  return body;
};
