import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { isLoopback, parseSettings } from "../src/inputs.js";

const workspace = mkdtempSync(path.join(tmpdir(), "inputs-test-"));
writeFileSync(path.join(workspace, "a-file"), "");
const env = { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: "/tmp/runner" };

function settingsFrom(inputs: Record<string, string>, extraEnv = {}) {
  return parseSettings((name) => inputs[name] ?? "", { ...env, ...extraEnv });
}

function inputErrorOf(inputs: Record<string, string>, extraEnv = {}) {
  try {
    settingsFrom(inputs, extraEnv);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError");
}

describe("parseSettings", () => {
  it("applies every default", () => {
    const settings = settingsFrom({});
    expect(settings).toMatchObject({
      command: "publish",
      kind: "package",
      cloudUrl: "https://api.pulumi.com",
      apiRoutes: "auto",
      source: "private",
      ifExists: "fail",
      dryRun: false,
      maxAttempts: 5,
      requestTimeoutMs: 120_000,
      summary: true,
      tagPrefix: "",
      workingDirectory: workspace,
      templateDirectory: workspace,
      maxArchiveBytes: 50 * 1024 * 1024,
      tempDir: "/tmp/runner",
    });
    expect(settings.token).toBeUndefined();
  });

  it("resolves paths from the working directory", () => {
    const settings = settingsFrom({
      schema: "schema.json",
      readme: "docs/_index.md",
    });
    expect(settings.schema).toBe(path.join(workspace, "schema.json"));
    expect(settings.readme).toBe(path.join(workspace, "docs", "_index.md"));
  });

  it("takes the token from the input before the environment", () => {
    expect(
      settingsFrom(
        { "access-token": "from-input" },
        { PULUMI_ACCESS_TOKEN: "from-env" },
      ),
    ).toMatchObject({ token: "from-input", tokenSource: "input" });
    expect(settingsFrom({}, { PULUMI_ACCESS_TOKEN: "from-env" })).toMatchObject(
      { token: "from-env", tokenSource: "env" },
    );
  });

  it("refuses a token with a line break inside, without quoting it", () => {
    const error = inputErrorOf({}, { PULUMI_ACCESS_TOKEN: "pul-abc\npul-def" });
    expect(error.location.input).toBe("PULUMI_ACCESS_TOKEN");
    expect(error.message).toMatch(/white space or a line break/);
    expect(error.message).not.toContain("pul-abc");
  });

  it("treats an empty token as absent", () => {
    const settings = settingsFrom(
      { "access-token": "  " },
      { PULUMI_ACCESS_TOKEN: "" },
    );
    expect(settings.token).toBeUndefined();
    expect(settings.tokenSource).toBeUndefined();
  });

  it("uses PULUMI_BACKEND_URL only when it is an http(s) URL", () => {
    expect(
      settingsFrom({}, { PULUMI_BACKEND_URL: "https://api.example.com/" })
        .cloudUrl,
    ).toBe("https://api.example.com");
    expect(
      settingsFrom({}, { PULUMI_BACKEND_URL: "s3://bucket" }).cloudUrl,
    ).toBe("https://api.pulumi.com");
    expect(
      settingsFrom({ "cloud-url": "http://127.0.0.1:4000" }).cloudUrl,
    ).toBe("http://127.0.0.1:4000");
  });

  it("parses booleans and numbers", () => {
    const settings = settingsFrom({
      "dry-run": "TRUE",
      summary: "false",
      "max-attempts": "3",
      "request-timeout": "2.5",
    });
    expect(settings).toMatchObject({
      dryRun: true,
      summary: false,
      maxAttempts: 3,
      requestTimeoutMs: 2500,
    });
  });

  it("accepts an RFC 3339 published-at", () => {
    expect(
      settingsFrom({ "published-at": "2023-01-02T03:04:05+01:00" }).publishedAt,
    ).toBe("2023-01-02T03:04:05+01:00");
  });

  const bad: [string, Record<string, string>, string, RegExp][] = [
    [
      "unknown kind",
      { kind: "plugin" },
      "kind",
      /"plugin", which is not one of: package, template/,
    ],
    ["unknown command", { command: "deploy" }, "command", /not one of/],
    [
      "unknown api-routes",
      { "api-routes": "beta" },
      "api-routes",
      /auto, stable, preview/,
    ],
    [
      "bad if-exists",
      { "if-exists": "overwrite" },
      "if-exists",
      /fail, skip, verify/,
    ],
    ["bad dry-run", { "dry-run": "maybe" }, "dry-run", /not a boolean/],
    [
      "zero attempts",
      { "max-attempts": "0" },
      "max-attempts",
      /whole number 1 to 20/,
    ],
    [
      "fractional attempts",
      { "max-attempts": "2.5" },
      "max-attempts",
      /whole number/,
    ],
    [
      "text timeout",
      { "request-timeout": "soon" },
      "request-timeout",
      /"soon"/,
    ],
    ["bad source", { source: "github" }, "source", /not a registry source/],
    [
      "template on a public source",
      { kind: "template", source: "pulumi" },
      "source",
      /only be published to the "private" source/,
    ],
    [
      "http cloud url",
      { "cloud-url": "http://api.example.com" },
      "cloud-url",
      /plain http/,
    ],
    [
      "cloud url that is not a url",
      { "cloud-url": "api.pulumi.com" },
      "cloud-url",
      /not a URL/,
    ],
    [
      "cloud url with a query",
      { "cloud-url": "https://api.example.com/?x=1" },
      "cloud-url",
      /must not carry/,
    ],
    [
      "ftp cloud url",
      { "cloud-url": "ftp://api.example.com" },
      "cloud-url",
      /must use https/,
    ],
    [
      "published-at not a date",
      { "published-at": "yesterday" },
      "published-at",
      /not an RFC 3339/,
    ],
    [
      "published-at without zone",
      { "published-at": "2023-01-02T03:04:05" },
      "published-at",
      /not an RFC 3339/,
    ],
    [
      "published-at in the future",
      { "published-at": "2999-01-01T00:00:00Z" },
      "published-at",
      /in the future/,
    ],
    [
      "working-directory missing",
      { "working-directory": "nope" },
      "working-directory",
      /not a directory/,
    ],
    [
      "working-directory is a file",
      { "working-directory": "a-file" },
      "working-directory",
      /not a directory/,
    ],
    [
      "bad max-archive-size",
      { "max-archive-size": "-1" },
      "max-archive-size",
      /at least/,
    ],
  ];
  it.each(bad)("rejects %s", (_name, inputs, input, message) => {
    const error = inputErrorOf(inputs);
    expect(error.location.input).toBe(input);
    expect(error.message).toMatch(message);
  });

  it("refuses a cloud URL that carries credentials", () => {
    const error = inputErrorOf({
      "cloud-url": "https://user:secret@api.example.com",
    });
    expect(error.location.input).toBe("cloud-url");
    expect(error.message).toMatch(/must not carry credentials/);
    expect(error.message).not.toContain("secret");
  });

  it("allows plain http for localhost only, not for a name that starts with it", () => {
    expect(
      settingsFrom({ "cloud-url": "http://localhost:4100" }).cloudUrl,
    ).toBe("http://localhost:4100");
    const error = inputErrorOf({
      "cloud-url": "http://localhost.example.com",
    });
    expect(error.message).toMatch(/plain http/);
  });

  it("refuses a published-at an hour ahead", () => {
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    expect(inputErrorOf({ "published-at": soon }).message).toMatch(
      /in the future/,
    );
  });

  it("names PULUMI_BACKEND_URL when that is the plain-http URL at fault", () => {
    const error = inputErrorOf(
      {},
      { PULUMI_BACKEND_URL: "http://pulumi.internal" },
    );
    expect(error.location.input).toBe("PULUMI_BACKEND_URL");
  });
});

describe("isLoopback", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.10.0.3", true],
    ["localhost", true],
    ["[::1]", true],
    ["10.0.0.1", false],
    ["127.example.com", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe("OIDC and provider inputs", () => {
  it("leaves OIDC and provider unset by default", () => {
    const settings = settingsFrom({});
    expect(settings.oidc).toBeUndefined();
    expect(settings.provider).toBeUndefined();
    expect(settings.exportToken).toBe(false);
  });

  it("reads the OIDC exchange settings", () => {
    expect(
      settingsFrom({
        "oidc-organization": "acme",
        "oidc-requested-token-type": "team",
        "oidc-scope": "team:release",
        "oidc-token-expiration": "900",
        "export-token": "true",
      }),
    ).toMatchObject({
      oidc: {
        organization: "acme",
        requestedTokenType: "team",
        scope: "team:release",
        expirationSeconds: 900,
      },
      exportToken: true,
    });
    expect(settingsFrom({ "oidc-organization": "acme" }).oidc).toEqual({
      organization: "acme",
      requestedTokenType: "organization",
      scope: undefined,
      expirationSeconds: undefined,
    });
  });

  it("asks team and personal tokens for their scope", () => {
    expect(
      inputErrorOf({
        "oidc-organization": "acme",
        "oidc-requested-token-type": "personal",
        "oidc-scope": "team:release",
      }).message,
    ).toBe(
      'Input "oidc-scope" is "team:release", but a personal token needs the ' +
        'scope "user:LOGIN". Set "oidc-scope" to it.',
    );
    expect(
      inputErrorOf({
        "oidc-organization": "acme",
        "oidc-requested-token-type": "team",
      }).location,
    ).toEqual({ input: "oidc-scope" });
  });

  it("takes no scope or admin for an organization token, nothing else", () => {
    const org = { "oidc-organization": "acme" };
    expect(settingsFrom({ ...org, "oidc-scope": "admin" }).oidc?.scope).toBe(
      "admin",
    );
    expect(inputErrorOf({ ...org, "oidc-scope": "team:release" })).toEqual(
      expect.objectContaining({
        message:
          'Input "oidc-scope" is "team:release", but an organization token ' +
          'takes no scope or "admin". Set "oidc-requested-token-type: team" ' +
          'for that scope, or remove "oidc-scope".',
        location: { input: "oidc-scope" },
      }),
    );
    expect(inputErrorOf({ ...org, "oidc-scope": "write" }).message).toContain(
      'Remove "oidc-scope", or set it to "admin".',
    );
  });

  it("refuses an unknown token type and a bad expiration", () => {
    expect(
      inputErrorOf({ "oidc-requested-token-type": "admin" }).location,
    ).toEqual({ input: "oidc-requested-token-type" });
    expect(
      inputErrorOf({
        "oidc-organization": "acme",
        "oidc-token-expiration": "1.5",
      }).message,
    ).toBe(
      'Input "oidc-token-expiration" is "1.5". It must be a whole number at least 1.',
    );
  });

  it("reads the provider, its parameters and the CLI version", () => {
    expect(
      settingsFrom({
        provider: "terraform-provider",
        "provider-parameters": "hashicorp/random\n\n  3.6.2  \n",
        "pulumi-version": "v3.150.0",
      }).provider,
    ).toEqual({
      source: "terraform-provider",
      parameters: ["hashicorp/random", "3.6.2"],
      pulumiVersion: "3.150.0",
    });
    expect(settingsFrom({ provider: "random" }).provider?.pulumiVersion).toBe(
      "latest",
    );
  });

  it("refuses schema and provider together", () => {
    const error = inputErrorOf({ schema: "schema.json", provider: "random" });
    expect(error.message).toBe(
      'Inputs "schema" and "provider" are both set. Give one: "schema" for ' +
        'a schema file, or "provider" to get the schema with the Pulumi CLI.',
    );
    expect(error.location).toEqual({ input: "provider" });
  });

  it("refuses parameters without a provider, and a provider for templates", () => {
    expect(
      inputErrorOf({ "provider-parameters": "hashicorp/random" }).location,
    ).toEqual({ input: "provider-parameters" });
    expect(
      inputErrorOf({ provider: "random", kind: "template" }).location,
    ).toEqual({ input: "provider" });
    expect(
      inputErrorOf({ provider: "random", "pulumi-version": "3.1" }).location,
    ).toEqual({ input: "pulumi-version" });
  });
});

describe("the inputs of unpublish, show, list and plan-backfill", () => {
  it("reads every new input, with defaults", () => {
    expect(settingsFrom({})).toMatchObject({
      force: false,
      ifMissing: "fail",
      limit: undefined,
      since: undefined,
    });
    expect(
      settingsFrom({
        command: "plan-backfill",
        force: "true",
        "if-missing": "ignore",
        limit: "20",
        since: "v1.2.0",
        org: "acme",
        visibility: "private",
        search: "yaml",
      }),
    ).toMatchObject({
      command: "plan-backfill",
      force: true,
      ifMissing: "ignore",
      limit: 20,
      since: "1.2.0",
      org: "acme",
      visibility: "private",
      search: "yaml",
    });
  });

  it("keeps tag-date and commit-date as markers for command time", () => {
    expect(settingsFrom({ "published-at": "tag-date" })).toMatchObject({
      publishedAt: undefined,
      publishedAtFrom: "tag-date",
    });
    expect(settingsFrom({ "published-at": "commit-date" })).toMatchObject({
      publishedAtFrom: "commit-date",
    });
  });

  it("accepts version latest only for show", () => {
    expect(settingsFrom({ command: "show", version: "latest" }).version).toBe(
      "latest",
    );
    const error = inputErrorOf({ command: "unpublish", version: "latest" });
    expect(error.location.input).toBe("version");
  });

  it.each([
    [{ command: "delete" }, "command"],
    [{ "if-missing": "skip" }, "if-missing"],
    [{ limit: "0" }, "limit"],
    [{ limit: "2.5" }, "limit"],
    [{ since: "1.2" }, "since"],
    [{ visibility: "internal" }, "visibility"],
    [{ force: "maybe" }, "force"],
  ])("refuses %o, naming the input", (inputs, input) => {
    expect(inputErrorOf(inputs).location.input).toBe(input);
  });
});
