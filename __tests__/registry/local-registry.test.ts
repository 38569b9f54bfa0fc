/**
 * The client against the project's local registry on 127.0.0.1: a whole
 * publish, with faults, and the preview fallback.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Agent } from "undici";
import { afterAll, afterEach, describe, expect, it } from "vitest";

import { ConflictError, RegistryError } from "../../src/errors.js";
import {
  startLocalRegistry,
  type LocalRegistry,
  type LocalRegistryOptions,
} from "../../src/local-registry/index.js";
import type { RegistryClient } from "../../src/registry/client.js";
import { PACKAGE, setup } from "./helpers.js";

const RANDOM = { ...PACKAGE, name: "random" };

const FIXTURES = "/work/shared/fixtures/real/packages/random";
const ARTIFACTS = {
  schema: { file: "schema.json", type: "application/json" },
  index: { file: "_index.md", type: "text/markdown" },
  installationConfiguration: {
    file: "installation-configuration.md",
    type: "text/markdown",
  },
};

describe("the client against the local registry", () => {
  const dispatcher = new Agent();
  let registry: LocalRegistry | undefined;

  afterEach(async () => {
    await registry?.close();
    registry = undefined;
  });

  afterAll(async () => {
    await dispatcher.destroy();
  });

  async function start(options: LocalRegistryOptions = {}) {
    registry = await startLocalRegistry({ tokens: ["pul-local"], ...options });
    const { client, logger } = setup({
      cloudUrl: registry.apiUrl,
      token: "pul-local",
      apiRoutes: "auto",
      maxAttempts: 8,
      dispatcher,
    });
    return { registry, client, logger };
  }

  it("publishes a package and reads it back", async () => {
    const { registry, client } = await start({
      requiredHeaders: { "x-ms-blob-type": "BlockBlob" },
    });

    await publish(client, "1.0.0");
    const found = await client.getPackageVersion(RANDOM, "latest");

    expect(client.routes).toBe("stable");
    expect(found?.version).toBe("1.0.0");
    const stored = registry.storedArtifact(
      "package",
      "private",
      "acme",
      "random",
      "1.0.0",
      "schema",
    );
    expect(stored?.equals(await readFile(join(FIXTURES, "schema.json")))).toBe(
      true,
    );
    const storageCalls = registry.requests.filter(
      (r) => r.origin === "storage",
    );
    expect(storageCalls.length).toBeGreaterThan(0);
    expect(storageCalls.some((r) => r.authorized)).toBe(false);

    const dir = await mkdtemp(join(tmpdir(), "registry-local-"));
    try {
      const digest = await client.download(
        found?.schemaURL ?? "",
        join(dir, "schema.json"),
      );
      const bytes = await readFile(join(FIXTURES, "schema.json"));
      expect(digest.sha256).toBe(
        createHash("sha256").update(bytes).digest("hex"),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("falls back to the preview routes", async () => {
    const { registry, client } = await start({
      routes: { stable: false, preview: true },
    });

    await publish(client, "1.0.0");

    expect(client.routes).toBe("preview");
    const apiPaths = registry.requests
      .filter((r) => r.origin === "api")
      .map((r) => r.path);
    expect(apiPaths[0]).toBe("/api/registry/packages");
    expect(apiPaths.slice(1).every((p) => p.startsWith("/api/preview/"))).toBe(
      true,
    );
  });

  it("gets through injected 5xx, 429 and resets", async () => {
    const { client, logger } = await start({
      faults: { seed: 7, errorRate: 0.3, rateLimitRate: 0.1, resetRate: 0.1 },
    });

    for (const version of ["1.0.0", "1.1.0", "1.2.0"]) {
      await publish(client, version).catch((error: unknown) => {
        // A lost complete may come back as a flagged 409 or 404.
        expect(lostAnswerFlag(error)).toBe(true);
      });
      const found = await client.getPackageVersion(RANDOM, version);
      expect(found?.version).toBe(version);
    }
    const retries = logger.lines.filter((line) => line.includes("retrying"));
    expect(retries.length).toBeGreaterThan(3);
  });

  it("exchanges an OIDC token and reads the default organization", async () => {
    registry = await startLocalRegistry({
      oidc: { idToken: "id-jwt", organization: "acme" },
    });
    const anonymous = setup({ cloudUrl: registry.apiUrl, dispatcher });
    const form = {
      audience: "urn:pulumi:org:acme",
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:pulumi:token-type:access_token:organization",
      subject_token: "id-jwt",
    };

    const answer = await anonymous.client.exchangeToken(form);
    const refused = await anonymous.client
      .exchangeToken({ ...form, subject_token: "forged" })
      .catch((e: unknown) => e);
    const { client } = setup({
      cloudUrl: registry.apiUrl,
      token: answer.access_token,
      dispatcher,
    });

    expect(await client.getDefaultOrganization()).toBe("local-org");
    expect((refused as RegistryError).details.serverMessage).toBe(
      "invalid_request: subject_token is not a valid ID token for this " +
        "organization",
    );
  });

  it("flags a conflict after a complete whose answer was lost", async () => {
    const { registry, client } = await start();
    registry.setFaults({ commitThenDropRate: 1, routes: ["complete"] });

    const error = await publish(client, "1.0.0").then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeDefined();
    expect(lostAnswerFlag(error)).toBe(true);
    registry.setFaults({});
    expect((await client.getPackageVersion(RANDOM, "1.0.0"))?.version).toBe(
      "1.0.0",
    );
  });
});

async function publish(client: RegistryClient, version: string) {
  const started = await client.startPublish(RANDOM, { version });
  for (const [key, artifact] of Object.entries(ARTIFACTS)) {
    const path = join(FIXTURES, artifact.file);
    const { size } = await stat(path);
    await client.upload(
      started.uploadURLs[key] ?? "",
      { path, bytes: size, contentType: artifact.type },
      started.requiredHeaders,
    );
  }
  await client.completePublish(RANDOM, version, started.operationID);
}

function lostAnswerFlag(error: unknown): boolean | undefined {
  if (error instanceof ConflictError) return error.afterLostAnswer;
  if (error instanceof RegistryError) return error.details.afterLostAnswer;
  throw error;
}
