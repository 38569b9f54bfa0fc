/**
 * Authentication: the token precedence, the runner's ID-token request
 * (intercepted with nock) and the exchange against the local registry.
 */
import * as core from "@actions/core";
import { createServer } from "node:http";
import { syncBuiltinESMExports } from "node:module";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { authenticate, exchangeForm, type AuthRunner } from "../src/auth.js";
import { AuthError } from "../src/errors.js";
import { parseSettings } from "../src/inputs.js";
import {
  startLocalRegistry,
  type LocalRegistry,
} from "../src/local-registry/index.js";
import { MemoryLogger } from "../src/logger.js";

const ID_TOKEN = "eyJ.github-id-token.sig";
const RUNNER_ORIGIN = "http://runner.oidc.test";
const REQUEST_TOKEN = "runner-request-token";
const workspace = mkdtempSync(path.join(tmpdir(), "auth-test-"));
const saved = { ...process.env };

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry({
    tokens: ["static-token"],
    oidc: { idToken: ID_TOKEN, organization: "acme" },
  });
  // @actions/http-client is ESM: it sees nock's patched `http.request`
  // only once the built-in modules' ESM exports are synced.
  syncBuiltinESMExports();
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(async () => {
  nock.enableNetConnect();
  await registry.close();
});
afterEach(() => {
  nock.cleanAll();
  process.env = { ...saved };
});

function settingsOf(inputs: Record<string, string>, env = {}) {
  return parseSettings((name) => inputs[name] ?? "", {
    GITHUB_WORKSPACE: workspace,
    "cloud-url": "",
    ...env,
  });
}

const oidcInputs = (extra: Record<string, string> = {}) => ({
  "cloud-url": registry.apiUrl,
  "oidc-organization": "acme",
  "max-attempts": "2",
  ...extra,
});

/** The runner's ID-token service, as core.getIDToken calls it. */
function serveIdToken(status = 200) {
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `${RUNNER_ORIGIN}/idtoken?api-version=2.0`;
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = REQUEST_TOKEN;
  return nock(RUNNER_ORIGIN, {
    reqheaders: { authorization: `Bearer ${REQUEST_TOKEN}` },
  })
    .get("/idtoken")
    .query({ "api-version": "2.0", audience: "urn:pulumi:org:acme" })
    .reply(status, status === 200 ? { value: ID_TOKEN } : { message: "no" });
}

/** The real core.getIDToken, with the masking recorded. */
function recordingRunner() {
  const secrets: string[] = [];
  const runner: AuthRunner = {
    getIdToken: (audience) => core.getIDToken(audience),
    setSecret: (secret) => secrets.push(secret),
  };
  return { runner, secrets };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthError);
  return (error as Error).message;
}

describe("authenticate", () => {
  it("prefers the access-token input and asks GitHub for nothing", async () => {
    const { runner, secrets } = recordingRunner();
    const settings = settingsOf(
      { ...oidcInputs(), "access-token": "from-input" },
      { PULUMI_ACCESS_TOKEN: "from-env" },
    );
    const credentials = await authenticate(
      settings,
      runner,
      new MemoryLogger(),
    );
    expect(credentials).toEqual({ token: "from-input", tokenSource: "input" });
    expect(secrets).toEqual([]);
  });

  it("takes PULUMI_ACCESS_TOKEN before OIDC, and ignores it when empty", async () => {
    const { runner } = recordingRunner();
    const logger = new MemoryLogger();
    expect(
      await authenticate(
        settingsOf(oidcInputs(), { PULUMI_ACCESS_TOKEN: "from-env" }),
        runner,
        logger,
      ),
    ).toEqual({ token: "from-env", tokenSource: "env" });

    const scope = serveIdToken();
    const credentials = await authenticate(
      settingsOf(oidcInputs(), { PULUMI_ACCESS_TOKEN: "  " }),
      runner,
      logger,
    );
    expect(credentials.tokenSource).toBe("oidc");
    expect(scope.isDone()).toBe(true);
  });

  it("returns no token when none is given and OIDC is not set", async () => {
    const { runner } = recordingRunner();
    expect(
      await authenticate(settingsOf({}), runner, new MemoryLogger()),
    ).toEqual({});
  });

  it("exchanges the ID token and masks both tokens at once", async () => {
    const scope = serveIdToken();
    const { runner, secrets } = recordingRunner();
    const logger = new MemoryLogger();
    const settings = settingsOf(oidcInputs({ "oidc-token-expiration": "900" }));

    const credentials = await authenticate(settings, runner, logger);

    expect(scope.isDone()).toBe(true);
    expect(credentials.tokenSource).toBe("oidc");
    expect(registry.tokens).toContain(credentials.token);
    expect(credentials.token).not.toBe("static-token");
    expect(secrets).toEqual([ID_TOKEN, credentials.token]);
    expect(logger.lines).toEqual([
      "group: Exchange the GitHub ID token",
      'Requesting a GitHub ID token for audience "urn:pulumi:org:acme".',
      ...logger.lines.filter((line) => line.startsWith("debug:")),
      'Pulumi Cloud issued a short-lived organization token for organization "acme". ' +
        "It expires in 900 s.",
      "endgroup",
    ]);
    expect(logger.lines.join("\n")).not.toContain(credentials.token);
  });

  it("says the job lacks id-token: write when the runner has no ID token", async () => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const { runner } = recordingRunner();
    const message = await refusal(
      authenticate(settingsOf(oidcInputs()), runner, new MemoryLogger()),
    );
    expect(message).toBe(
      'No GitHub ID token is available for audience "urn:pulumi:org:acme": ' +
        "the job lacks `permissions: id-token: write`. Add " +
        "`permissions: { id-token: write, contents: read }` to the workflow " +
        "or the job; pull requests from forks never get an ID token. " +
        "(The runner said: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable)",
    );
  });

  it("says the same when the runner's ID-token service refuses", async () => {
    const scope = serveIdToken(403);
    const { runner } = recordingRunner();
    const message = await refusal(
      authenticate(settingsOf(oidcInputs()), runner, new MemoryLogger()),
    );
    expect(scope.isDone()).toBe(true);
    expect(message).toMatch(
      /^No GitHub ID token is available for audience "urn:pulumi:org:acme": the job lacks `permissions: id-token: write`\. .*\(The runner said: Failed to get ID Token\. Error Code : 403 Error Message: no\)$/,
    );
  });

  it("gives up on an ID-token service that never answers", async () => {
    const silent: AuthRunner = {
      getIdToken: () => new Promise<string>(() => undefined),
      setSecret: () => undefined,
    };
    const message = await refusal(
      authenticate(
        settingsOf(oidcInputs({ "request-timeout": "1" })),
        silent,
        new MemoryLogger(),
      ),
    );
    expect(message).toMatch(
      /^The runner's ID-token service did not answer within 1 s \("request-timeout"\)/,
    );
  });

  it("goes on without a token in a dry run that has no ID token", async () => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const { runner } = recordingRunner();
    const logger = new MemoryLogger();
    const credentials = await authenticate(
      settingsOf(oidcInputs({ "dry-run": "true" })),
      runner,
      logger,
    );
    expect(credentials).toEqual({});
    expect(logger.lines).toContainEqual(
      expect.stringMatching(
        /^warning: No GitHub ID token .*The dry run goes on without a token\.$/,
      ),
    );
  });

  it("shows what was asked for when the exchange is refused", async () => {
    serveIdToken();
    const { runner } = recordingRunner();
    const settings = settingsOf(
      oidcInputs({
        "oidc-requested-token-type": "team",
        "oidc-scope": "team:release",
      }),
    );
    // The registry trusts this organization, but not this ID token.
    const wrongSubject = { ...runner, getIdToken: async () => "forged" };

    const message = await refusal(
      authenticate(settings, wrongSubject, new MemoryLogger()),
    );
    expect(message).toMatch(/ Request ID: [0-9a-f-]+\.$/);
    expect(message.replace(/ Request ID: .*$/, "")).toBe(
      "Pulumi Cloud refused the token exchange (HTTP 400: invalid_request: subject_token is " +
        "not a valid ID token for this organization). Requested: " +
        'organization "acme", audience "urn:pulumi:org:acme", token type ' +
        '"urn:pulumi:token-type:access_token:team", scope "team:release". ' +
        'The organization "acme" must trust GitHub\'s issuer ' +
        "https://token.actions.githubusercontent.com: register it in Pulumi " +
        "Cloud (Settings → OIDC Issuers) with a policy that admits this " +
        "repository and token type.",
    );
  });

  it("names the audience it sent when the organization is wrong", async () => {
    const { runner } = recordingRunner();
    const settings = settingsOf(oidcInputs({ "oidc-organization": "other" }));
    const message = await refusal(
      authenticate(
        settings,
        { ...runner, getIdToken: async () => ID_TOKEN },
        new MemoryLogger(),
      ),
    );
    expect(message).toContain(
      'Requested: organization "other", audience "urn:pulumi:org:other", ' +
        'token type "urn:pulumi:token-type:access_token:organization".',
    );
    expect(message).toContain('audience must be "urn:pulumi:org:acme"');
    expect(message).toContain('The organization "other" must trust GitHub');
  });

  it("retries a 5xx from the exchange like every other call", async () => {
    let calls = 0;
    const flaky = createServer((request, response) => {
      calls += 1;
      request.resume();
      if (calls === 1) {
        response.writeHead(503, { "retry-after": "0" }).end("busy");
        return;
      }
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ access_token: "pul-exchanged" }));
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    const { port } = flaky.address() as AddressInfo;
    try {
      const { runner, secrets } = recordingRunner();
      const settings = settingsOf(
        oidcInputs({ "cloud-url": `http://127.0.0.1:${port}` }),
      );
      const credentials = await authenticate(
        settings,
        { ...runner, getIdToken: async () => ID_TOKEN },
        new MemoryLogger(),
      );
      expect(credentials).toEqual({
        token: "pul-exchanged",
        tokenSource: "oidc",
      });
      expect(calls).toBe(2);
      expect(secrets).toContain("pul-exchanged");
    } finally {
      flaky.close();
    }
  });
});

describe("exchangeForm", () => {
  it("sends scope and expiration only when given", () => {
    const oidc = {
      organization: "acme",
      requestedTokenType: "personal" as const,
    };
    expect(exchangeForm(oidc, "id")).toEqual({
      audience: "urn:pulumi:org:acme",
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:pulumi:token-type:access_token:personal",
      subject_token: "id",
    });
    expect(
      exchangeForm(
        { ...oidc, scope: "user:ada", expirationSeconds: 600 },
        "id",
      ),
    ).toMatchObject({ scope: "user:ada", expiration: "600" });
  });
});
