// EC2's customization (botocore's base64_encode_user_data): RunInstances' `UserData` is given
// as the text itself and sent base64-encoded (UTF-8), as EC2's documentation says the SDKs do.
// Only RunInstances, as botocore (the launch template and spot request members take the
// encoded text, as the model documents).
import type { InputStage } from "../schema.js";
import { toBase64, utf8 } from "../encoding.js";

/** RunInstances: `UserData` text sent base64-encoded. */
export const ec2UserData: InputStage = (input) =>
  typeof input.UserData === "string" ? { ...input, UserData: toBase64(utf8(input.UserData)) } : input;
