/** Test repositories with tags at fixed dates, built with the git CLI. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** One tag to create, on a commit of its own. */
export interface TagSpec {
  name: string;
  annotated: boolean;
  /** The tag's date: the tagger date (annotated) or the commit date. */
  date: string;
}

/** An annotated tag's commit is a day older than the tag itself. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Author, committer and a config-free environment for deterministic git. */
export function gitEnv(date: string, home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Test Author",
    GIT_AUTHOR_EMAIL: "author@example.com",
    GIT_COMMITTER_NAME: "Test Committer",
    GIT_COMMITTER_EMAIL: "committer@example.com",
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
}

/** Runs git in `dir` at the given date. */
export function git(dir: string, args: string[], date: string): string {
  return execFileSync("git", args, {
    cwd: dir,
    env: gitEnv(date, dir),
    encoding: "utf8",
  });
}

/**
 * A new repository holding `files` in its first commit, then one commit
 * per tag. An annotated tag's commit is a day older than its tagger date,
 * so that the two dates can be told apart.
 */
export function createTaggedRepo(
  tags: TagSpec[],
  files: Record<string, string> = {},
): string {
  const dir = mkdtempSync(path.join(tmpdir(), "tagged-repo-"));
  const first = "2019-01-01T00:00:00Z";
  git(dir, ["init", "-q", "-b", "main"], first);
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), text);
  }
  git(dir, ["add", "-A"], first);
  git(dir, ["commit", "-q", "--allow-empty", "-m", "initial"], first);
  for (const tag of tags) {
    const commitDate = tag.annotated
      ? new Date(Date.parse(tag.date) - DAY_MS).toISOString()
      : tag.date;
    git(dir, ["commit", "-q", "--allow-empty", "-m", tag.name], commitDate);
    const args = tag.annotated
      ? ["tag", "-a", "-m", `release ${tag.name}`, tag.name]
      : ["tag", tag.name];
    git(dir, ["-c", "tag.gpgSign=false", ...args], tag.date);
  }
  return dir;
}

/** The same instant as `date`, as git prints it (`+00:00`, no millis). */
export function gitIso(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}
