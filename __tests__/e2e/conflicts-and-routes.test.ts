/**
 * What a rerun of a release job meets (409 with each if-exists), the route
 * family fallback, and the storage rules, all through the bundled action.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  startLocalRegistry,
  type LocalRegistry,
  type LocalRegistryOptions,
} from "../../src/local-registry/index.js";
import { runAction } from "../../scripts/run-action.mjs";
import { expectMasked, expectNoLeak } from "../helpers/leaks.js";
import { REAL_PACKAGES } from "../helpers/paths.js";

const RANDOM = path.join(REAL_PACKAGES, "random");
let registry: LocalRegistry | undefined;

afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

async function publish(
  options: LocalRegistryOptions,
  inputs: Record<string, string> = {},
  workspace = RANDOM,
) {
  registry ??= await startLocalRegistry(options);
  const token = registry.tokens[0];
  const run = await runAction({
    workspace,
    inputs: {
      schema: "schema.json",
      publisher: "acme",
      version: "4.21.1",
      "cloud-url": registry.apiUrl,
      ...inputs,
    },
    env: { PULUMI_ACCESS_TOKEN: token },
  });
  expectNoLeak(run, [token]);
  return run;
}

describe("a version that already exists", () => {
  it("fails with if-exists: fail, saying so", async () => {
    expect((await publish({})).code).toBe(0);
    const run = await publish({});
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error title=Version already exists::package private\/acme\/random@4\.21\.1 already exists in the registry/,
    );
  });

  it("succeeds as skipped with if-exists: skip, with a warning", async () => {
    const first = await publish({});
    const run = await publish({}, { "if-exists": "skip" });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      status: "skipped",
      published: "false",
      "published-at": first.outputs["published-at"],
    });
    expect(run.stdout).toMatch(/^::warning::.*already exists; skipping/m);
  });

  it("succeeds with if-exists: verify when the content is identical", async () => {
    await publish({});
    const run = await publish({}, { "if-exists": "verify" });
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe("skipped");
    expect(run.stdout).toContain(
      "package private/acme/random@4.21.1 already exists with identical schema, index; skipped.",
    );
  });

  it("fails with if-exists: verify naming the file that differs", async () => {
    await publish({});
    const changed = mkdtempSync(path.join(tmpdir(), "changed-"));
    for (const file of ["schema.json", "installation-configuration.md"]) {
      copyFileSync(path.join(RANDOM, file), path.join(changed, file));
    }
    writeFileSync(path.join(changed, "_index.md"), "# random, edited\n");
    const run = await publish({}, { "if-exists": "verify" }, changed);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/different content \(index differ\)/);
  });
});

describe("routes and storage", () => {
  it("falls back to the preview routes when the stable ones are missing", async () => {
    const run = await publish({ routes: { stable: false } });
    expect(run.code, run.stdout).toBe(0);
    const api = registry!.requests.filter((r) => r.origin === "api");
    expect(api[0]).toMatchObject({
      path: "/api/registry/packages",
      status: 404,
    });
    expect(api.slice(1).every((r) => r.path.startsWith("/api/preview/"))).toBe(
      true,
    );
  });

  it("uses only the stable routes when told to", async () => {
    const run = await publish({}, { "api-routes": "stable" });
    expect(run.code).toBe(0);
    const api = registry!.requests.filter((r) => r.origin === "api");
    expect(api.every((r) => r.path.startsWith("/api/registry/"))).toBe(true);
  });

  it("sends the token to the API only, and required headers to storage", async () => {
    const run = await publish({
      requiredHeaders: { "x-amz-server-side-encryption": "AES256" },
    });
    expect(run.code, run.stdout).toBe(0);
    const { requests } = registry!;
    expect(
      requests.filter((r) => r.origin === "api").every((r) => r.authorized),
    ).toBe(true);
    const uploads = requests.filter((r) => r.origin === "storage");
    expect(uploads).toHaveLength(2);
    expect(uploads.every((r) => !r.authorized && r.status === 200)).toBe(true);
  });

  it("masks the token before anything else is logged", async () => {
    const run = await publish({});
    expectMasked(run, registry!.tokens[0]);
  });

  it("fails truthfully when every upload URL has expired", async () => {
    const run = await publish({ uploadUrlTtlSeconds: 0 });
    expect(run.code).toBe(1);
    expect(run.stdout.match(/Starting the publish again/g)).toHaveLength(2);
    expect(
      registry!.storedArtifact(
        "package",
        "private",
        "acme",
        "random",
        "4.21.1",
        "schema",
      ),
    ).toBeUndefined();
  });

  it("publishes and only warns when the job summary cannot be written", async () => {
    registry ??= await startLocalRegistry({});
    const run = await runAction({
      workspace: RANDOM,
      inputs: {
        schema: "schema.json",
        publisher: "acme",
        version: "4.21.1",
        "cloud-url": registry.apiUrl,
      },
      env: {
        PULUMI_ACCESS_TOKEN: registry.tokens[0],
        GITHUB_STEP_SUMMARY: "",
      },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("published");
    expect(run.stdout).toMatch(
      /^::warning::The job summary could not be written/m,
    );
  });

  it("dry run with a token checks existence and writes nothing", async () => {
    await publish({});
    const before = registry!.requests.length;
    const run = await publish({}, { "dry-run": "true" });
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe("dry-run");
    expect(run.stdout).toMatch(/already exists .*a publish would fail/);
    expect(registry!.requests.slice(before).filter((r) => r.write)).toEqual([]);
  });
});
