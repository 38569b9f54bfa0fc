import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/commands/index.js";
import { runShow } from "../../src/commands/show.js";
import { InputError } from "../../src/errors.js";
import {
  startLocalRegistry,
  type LocalRegistry,
} from "../../src/local-registry/index.js";
import { MemoryLogger } from "../../src/logger.js";
import { settingsFor } from "./helpers.js";

let registry: LocalRegistry;
const folder = mkdtempSync(path.join(tmpdir(), "show-"));
writeFileSync(path.join(folder, "schema.json"), '{"name":"acme"}');
writeFileSync(path.join(folder, "README.md"), "# acme\n");

function settings(inputs: Record<string, string>, env = {}) {
  return settingsFor(
    { "cloud-url": registry.apiUrl, publisher: "org", ...inputs },
    {
      PULUMI_ACCESS_TOKEN: registry.tokens[0],
      GITHUB_WORKSPACE: folder,
      ...env,
    },
  );
}

beforeAll(async () => {
  registry = await startLocalRegistry();
  for (const version of ["1.0.0", "1.2.0"]) {
    await runCommand(
      settings({ schema: "schema.json", version }),
      new MemoryLogger(),
    );
  }
});
afterAll(async () => {
  await registry?.close();
});

describe("runShow", () => {
  it("reports the version, its metadata and its publish time", async () => {
    const report = await runShow(
      settings({ command: "show", name: "acme", version: "v1.0.0" }),
      new MemoryLogger(),
    );
    expect(report).toMatchObject({
      status: "shown",
      version: "1.0.0",
      url: "registry://packages/private/org/acme@1.0.0",
      metadata: { name: "acme", version: "1.0.0" },
    });
    expect(report.publishedAt).toBe(
      (report.metadata as { createdAt: string }).createdAt,
    );
    const fields = report.tables[0].rows.map(([field]) => field);
    expect(fields).toContain("packageStatus");
  });

  it("keeps pre-signed URLs to origin and path, in metadata and summary", async () => {
    const report = await runShow(
      settings({ command: "show", name: "acme", version: "1.0.0" }),
      new MemoryLogger(),
    );
    const metadata = report.metadata as Record<string, string>;
    for (const field of ["schemaURL", "readmeURL"]) {
      expect(metadata[field]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S+$/);
      expect(metadata[field]).not.toContain("?");
    }
    const rows = new Map(report.tables[0].rows.map(([k, v]) => [k, v]));
    expect(rows.get("schemaURL")).toBe(metadata.schemaURL);
    expect(JSON.stringify(report)).not.toMatch(/X-Signature|X-Expires/);
  });

  it("takes the name from the schema when the input is empty", async () => {
    const report = await runShow(
      settings({ command: "show", schema: "schema.json", version: "1.2.0" }),
      new MemoryLogger(),
    );
    expect(report.name).toBe("acme");
  });

  it("falls back to latest when no version is found anywhere", async () => {
    const report = await runShow(
      settings({ command: "show", name: "acme" }),
      new MemoryLogger(),
    );
    expect(report.version).toBe("1.2.0");
    expect(report.message).toBe(
      "The latest version of package private/org/acme@1.2.0 is 1.2.0.",
    );
  });

  it("uses the tag that triggered the run", async () => {
    const report = await runShow(
      settings(
        { command: "show", name: "acme" },
        { GITHUB_REF: "refs/tags/v1.0.0" },
      ),
      new MemoryLogger(),
    );
    expect(report.version).toBe("1.0.0");
  });

  it("fails on a missing version, naming the input", async () => {
    const error = await runShow(
      settings({ command: "show", name: "nope", version: "latest" }),
      new MemoryLogger(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      "package private/org/nope has no version in the registry. Check " +
        '"name", "publisher", "source" and "version", or set ' +
        '"if-missing: ignore" to let the step pass.',
    );
  });

  it("says private entries need credentials when none were given", async () => {
    const logger = new MemoryLogger();
    const report = await runShow(
      settingsFor(
        {
          "cloud-url": registry.apiUrl,
          command: "show",
          publisher: "org",
          name: "acme",
          version: "1.0.0",
          "if-missing": "ignore",
        },
        { GITHUB_WORKSPACE: folder },
      ),
      logger,
    );
    expect(report.status).toBe("absent");
    expect(logger.lines).toContain(
      "warning: package private/org/acme@1.0.0 is not in the registry (no " +
        "credentials were given, and private entries need them).",
    );
  });

  it("requires a publisher", async () => {
    const error = await runShow(
      settingsFor({ command: "show", name: "acme" }),
      new MemoryLogger(),
    ).catch((e: unknown) => e);
    expect((error as InputError).location.input).toBe("publisher");
  });
});
