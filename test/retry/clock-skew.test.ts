// Clock-skew correction (runtime/retry/clock-skew.ts) and defaults modes
// (runtime/defaults-mode.ts), on injected clocks.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  clockSkewCorrected,
  createClock,
  createRetryStrategy,
  isClockSkewError,
  serverClockOffset,
  type RetryErrorInfo,
} from "../../runtime/retry/index.js";
import {
  resolveAutoMode,
  resolveDefaults,
  resolveDefaultsModeName,
  DEFAULTS_MODES,
} from "../../runtime/defaults-mode.js";
import { ConfigError, ServiceError } from "../../runtime/errors.js";
import { rootFiles } from "../../codegen/root.js";
import retryData from "#root/retry";
import defaultsData from "#root/defaults";
import partitions from "#root/partitions";

let passed = 0;
let failed = 0;
function check(name: string, fn: () => void | Promise<void>): void {
  test(name, async () => {
    try {
      await fn();
      passed++;
    } catch (e) {
      failed++;
      throw e;
    }
  });
}
after(() => console.log(`clock-skew and defaults: ${passed} passed, ${failed} failed, 0 skipped`));

const LOCAL = Date.UTC(2024, 4, 1, 12, 0, 0);
const skewError = (code: string, date: string): RetryErrorInfo => ({
  error: new ServiceError(code, "Signature expired", { httpStatusCode: 403, attempts: 1, totalRetryDelay: 0 }),
  statusCode: 403,
  code,
  headers: { date },
});

describe("clock skew", () => {
  check("the offset is computed from a Date header", () => {
    assert.equal(serverClockOffset("Wed, 01 May 2024 12:10:00 GMT", LOCAL), 10 * 60 * 1000);
    assert.equal(serverClockOffset("Wed, 01 May 2024 11:45:30 GMT", LOCAL), -(14 * 60 + 30) * 1000);
    assert.equal(serverClockOffset("2024-05-01T12:00:05Z", LOCAL), 5000);
    assert.equal(serverClockOffset("garbage", LOCAL), undefined);
    assert.equal(serverClockOffset(undefined, LOCAL), undefined);
  });

  check("the clock moves only past the threshold, and reports when it did", () => {
    const clock = createClock({ now: () => LOCAL });
    assert.equal(clock.now(), LOCAL);
    assert.equal(clock.observe("Wed, 01 May 2024 12:02:00 GMT"), false, "2 min is within the threshold");
    assert.equal(clock.offset, 0);
    assert.equal(clock.observe("Wed, 01 May 2024 12:15:00 GMT"), true);
    assert.equal(clock.offset, 15 * 60 * 1000);
    assert.equal(clock.now(), LOCAL + 15 * 60 * 1000);
    assert.equal(clock.observe("Wed, 01 May 2024 12:15:01 GMT"), false, "already corrected");
    assert.equal(clock.observe("Wed, 01 May 2024 11:00:00 GMT"), true, "moves back too");
    assert.equal(clock.offset, -60 * 60 * 1000);
    assert.equal(clock.observe(undefined), false);
    const custom = createClock({ now: () => LOCAL, threshold: 1000, offset: 500 });
    assert.equal(custom.now(), LOCAL + 500);
    assert.equal(custom.observe("Wed, 01 May 2024 12:00:03 GMT"), true);
    assert.equal(custom.offset, 3000);
  });

  check("skew errors: corrected once, then retried once by the strategy", async () => {
    for (const code of [
      "RequestTimeTooSkewed",
      "InvalidSignatureException",
      "RequestExpired",
      "SignatureDoesNotMatch",
      "AuthFailure",
      "RequestInTheFuture",
    ])
      assert.ok(isClockSkewError(code), code);
    assert.ok(!isClockSkewError("AccessDenied"));
    assert.ok(!isClockSkewError(undefined));

    const clock = createClock({ now: () => LOCAL });
    const strategy = createRetryStrategy({ random: () => 0.5 });
    const token = await strategy.acquireToken();
    const first = skewError("RequestTimeTooSkewed", "Wed, 01 May 2024 12:20:00 GMT");
    first.clockSkewCorrected = clockSkewCorrected(clock, first);
    assert.equal(first.clockSkewCorrected, true);
    assert.equal(clock.offset, 20 * 60 * 1000);
    assert.notEqual(strategy.retryDelay(token, first), undefined, "retried with the corrected clock");
    // The server still rejects: the clock does not move again, so no further retry.
    const second = skewError("RequestTimeTooSkewed", "Wed, 01 May 2024 12:20:01 GMT");
    second.clockSkewCorrected = clockSkewCorrected(clock, second);
    assert.equal(second.clockSkewCorrected, false);
    assert.equal(strategy.retryDelay(token, second), undefined);
    // A non-skew error whose response corrects the clock is not a skew retry.
    const other = skewError("AccessDenied", "Wed, 01 May 2024 10:00:00 GMT");
    assert.equal(clockSkewCorrected(createClock({ now: () => LOCAL }), other), false);
  });
});

describe("defaults modes", () => {
  check("values of each mode from sdk-default-configuration.json", () => {
    const common = { retryMode: "standard", stsRegionalEndpoints: "regional", s3UsEast1RegionalEndpoints: "regional" };
    assert.deepEqual(resolveDefaults("standard"), {
      mode: "standard",
      ...common,
      connectTimeoutInMillis: 3100,
      tlsNegotiationTimeoutInMillis: 3100,
    });
    assert.deepEqual(resolveDefaults("in-region"), {
      mode: "in-region",
      ...common,
      connectTimeoutInMillis: 1100,
      tlsNegotiationTimeoutInMillis: 1100,
    });
    assert.deepEqual(resolveDefaults("cross-region"), {
      mode: "cross-region",
      ...common,
      connectTimeoutInMillis: 3100,
      tlsNegotiationTimeoutInMillis: 3100,
    });
    assert.deepEqual(resolveDefaults("mobile"), {
      mode: "mobile",
      ...common,
      connectTimeoutInMillis: 30000,
      tlsNegotiationTimeoutInMillis: 30000,
    });
    assert.deepEqual(resolveDefaults("legacy"), {
      mode: "legacy",
      ...common,
      connectTimeoutInMillis: undefined,
      tlsNegotiationTimeoutInMillis: undefined,
    });
    assert.throws(() => resolveDefaults("fast" as "standard"), ConfigError);
    assert.equal(DEFAULTS_MODES.length, 6);
  });

  check("auto picks mobile, in-region, cross-region or standard", () => {
    assert.equal(resolveAutoMode({ isMobile: true, region: "us-east-1", executionRegion: "us-east-1" }), "mobile");
    assert.equal(resolveAutoMode({ region: "us-east-1", executionRegion: "us-east-1" }), "in-region");
    assert.equal(resolveAutoMode({ region: "us-east-1", executionRegion: "eu-west-1" }), "cross-region");
    assert.equal(resolveAutoMode({ region: "eu-west-1", imdsRegion: "eu-west-1" }), "in-region");
    assert.equal(
      resolveAutoMode({ region: "eu-west-1", executionRegion: "us-west-2", imdsRegion: "eu-west-1" }),
      "cross-region",
    );
    assert.equal(resolveAutoMode({ region: "eu-west-1" }), "standard");
    assert.equal(resolveAutoMode({}), "standard");
    assert.equal(
      resolveDefaults("auto", { region: "us-east-1", imdsRegion: "us-east-1" }).connectTimeoutInMillis,
      1100,
    );
    assert.equal(resolveDefaults("auto", { isMobile: true }).mode, "mobile");
    assert.equal(resolveDefaults("auto").mode, "standard");
  });

  check("mode name from config, AWS_DEFAULTS_MODE, profile; legacy otherwise", () => {
    assert.equal(resolveDefaultsModeName(), "legacy");
    assert.equal(resolveDefaultsModeName({ profile: { defaults_mode: "mobile" } }), "mobile");
    assert.equal(
      resolveDefaultsModeName({ env: { AWS_DEFAULTS_MODE: "In-Region" }, profile: { defaults_mode: "mobile" } }),
      "in-region",
    );
    assert.equal(resolveDefaultsModeName({ config: "auto", env: { AWS_DEFAULTS_MODE: "standard" } }), "auto");
    assert.throws(() => resolveDefaultsModeName({ env: { AWS_DEFAULTS_MODE: "turbo" } }), /AWS_DEFAULTS_MODE/);
  });
});

describe("root data (generated/_root)", () => {
  check("the generated files are what codegen/root.ts writes now (run `make root` after a model update)", async () => {
    const { readFileSync } = await import("node:fs");
    for (const [name, text] of Object.entries(rootFiles())) {
      const path = new URL(`../../generated/_root/${name}`, import.meta.url);
      assert.equal(readFileSync(path, "utf8"), text, name);
    }
  });

  check("the data has the shapes its .d.ts declares", () => {
    assert.equal(retryData.retry.__default__.max_attempts, 5);
    assert.equal(retryData.definitions["throttling"]?.applies_when.response?.service_error_code, "Throttling");
    assert.equal(defaultsData.base.retryMode, "standard");
    assert.equal(typeof defaultsData.modes["mobile"]?.connectTimeoutInMillis?.override, "number");
    const aws = partitions.partitions.find((p) => p.id === "aws");
    assert.equal(aws?.outputs.dnsSuffix, "amazonaws.com");
    assert.deepEqual(aws?.regions["aws-global"], {}, "region descriptions are dropped");
    assert.equal(aws?.regions["us-east-1"], undefined, "a region the regular expression finds is not listed");
    for (const p of partitions.partitions) assert.doesNotThrow(() => new RegExp(p.regionRegex), p.id);
  });
});
