import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  GitError,
  headCommit,
  headCommitDate,
  isShallow,
  listTags,
} from "../src/git.js";
import { createTaggedRepo, git, gitIso } from "./helpers/git-repo.js";

const repo = createTaggedRepo([
  { name: "v1.0.0", annotated: true, date: "2020-03-01T10:00:00Z" },
  { name: "pkg/v1.1.0", annotated: false, date: "2020-04-01T10:00:00Z" },
]);

describe("listTags", () => {
  it("gives an annotated tag its tagger date, not its commit's", async () => {
    const tags = await listTags(repo);
    const annotated = tags.find((tag) => tag.name === "v1.0.0");
    expect(annotated).toMatchObject({
      annotated: true,
      date: gitIso("2020-03-01T10:00:00Z"),
    });
  });

  it("gives a lightweight tag its commit's committer date", async () => {
    const tags = await listTags(repo);
    expect(tags.find((tag) => tag.name === "pkg/v1.1.0")).toMatchObject({
      annotated: false,
      date: gitIso("2020-04-01T10:00:00Z"),
    });
  });

  it("peels annotated tags to the commit they point at", async () => {
    const tags = await listTags(repo);
    const head = await headCommit(repo);
    expect(tags.find((tag) => tag.name === "pkg/v1.1.0")?.commit).toBe(head);
    const tagged = git(repo, ["rev-parse", "v1.0.0^{commit}"], "2020-01-01");
    expect(tags.find((tag) => tag.name === "v1.0.0")?.commit).toBe(
      tagged.trim(),
    );
  });

  it("returns nothing for a repository without tags", async () => {
    const empty = createTaggedRepo([]);
    expect(await listTags(empty)).toEqual([]);
  });
});

describe("HEAD and the clone", () => {
  it("reads the committer date of HEAD", async () => {
    expect(await headCommitDate(repo)).toBe(gitIso("2020-04-01T10:00:00Z"));
  });

  it("tells a shallow clone from a full one", async () => {
    expect(await isShallow(repo)).toBe(false);
    const shallow = path.join(
      mkdtempSync(path.join(tmpdir(), "shallow-")),
      "c",
    );
    execFileSync("git", [
      "clone",
      "-q",
      "--depth",
      "1",
      `file://${repo}`,
      shallow,
    ]);
    expect(await isShallow(shallow)).toBe(true);
  });

  it("fails with a GitError outside a repository", async () => {
    const notRepo = mkdtempSync(path.join(tmpdir(), "not-a-repo-"));
    const error = await headCommit(notRepo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).message).toMatch(
      /"git rev-parse" failed in ".*not-a-repo-.*" \(exit 128: .*\)\. Check out the repository/,
    );
  });
});
