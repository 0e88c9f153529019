// One setting read from its sources in the AWS SDKs' order: the client config's option, the
// environment (AWS_ and the profile key in capitals), the shared-config profile, then an
// optional fallback; the first source that sets it wins and is checked, and a bad value is a
// ConfigError naming that source (setting values are not secrets). Retry mode, max attempts
// and the defaults mode are read this way.
import { ConfigError } from "../errors.js";

type Values = Readonly<Record<string, string | undefined>> | undefined;

/**
 * The setting `name` (a profile key, e.g. max_attempts) from the first source that
 * sets it: the client config's value (its option `option`), the environment (AWS_ and the name
 * in capitals, AWS_MAX_ATTEMPTS), the profile, then `fallback` when given. Read by `read`,
 * which names the source when it throws; undefined when nothing sets it (undefined, null and
 * "" set nothing).
 */
export function firstSet<V, T>(
  name: string,
  option: string,
  configured: V | string | undefined,
  env: Values,
  profile: Values,
  read: (value: V | string, source: string) => T,
  fallback?: readonly [string | undefined, string],
): T | undefined {
  const envName = `AWS_${name.toUpperCase()}`;
  const sources: readonly (readonly [V | string | undefined | null, string])[] = [
    [configured, `client config ${option}`],
    [env?.[envName], envName],
    [profile?.[name], `profile ${name}`],
    fallback ?? [undefined, ""],
  ];
  for (const [value, source] of sources) if (value !== undefined && value !== null && value !== "") return read(value, source);
  return undefined;
}

/** One of `names`, case and surrounding spaces ignored; ConfigError naming the source otherwise. */
export function oneOf<N extends string>(names: readonly N[], what: string): (value: string, source: string) => N {
  return (value, source) => {
    const v = value.trim().toLowerCase();
    if ((names as readonly string[]).includes(v)) return v as N;
    throw new ConfigError(`${source}: invalid ${what} ${JSON.stringify(value)} (expected ${names.join(", ")})`);
  };
}
