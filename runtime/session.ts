// A Session, as in boto3: it holds a profile, a region and credentials, reads the shared
// config once, and makes clients that share them (`session.client(S3)`). Two sessions never
// share credentials, caches or config (each loads its own, and its credential chain and its
// STS calls read only its own environment and profile). A client made without a session gets
// its own implicit one, reading the environment and the default profile. What is read depends
// on the platform (package.json `#defaults`): files and the full chain on Node, only the given
// options in browsers.
import type { ClientConfig } from "./client.js";
import type { Credentials } from "./signer/sigv4.js";
import { loadDefaults } from "#defaults";
import type { LoadedDefaults, SessionOptions } from "./defaults/types.js";

export type { DefaultsMode, SessionOptions } from "./defaults/types.js";

export class Session {
  readonly options: Readonly<SessionOptions>;
  #loading: Promise<LoadedDefaults> | undefined;

  constructor(options: SessionOptions = {}) {
    this.options = { ...options };
  }

  /** Makes a client of this session: `session.client(S3, { forcePathStyle: true })`. */
  client<C, Config extends ClientConfig>(Client: new (config?: Config) => C, config?: Config): C {
    return new Client({ ...config, session: this } as unknown as Config);
  }

  /** The region this session's clients use (undefined when none is configured anywhere). */
  async region(): Promise<string | undefined> {
    return (await this.defaults()).region;
  }

  /** Resolves this session's credentials (cached and refreshed by the provider). */
  async credentials(): Promise<Credentials> {
    return (await this.defaults()).credentials();
  }

  /** @internal The loaded defaults, read once. */
  defaults(): Promise<LoadedDefaults> {
    // A failed load (a profile not written yet, say) is not remembered: the next call reads again.
    this.#loading ??= loadDefaults(this.options, this).catch((e: unknown) => {
      this.#loading = undefined;
      throw e;
    });
    return this.#loading;
  }
}
