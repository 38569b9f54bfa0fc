/**
 * The bundle, run as the runner runs it, publishing with only
 * `oidc-organization`: the ID token comes from a stand-in of the runner's
 * ID-token service on 127.0.0.1, the exchange from the local registry.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startLocalRegistry,
  type LocalRegistry,
} from "../../src/local-registry/index.js";
import { runAction, type ActionRun } from "../../scripts/run-action.mjs";
import { NODES } from "../helpers/nodes.js";
import { REAL_PACKAGES } from "../helpers/paths.js";

const ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.e2e-github-id-token.c2ln";
const REQUEST_TOKEN = "runner-request-token-e2e";
const RANDOM = path.join(REAL_PACKAGES, "random");
const STATIC_TOKEN = "pul-static-e2e";

let registry: LocalRegistry;
let idTokenService: Server;
let idTokenUrl: string;
const audiences: string[] = [];

beforeAll(async () => {
  registry = await startLocalRegistry({
    tokens: [STATIC_TOKEN],
    oidc: {
      idToken: ID_TOKEN,
      organization: "acme",
      defaultOrganization: "home-org",
    },
  });
  idTokenService = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    if (request.headers.authorization !== `Bearer ${REQUEST_TOKEN}`) {
      response.writeHead(401).end();
      return;
    }
    audiences.push(url.searchParams.get("audience") ?? "");
    response
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ value: ID_TOKEN }));
  });
  await new Promise<void>((resolve) =>
    idTokenService.listen(0, "127.0.0.1", resolve),
  );
  const { port } = idTokenService.address() as AddressInfo;
  idTokenUrl = `http://127.0.0.1:${port}/idtoken?api-version=2.0`;
});
afterAll(async () => {
  await registry?.close();
  idTokenService?.close();
});

/** The runner's variables for a job with `id-token: write`. */
function withIdToken() {
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: idTokenUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
  };
}

function publish(
  node: string,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {},
): Promise<ActionRun> {
  return runAction({
    node,
    workspace: RANDOM,
    inputs: {
      schema: "schema.json",
      readme: "_index.md",
      "cloud-url": registry.apiUrl,
      ...inputs,
    },
    env: { PULUMI_ACCESS_TOKEN: "", ...env },
  });
}

/** Tokens the exchange issued, which no earlier run knew. */
function issuedSince(before: string[]): string[] {
  return registry.tokens.filter((token) => !before.includes(token));
}

/** The lines that show `secret`, other than the runner's mask command. */
function linesShowing(run: ActionRun, secret: string): string[] {
  const lines = [
    ...run.stdout.split("\n").filter((l) => !l.startsWith("::add-mask::")),
    run.stderr,
    run.summary,
    run.githubEnv,
    JSON.stringify(run.outputs),
  ];
  return lines.filter((line) => line.includes(secret));
}

describe.each(NODES)("OIDC with the bundle on %s", (_label, node) => {
  it("publishes with only oidc-organization and shows no token", async () => {
    const before = registry.tokens;
    const version = `1.0.${before.length}`;
    const run = await publish(
      node,
      { "oidc-organization": "acme", version },
      withIdToken(),
    );

    expect(run.stderr).toBe("");
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      status: "published",
      publisher: "acme",
      version,
    });
    const [token] = issuedSince(before);
    expect(token).toMatch(/^pul-local-/);
    expect(audiences.at(-1)).toBe("urn:pulumi:org:acme");
    expect(run.stdout).toContain(`::add-mask::${token}`);
    expect(run.stdout).toContain(`::add-mask::${ID_TOKEN}`);
    expect(linesShowing(run, token)).toEqual([]);
    expect(linesShowing(run, ID_TOKEN)).toEqual([]);
    expect(run.stdout).toContain(
      "Using the access token from the GitHub OIDC token exchange.",
    );
    expect(run.githubEnv).toBe("");
    expect(
      registry.storedArtifact(
        "package",
        "private",
        "acme",
        "random",
        version,
        "schema",
      ),
    ).toEqual(readFileSync(path.join(RANDOM, "schema.json")));
  });
});

describe("OIDC with the bundle", () => {
  const node = process.execPath;

  it("exports the exchanged token only with export-token: true", async () => {
    const before = registry.tokens;
    const run = await publish(
      node,
      {
        "oidc-organization": "acme",
        "export-token": "true",
        "dry-run": "true",
        version: "3.0.0",
      },
      withIdToken(),
    );
    expect(run.code, run.stdout).toBe(0);
    const [token] = issuedSince(before);
    expect(run.githubEnv).toContain("PULUMI_ACCESS_TOKEN<<");
    expect(run.githubEnv).toContain(`\n${token}\n`);
    expect(run.stdout.split("\n").filter((l) => l.includes(token))).toEqual([
      `::add-mask::${token}`,
    ]);
  });

  it("fails saying the job lacks id-token: write when there is no ID token", async () => {
    const run = await publish(node, { "oidc-organization": "acme" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error title=Authentication failed::No GitHub ID token is available " +
        'for audience "urn:pulumi:org:acme": the job lacks ' +
        "`permissions: id-token: write`.",
    );
  });

  it("fails naming organization, audience and token type when refused", async () => {
    const run = await publish(
      node,
      { "oidc-organization": "other-org" },
      withIdToken(),
    );
    expect(run.code).toBe(1);
    const error = run.stdout
      .split("\n")
      .find((line) => line.startsWith("::error"));
    expect(error).toContain(
      'Requested: organization "other-org", audience ' +
        '"urn:pulumi:org:other-org", token type ' +
        '"urn:pulumi:token-type:access_token:organization".',
    );
    expect(error).toContain(
      `The organization "other-org" must trust GitHub's issuer`,
    );
    expect(linesShowing(run, ID_TOKEN)).toEqual([]);
  });

  it("publishes for the token's default organization without a publisher", async () => {
    const run = await publish(
      node,
      { version: "2.0.0" },
      { PULUMI_ACCESS_TOKEN: STATIC_TOKEN },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.publisher).toBe("home-org");
    expect(run.stdout).toContain(
      `Publisher "home-org" (the token's default organization).`,
    );
  });

  it("still asks for publisher in a dry run without credentials", async () => {
    const run = await publish(node, { "dry-run": "true", version: "2.0.1" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error title=Input "publisher"::');
  });
});
