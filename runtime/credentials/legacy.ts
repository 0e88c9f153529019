// Node-only: the two legacy file formats botocore still reads, for parity. AWS_CREDENTIAL_FILE names
// an old EC2-tools file of `AWSAccessKeyId=` / `AWSSecretKey=` lines (botocore's
// OriginalEC2Provider); BOTO_CONFIG names a boto 2 config whose [Credentials] section has
// aws_access_key_id / aws_secret_access_key (botocore's BotoProvider). Unlike botocore, the boto
// provider does not read /etc/boto.cfg or ~/.boto unless BOTO_CONFIG points there: a JavaScript
// SDK picking up a Python tool's file unasked would surprise. A file without both keys passes.

import { readFile } from "node:fs/promises";
import { parseIni, parseKeyValueFile } from "../config/ini.js";
import { processEnv, profileString, type Env } from "../config/profiles.js";
import { CredentialsNotFoundError, makeCredentials, type CredentialProvider } from "./types.js";

export interface LegacyOptions {
  env?: Env;
}

async function read(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

export function fromLegacyCredentialFile(options: LegacyOptions = {}): CredentialProvider {
  return async () => {
    const env = options.env ?? processEnv();
    const path = env.AWS_CREDENTIAL_FILE;
    const source = "the legacy AWS_CREDENTIAL_FILE";
    if (!path) throw new CredentialsNotFoundError(source, "AWS_CREDENTIAL_FILE is not set");
    const bytes = await read(path);
    if (!bytes) throw new CredentialsNotFoundError(source, `${path} does not exist`);
    const values = parseKeyValueFile(bytes, path);
    if (!values.AWSAccessKeyId || !values.AWSSecretKey) {
      throw new CredentialsNotFoundError(source, `${path} has no AWSAccessKeyId / AWSSecretKey`);
    }
    return makeCredentials({ accessKeyId: values.AWSAccessKeyId, secretAccessKey: values.AWSSecretKey });
  };
}

export function fromBotoConfig(options: LegacyOptions = {}): CredentialProvider {
  return async () => {
    const env = options.env ?? processEnv();
    const path = env.BOTO_CONFIG;
    const source = "the boto config file";
    if (!path) throw new CredentialsNotFoundError(source, "BOTO_CONFIG is not set");
    const bytes = await read(path);
    if (!bytes) throw new CredentialsNotFoundError(source, `${path} does not exist`);
    const section = parseIni(bytes, { path }).Credentials;
    const accessKeyId = profileString(section, "aws_access_key_id");
    const secretAccessKey = profileString(section, "aws_secret_access_key");
    if (!accessKeyId || !secretAccessKey) {
      throw new CredentialsNotFoundError(
        source,
        `${path} has no [Credentials] aws_access_key_id / aws_secret_access_key`,
      );
    }
    return makeCredentials({ accessKeyId, secretAccessKey });
  };
}
