import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolvePublishedAt } from "../../src/commands/published-at.js";
import { InputError } from "../../src/errors.js";
import { MemoryLogger } from "../../src/logger.js";
import { createTaggedRepo, git, gitIso } from "../helpers/git-repo.js";
import { settingsFor } from "./helpers.js";

const repo = createTaggedRepo([
  { name: "pkg/v1.0.0", annotated: true, date: "2021-01-01T08:00:00Z" },
  { name: "v1.0.0", annotated: false, date: "2021-02-01T08:00:00Z" },
  { name: "pkg/v1.1.0", annotated: false, date: "2021-03-01T08:00:00Z" },
]);

async function publishedAt(
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
  workspace = repo,
) {
  const settings = settingsFor(inputs, { ...env, GITHUB_WORKSPACE: workspace });
  const logger = new MemoryLogger();
  const resolved = await resolvePublishedAt(settings, logger);
  return { at: resolved.publishedAt, lines: logger.lines };
}

async function errorOf(
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
  workspace = repo,
): Promise<InputError> {
  const error = await publishedAt(inputs, env, workspace).catch((e) => e);
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).location.input).toBe("published-at");
  return error as InputError;
}

describe("published-at: tag-date", () => {
  it("takes the tag the version input names, with the prefix", async () => {
    const { at, lines } = await publishedAt({
      "published-at": "tag-date",
      "tag-prefix": "pkg/",
      version: "1.0.0",
    });
    expect(at).toBe(gitIso("2021-01-01T08:00:00Z"));
    expect(lines).toContain(
      `published-at: ${at} (the tagger date of tag "pkg/v1.0.0")`,
    );
  });

  it("takes the tag that triggered the run", async () => {
    const { at, lines } = await publishedAt(
      { "published-at": "tag-date" },
      { GITHUB_REF: "refs/tags/v1.0.0" },
    );
    expect(at).toBe(gitIso("2021-02-01T08:00:00Z"));
    expect(lines[0]).toContain('(the commit date of tag "v1.0.0")');
  });

  it("takes the only version tag at HEAD with the prefix", async () => {
    const { at } = await publishedAt(
      { "published-at": "tag-date", "tag-prefix": "pkg/" },
      { GITHUB_REF: "refs/heads/main" },
    );
    expect(at).toBe(gitIso("2021-03-01T08:00:00Z"));
  });

  it("names a missing tag and the inputs to check", async () => {
    const error = await errorOf({
      "published-at": "tag-date",
      "tag-prefix": "pkg/",
      version: "9.9.9",
    });
    expect(error.message).toBe(
      'Input "published-at" is "tag-date", but the tag "pkg/v9.9.9" is ' +
        'not in the clone. Check "version" and "tag-prefix", or give an ' +
        "RFC 3339 timestamp.",
    );
  });

  it("suggests fetch-depth: 0 in a shallow clone", async () => {
    const clone = path.join(mkdtempSync(path.join(tmpdir(), "shallow-")), "c");
    execFileSync("git", [
      "clone",
      "-q",
      "--depth",
      "1",
      "--no-tags",
      `file://${repo}`,
      clone,
    ]);
    const error = await errorOf(
      { "published-at": "tag-date", "tag-prefix": "pkg/" },
      {},
      clone,
    );
    expect(error.message).toContain(
      "the run is not on a tag and no version tag points at HEAD. The " +
        'clone is shallow: set "fetch-depth: 0" on actions/checkout',
    );
  });

  it("asks for a version when several tags point at HEAD", async () => {
    const twice = createTaggedRepo([
      { name: "v2.0.0", annotated: false, date: "2022-01-01T00:00:00Z" },
    ]);
    git(twice, ["tag", "2.0.0"], "2022-01-01T00:00:00Z");
    const error = await errorOf({ "published-at": "tag-date" }, {}, twice);
    expect(error.message).toContain('("2.0.0", "v2.0.0")');
  });

  it("explains that git is needed outside a repository", async () => {
    const plain = mkdtempSync(path.join(tmpdir(), "no-git-"));
    const error = await errorOf({ "published-at": "tag-date" }, {}, plain);
    expect(error.message).toMatch(/^Input "published-at" needs git: "git /);
  });
});

describe("published-at: commit-date", () => {
  it("is the committer date of HEAD", async () => {
    const { at } = await publishedAt({ "published-at": "commit-date" });
    expect(at).toBe(gitIso("2021-03-01T08:00:00Z"));
  });
});

describe("published-at: a timestamp", () => {
  it("is kept as given, without git", async () => {
    const plain = mkdtempSync(path.join(tmpdir(), "no-git-"));
    const { at, lines } = await publishedAt(
      { "published-at": "2020-01-01T00:00:00Z" },
      {},
      plain,
    );
    expect(at).toBe("2020-01-01T00:00:00Z");
    expect(lines).toEqual([]);
  });
});
