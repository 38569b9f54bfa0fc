/**
 * The few facts the action reads from the repository with git: its tags
 * with their dates, the commit checked out, and whether the clone is
 * shallow. Runs git through `@actions/exec`, silently.
 */
import { getExecOutput } from "@actions/exec";
import { ActionError } from "./errors.js";

/** A git command that failed or could not start. */
export class GitError extends ActionError {
  constructor(message: string) {
    super("git", message);
  }
}

/** One tag and the date a release tag stands for. */
export interface GitTag {
  /** The tag's name without `refs/tags/`, e.g. `packages/acme/v1.2.3`. */
  name: string;
  /** The commit the tag points at (peeled for annotated tags). */
  commit: string;
  annotated: boolean;
  /**
   * The tagger date of an annotated tag, else its commit's committer date
   * (ISO 8601 strict); empty when the commit is missing from a shallow clone.
   */
  date: string;
}

// Tab cannot appear in a ref name, so it separates the fields safely.
const TAG_FORMAT = [
  "%(refname:strip=2)",
  "%(objecttype)",
  "%(objectname)",
  "%(*objectname)",
  "%(taggerdate:iso-strict)",
  "%(*committerdate:iso-strict)",
  "%(committerdate:iso-strict)",
].join("%09");

/** Every tag of the repository at `cwd`, in git's order (by name). */
export async function listTags(cwd: string): Promise<GitTag[]> {
  const out = await git(cwd, [
    "for-each-ref",
    `--format=${TAG_FORMAT}`,
    "refs/tags",
  ]);
  return out
    .split("\n")
    .filter((line) => line !== "")
    .map(parseTagLine);
}

function parseTagLine(line: string): GitTag {
  const [name, type, object, peeled, tagger, peeledDate, commitDate] =
    line.split("\t");
  const annotated = type === "tag";
  return {
    name,
    commit: annotated ? peeled : object,
    annotated,
    date: annotated ? tagger || peeledDate : commitDate,
  };
}

/** The commit `HEAD` points at. */
export async function headCommit(cwd: string): Promise<string> {
  return (await git(cwd, ["rev-parse", "HEAD"])).trim();
}

/** The committer date of `HEAD`, ISO 8601 strict. */
export async function headCommitDate(cwd: string): Promise<string> {
  return (await git(cwd, ["log", "-1", "--format=%cI", "HEAD"])).trim();
}

/** Whether the clone at `cwd` is shallow (actions/checkout's default). */
export async function isShallow(cwd: string): Promise<boolean> {
  const out = await git(cwd, ["rev-parse", "--is-shallow-repository"]);
  return out.trim() === "true";
}

async function git(cwd: string, args: string[]): Promise<string> {
  let result;
  try {
    result = await getExecOutput("git", args, {
      cwd,
      silent: true,
      ignoreReturnCode: true,
    });
  } catch (error) {
    throw new GitError(
      `git could not be run (${(error as Error).message}). ` +
        "Install git on the runner, or use a runner image that has it.",
    );
  }
  if (result.exitCode !== 0) {
    const said = result.stderr.trim().split("\n")[0] || "no message";
    throw new GitError(
      `"git ${args[0]}" failed in "${cwd}" (exit ${result.exitCode}: ` +
        `${said}). Check out the repository (actions/checkout) before ` +
        "this step.",
    );
  }
  return result.stdout;
}
