/**
 * The bundle with `provider:` and no `pulumi` on PATH: it downloads the
 * stand-in CLI from a 127.0.0.1 release server, caches it, publishes the
 * schema the CLI printed, and uses the cache on the next run.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startLocalRegistry,
  type LocalRegistry,
} from "../../src/local-registry/index.js";
import { runAction } from "../../scripts/run-action.mjs";
import { REAL_PACKAGES } from "../helpers/paths.js";
import {
  archivePath,
  buildStandInArchive,
  STAND_IN,
  startReleaseServer,
  type ReleaseServer,
} from "../helpers/pulumi-stand-in.js";

const VERSION = "3.160.0";
const RANDOM = path.join(REAL_PACKAGES, "random");

let registry: LocalRegistry;
let releases: ReleaseServer;
let toolCache: string;
let githubPath: string;

beforeAll(async () => {
  registry = await startLocalRegistry();
  releases = await startReleaseServer({
    "/releases/latest-version": `${VERSION}\n`,
    [archivePath(VERSION)]: await buildStandInArchive("pulumi/bin"),
  });
  const root = mkdtempSync(path.join(tmpdir(), "provider-e2e-"));
  toolCache = path.join(root, "tool-cache");
  githubPath = path.join(root, "github_path");
  writeFileSync(githubPath, "");
});
afterAll(async () => {
  await registry?.close();
  await releases?.close();
});

/** A runner whose PATH has Node and the system tools, but no pulumi. */
function publish(inputs: Record<string, string>) {
  return runAction({
    workspace: RANDOM,
    inputs: {
      publisher: "acme",
      readme: "_index.md",
      "cloud-url": registry.apiUrl,
      ...inputs,
    },
    env: {
      PATH: [path.dirname(process.execPath), "/usr/bin", "/bin"].join(
        path.delimiter,
      ),
      PULUMI_ACCESS_TOKEN: registry.tokens[0],
      RUNNER_TOOL_CACHE: toolCache,
      GITHUB_PATH: githubPath,
      PULUMI_REGISTRY_PUBLISH_DOWNLOAD_BASE: releases.url,
    },
  });
}

function storedSchema(source: string, name: string, version: string) {
  return registry.storedArtifact(
    "package",
    source,
    "acme",
    name,
    version,
    "schema",
  );
}

describe("provider with the bundle", () => {
  const cached = () => path.join(toolCache, "pulumi", VERSION, process.arch);

  it("installs the CLI, caches it and publishes the schema it printed", async () => {
    const run = await publish({ provider: STAND_IN.plain, version: "4.0.0" });

    expect(run.stderr).toBe("");
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ status: "published", name: "random" });
    expect(releases.requests).toEqual([
      "/releases/latest-version",
      archivePath(VERSION),
    ]);
    expect(readFileSync(path.join(cached(), "pulumi"), "utf8")).toContain(
      "stand-in pulumi",
    );
    expect(readFileSync(githubPath, "utf8").trim()).toBe(cached());
    expect(run.stdout).toContain(
      `Using the Pulumi CLI ${VERSION} from the download, now cached: ${cached()}`,
    );
    expect(run.stdout).toContain("Running: pulumi package get-schema random");
    expect(storedSchema("private", "random", "4.0.0")).toEqual(
      readFileSync(path.join(RANDOM, "schema.json")),
    );
  });

  it("uses the cache on the next run and publishes a parameterized schema", async () => {
    releases.requests.length = 0;
    const run = await publish({
      provider: STAND_IN.parameterized,
      "provider-parameters": `${STAND_IN.parameter}\n`,
      "pulumi-version": VERSION,
      source: "opentofu",
      version: "3.6.2",
    });

    expect(run.code, run.stdout).toBe(0);
    expect(releases.requests).toEqual([]);
    expect(run.stdout).toContain(
      `Using the Pulumi CLI ${VERSION} from the tool cache: ${cached()}`,
    );
    expect(run.stdout).toContain(
      "Running: pulumi package get-schema terraform-provider -- hashicorp/random",
    );
    expect(storedSchema("opentofu", "random", "3.6.2")).toEqual(
      readFileSync(
        path.join(REAL_PACKAGES, "random-parameterized", "schema.json"),
      ),
    );
    // The schema went to a folder under RUNNER_TEMP, removed after the run.
    expect(readdirSync(run.runnerTemp).join()).not.toMatch(/provider-schema-/);
  });

  it("fails with the CLI's own message for a provider it cannot load", async () => {
    const run = await publish({
      provider: "no-such-provider",
      version: "1.0.0",
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error title=Schema from provider failed::" +
        "`pulumi package get-schema no-such-provider` failed with exit code 1:",
    );
    expect(run.stdout).toContain(
      "error: could not load provider no-such-provider",
    );
  });
});
