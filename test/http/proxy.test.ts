// Proxy settings from the environment: variable precedence, URL parsing, NO_PROXY matching.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError } from "../../runtime/errors.js";
import { bypassesProxy, parseProxyUrl, proxyFor, proxySettingsFromEnv } from "../../runtime/http/proxy.js";

describe("proxySettingsFromEnv", () => {
  test("nothing set (or blank) -> undefined", () => {
    assert.equal(proxySettingsFromEnv({}), undefined);
    assert.equal(proxySettingsFromEnv({ HTTP_PROXY: "  ", NO_PROXY: "x" }), undefined);
  });

  test("lower-case spellings win over upper-case", () => {
    const s = proxySettingsFromEnv({ https_proxy: "http://low:1", HTTPS_PROXY: "http://up:2", HTTP_PROXY: "up2:3" })!;
    assert.equal(s.https?.hostname, "low");
    assert.equal(s.https?.port, 1);
    assert.equal(s.http?.hostname, "up2");
    assert.equal(s.http?.port, 3);
  });

  test("scheme-specific targets", () => {
    const s = proxySettingsFromEnv({ HTTPS_PROXY: "http://p:8080" })!;
    assert.equal(proxyFor(s, "http:", "example.com", 80), undefined);
    assert.equal(proxyFor(s, "https:", "example.com", 443)?.label, "p:8080");
  });
});

describe("parseProxyUrl", () => {
  test("defaults, https proxies, credentials", () => {
    assert.deepEqual(parseProxyUrl("proxy.corp"), {
      protocol: "http:",
      hostname: "proxy.corp",
      port: 80,
      label: "proxy.corp:80",
    });
    assert.equal(parseProxyUrl("https://proxy.corp").port, 443);
    assert.equal(parseProxyUrl("http://[::1]:3128").hostname, "::1");
    assert.equal(parseProxyUrl("http://[::1]:3128").label, "[::1]:3128");
    const withAuth = parseProxyUrl("http://us%3Aer:p%40ss@p:1");
    assert.equal(withAuth.authorization, `Basic ${btoa("us:er:p@ss")}`);
    assert.ok(!withAuth.label.includes("ss"), "credentials never in the label");
  });

  test("invalid or unsupported -> ConfigError without echoing the value", () => {
    assert.throws(
      () => parseProxyUrl("http://user:secret@[bad", "HTTPS_PROXY"),
      (e: unknown) => e instanceof ConfigError && !e.message.includes("secret"),
    );
    assert.throws(() => parseProxyUrl("socks5://p:1080", "HTTP_PROXY"), /only http and https proxies/);
  });
});

describe("NO_PROXY matching", () => {
  const cases: [noProxy: string, host: string, port: number, bypass: boolean][] = [
    ["*", "anything.example", 443, true],
    ["example.com", "example.com", 443, true],
    ["example.com", "s3.example.com", 443, true],
    ["example.com", "badexample.com", 443, false],
    [".example.com", "example.com", 443, true],
    [".example.com", "a.b.example.com", 443, true],
    ["*.example.com", "a.example.com", 443, true],
    ["EXAMPLE.com", "Example.COM.", 443, true],
    ["example.com:8443", "example.com", 443, false],
    ["example.com:8443", "example.com", 8443, true],
    ["10.0.0.0/8", "10.1.2.3", 80, true],
    ["10.0.0.0/8", "11.1.2.3", 80, false],
    ["192.168.1.0/24", "192.168.1.77", 80, true],
    ["192.168.1.0/24", "192.168.2.1", 80, false],
    ["0.0.0.0/0", "8.8.8.8", 80, true],
    ["127.0.0.1", "127.0.0.1", 9000, true],
    ["127.0.0.1", "127.0.0.10", 9000, false],
    ["::1", "::1", 80, true],
    ["[::1]:80", "[::1]", 80, true],
    ["[::1]:80", "::1", 81, false],
    ["localhost, 169.254.169.254 ,  .internal", "metadata.internal", 80, true],
    ["localhost 169.254.169.254", "169.254.169.254", 80, true],
    ["", "example.com", 80, false],
    ["10.0.0.0/33", "10.0.0.1", 80, false],
  ];
  for (const [noProxy, host, port, bypass] of cases) {
    test(`NO_PROXY=${JSON.stringify(noProxy)} ${host}:${port} -> ${bypass ? "direct" : "proxy"}`, () => {
      const s = proxySettingsFromEnv({ HTTP_PROXY: "http://p:1", NO_PROXY: noProxy })!;
      assert.equal(bypassesProxy(s, host, port), bypass);
      assert.equal(proxyFor(s, "http:", host, port) === undefined, bypass);
    });
  }
});
