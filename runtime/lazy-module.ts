// A module imported on first need (TLS, the XML parser, #crypto for response checksums, the
// retry machinery): one import shared by every caller, its value readable synchronously once
// it has arrived (so hot paths await nothing after the first time), and a failed import not
// remembered, so the next caller tries again (a browser chunk that did not arrive, say).
// The importer is a function with a literal `import()` so bundlers still see the chunk.

export interface LazyModule<T> {
  /** The module once its import has completed, else undefined. */
  readonly value: T | undefined;
  /** Imports the module (once; again after a failure) and resolves to it. */
  load(): Promise<T>;
}

export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let value: T | undefined;
  let loading: Promise<T> | undefined;
  return {
    get value() {
      return value;
    },
    load: () =>
      (loading ??= importer().then(
        (m) => (value = m),
        (e: unknown) => {
          loading = undefined;
          throw e;
        },
      )),
  };
}
