import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runCommand } from "../../src/commands/index.js";
import {
  buildQuery,
  listEntries,
  runList,
  type ListClient,
} from "../../src/commands/list.js";
import { InputError, ProtocolError } from "../../src/errors.js";
import { startLocalRegistry } from "../../src/local-registry/index.js";
import { MemoryLogger } from "../../src/logger.js";
import type {
  ListPackagesQuery,
  PackageMetadata,
} from "../../src/registry/types.js";
import { settingsFor } from "./helpers.js";

const entry = (name: string) => ({ name }) as PackageMetadata;

/** A package list served `perPage` at a time with offset tokens. */
function pagedClient(names: string[], perPage: number) {
  const listPackages = vi.fn(async (query?: ListPackagesQuery) => {
    const offset = Number(query?.continuationToken ?? 0);
    const next = offset + perPage;
    return {
      packages: names.slice(offset, next).map(entry),
      continuationToken: next < names.length ? String(next) : undefined,
    };
  });
  return {
    listPackages,
    listTemplates: vi.fn(),
  } satisfies ListClient;
}

const query = { kind: "package" as const, filters: { publisher: "acme" } };
const names = ["a", "b", "c", "d", "e"];

describe("listEntries", () => {
  it("follows continuationToken to the last page", async () => {
    const client = pagedClient(names, 2);
    const entries = await listEntries(
      client,
      query,
      undefined,
      new MemoryLogger(),
    );
    expect(entries.map((e) => e.name)).toEqual(names);
    expect(client.listPackages.mock.calls.map(([q]) => q)).toEqual([
      { publisher: "acme", continuationToken: undefined },
      { publisher: "acme", continuationToken: "2" },
      { publisher: "acme", continuationToken: "4" },
    ]);
  });

  it("stops asking once limit entries are in", async () => {
    const client = pagedClient(names, 2);
    const entries = await listEntries(client, query, 3, new MemoryLogger());
    expect(entries.map((e) => e.name)).toEqual(["a", "b", "c"]);
    expect(client.listPackages).toHaveBeenCalledTimes(2);
  });

  it("fails on a token that comes back, rather than looping", async () => {
    const client = {
      listPackages: vi.fn(async () => ({
        packages: [entry("a")],
        continuationToken: "same",
      })),
      listTemplates: vi.fn(),
    };
    await expect(
      listEntries(client, query, undefined, new MemoryLogger()),
    ).rejects.toThrow(ProtocolError);
    expect(client.listPackages).toHaveBeenCalledTimes(2);
  });

  it("logs template list diagnostics", async () => {
    const client = {
      listPackages: vi.fn(),
      listTemplates: vi.fn(async () => ({
        templates: [],
        diagnostics: ["skipped a VCS template"],
      })),
    };
    const logger = new MemoryLogger();
    await listEntries(
      client,
      { kind: "template", filters: {} },
      undefined,
      logger,
    );
    expect(logger.lines).toContain("skipped a VCS template");
  });
});

describe("buildQuery", () => {
  it("maps the package filters to the API's names", () => {
    const settings = settingsFor({
      command: "list",
      name: "pkg",
      publisher: "acme",
      org: "acme-org",
      visibility: "private",
      limit: "250",
    });
    expect(buildQuery(settings)).toEqual({
      kind: "package",
      filters: {
        name: "pkg",
        publisher: "acme",
        orgLogin: "acme-org",
        visibility: "private",
        limit: 100,
      },
    });
  });

  it("filters templates by org, taking publisher when org is empty", () => {
    const settings = settingsFor({
      command: "list",
      kind: "template",
      publisher: "acme",
      search: "yaml site",
    });
    expect(buildQuery(settings)).toEqual({
      kind: "template",
      filters: {
        name: undefined,
        orgLogin: "acme",
        search: "yaml site",
        limit: undefined,
      },
    });
  });

  it.each([
    [{ search: "x" }, "search"],
    [{ kind: "template", visibility: "public" }, "visibility"],
    [{ kind: "template", org: "a", publisher: "b" }, "org"],
  ])("refuses %o, naming the input", (inputs, input) => {
    const settings = settingsFor({ command: "list", ...inputs });
    const error = (() => {
      try {
        buildQuery(settings);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location.input).toBe(input);
  });
});

describe("runList", () => {
  it("keeps pre-signed URLs to origin and path in its metadata", async () => {
    const registry = await startLocalRegistry();
    try {
      const folder = mkdtempSync(path.join(tmpdir(), "list-"));
      writeFileSync(path.join(folder, "schema.json"), '{"name":"acme"}');
      writeFileSync(path.join(folder, "README.md"), "# acme\n");
      const settings = (inputs: Record<string, string>) =>
        settingsFor(
          { "cloud-url": registry.apiUrl, publisher: "org", ...inputs },
          { PULUMI_ACCESS_TOKEN: registry.tokens[0], GITHUB_WORKSPACE: folder },
        );
      await runCommand(
        settings({ schema: "schema.json", version: "1.0.0" }),
        new MemoryLogger(),
      );
      const report = await runList(
        settings({ command: "list" }),
        new MemoryLogger(),
      );
      const [listed] = report.metadata as PackageMetadata[];
      expect(listed.schemaURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S+$/);
      expect(listed.schemaURL).not.toContain("?");
      expect(JSON.stringify(report)).not.toMatch(/X-Signature|X-Expires/);
    } finally {
      await registry.close();
    }
  });
});
