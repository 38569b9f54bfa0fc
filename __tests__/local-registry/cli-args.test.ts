import { describe, expect, it } from "vitest";
import {
  CliUsageError,
  formatReady,
  parseArgs,
} from "../../src/local-registry/cli-args.js";

describe("parseArgs", () => {
  it("gives defaults for no arguments", () => {
    expect(parseArgs([])).toEqual({ options: {}, json: false, help: false });
  });

  it("reads every server option", () => {
    const args = parseArgs([
      "--host",
      "0.0.0.0",
      "--port=8080",
      "--storage-port",
      "8081",
      "--token",
      "a",
      "--token",
      "b",
      "--data-dir",
      "/tmp/registry",
      "--page-size",
      "2",
      "--upload-url-ttl",
      "30",
      "--no-stable-routes",
      "--required-header",
      "x-ms-blob-type: BlockBlob",
      "--json",
    ]);

    expect(args).toEqual({
      json: true,
      help: false,
      options: {
        host: "0.0.0.0",
        apiPort: 8080,
        storagePort: 8081,
        tokens: ["a", "b"],
        dataDir: "/tmp/registry",
        pageSize: 2,
        uploadUrlTtlSeconds: 30,
        routes: { stable: false },
        requiredHeaders: { "x-ms-blob-type": "BlockBlob" },
      },
    });
  });

  it("reads the fault options", () => {
    const { options } = parseArgs([
      "--seed",
      "3",
      "--error-rate",
      "0.2",
      "--rate-limit-rate",
      "0.1",
      "--reset-rate",
      "0.05",
      "--latency-ms",
      "10",
      "--commit-then-drop-rate",
      "1",
      "--fault-routes",
      "start,complete",
    ]);

    expect(options.faults).toEqual({
      seed: 3,
      errorRate: 0.2,
      rateLimitRate: 0.1,
      resetRate: 0.05,
      latencyMs: 10,
      commitThenDropRate: 1,
      routes: ["start", "complete"],
    });
  });

  it("reads the OIDC options", () => {
    const { options } = parseArgs([
      "--oidc-id-token",
      "id",
      "--oidc-organization",
      "acme",
    ]);
    expect(options.oidc).toEqual({ idToken: "id", organization: "acme" });
  });

  it.each([
    [["--bogus"], 'unknown option "--bogus"'],
    [["--port"], "--port needs a value"],
    [["--port", "70000"], "--port must be a whole number 0..65535"],
    [["--error-rate", "2"], "--error-rate must be a share between 0 and 1"],
    [["--fault-routes", "start,publish"], 'unknown route "publish"'],
    [["--oidc-id-token", "id"], "OIDC needs both"],
    [["--json=yes"], "option --json takes no value"],
    [["constructor"], 'unknown option "constructor"'],
  ])("refuses %j", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(CliUsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it("asks for help", () => {
    expect(parseArgs(["--help"]).help).toBe(true);
    expect(parseArgs(["-h"]).help).toBe(true);
  });
});

describe("formatReady", () => {
  const info = {
    apiUrl: "http://127.0.0.1:1",
    storageUrl: "http://127.0.0.1:2",
    token: "pul-local-x",
  };

  it("prints exactly one JSON line in JSON mode", () => {
    const { stdout } = formatReady(info, true);
    expect(stdout.endsWith("\n")).toBe(true);
    expect(stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(stdout)).toEqual(info);
  });

  it("prints the URLs and a usage example for people", () => {
    const { stdout } = formatReady(info, false);
    expect(stdout).toContain("http://127.0.0.1:2");
    expect(stdout).toContain("cloud-url: http://127.0.0.1:1");
    expect(stdout).toContain("PULUMI_ACCESS_TOKEN=pul-local-x");
  });
});
