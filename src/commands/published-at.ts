/**
 * `published-at: tag-date | commit-date`: the date is read from git when the
 * command runs, before any request.
 */
import { InputError } from "../errors.js";
import {
  GitError,
  headCommit,
  headCommitDate,
  isShallow,
  listTags,
  type GitTag,
} from "../git.js";
import { INPUT, type Settings } from "../inputs.js";
import type { Logger } from "../logger.js";
import { parseStrictVersion, tagOfRef } from "../version.js";

/** The settings with `publishedAt` filled in from git when asked for. */
export async function resolvePublishedAt(
  settings: Settings,
  logger: Logger,
): Promise<Settings> {
  const from = settings.publishedAtFrom;
  if (from === undefined) return settings;
  const cwd = settings.workingDirectory;
  const publishedAt = await asInputError(async () => {
    if (from === "commit-date") {
      const date = await headCommitDate(cwd);
      logger.info(`published-at: ${date} (the committer date of HEAD)`);
      return date;
    }
    const tag = await findReleaseTag(settings);
    const what = tag.annotated ? "tagger date of" : "commit date of";
    logger.info(`published-at: ${tag.date} (the ${what} tag "${tag.name}")`);
    return tag.date;
  });
  return { ...settings, publishedAt };
}

/**
 * The tag being published: the one named by the `version` input (with
 * `tag-prefix`), else the tag that triggered the run, else the only
 * version tag at `HEAD` (a matrix job that checked out a tag).
 */
export async function findReleaseTag(settings: Settings): Promise<GitTag> {
  const cwd = settings.workingDirectory;
  const tags = await listTags(cwd);
  const prefix = settings.tagPrefix;
  const byName = (name: string) => tags.find((tag) => tag.name === name);

  const version = settings.version && parseStrictVersion(settings.version);
  const runTag = tagOfRef(settings.git.ref);
  let wanted: string[];
  if (version) {
    wanted = [`${prefix}v${version}`, `${prefix}${version}`];
  } else if (runTag !== undefined) {
    wanted = [runTag];
  } else {
    const head = await headCommit(cwd);
    const atHead = tags.filter(
      (tag) =>
        tag.commit === head &&
        tag.name.startsWith(prefix) &&
        parseStrictVersion(tag.name.slice(prefix.length)) !== undefined,
    );
    if (atHead.length === 1) return withDate(atHead[0], cwd);
    if (atHead.length > 1) throw ambiguousTags(atHead);
    throw await missingTag(undefined, cwd);
  }
  const found = wanted.map(byName).find((tag) => tag !== undefined);
  if (!found) throw await missingTag(wanted[0], cwd);
  return withDate(found, cwd);
}

async function withDate(tag: GitTag, cwd: string): Promise<GitTag> {
  if (tag.date) return tag;
  throw new InputError(
    `The tag "${tag.name}" is there, but its commit is not, so it has no ` +
      `date${(await isShallow(cwd)) ? " (the clone is shallow)" : ""}. ` +
      'Set "fetch-depth: 0" on actions/checkout to fetch the history.',
    { input: INPUT.publishedAt },
  );
}

async function missingTag(
  name: string | undefined,
  cwd: string,
): Promise<InputError> {
  const what = name
    ? `the tag "${name}" is not in the clone`
    : "the run is not on a tag and no version tag points at HEAD";
  const fix = (await isShallow(cwd))
    ? 'The clone is shallow: set "fetch-depth: 0" on actions/checkout ' +
      "so that every tag is fetched."
    : 'Check "version" and "tag-prefix", or give an RFC 3339 timestamp.';
  return new InputError(
    `Input "${INPUT.publishedAt}" is "tag-date", but ${what}. ${fix}`,
    { input: INPUT.publishedAt },
  );
}

function ambiguousTags(tags: GitTag[]): InputError {
  const names = tags.map((tag) => `"${tag.name}"`).join(", ");
  return new InputError(
    `Input "${INPUT.publishedAt}" is "tag-date", but several version tags ` +
      `point at HEAD (${names}). Set "version" (or "tag-prefix") to pick one.`,
    { input: INPUT.publishedAt },
  );
}

/** Git failures become input errors that name `input`. */
export async function asInputError<T>(
  fn: () => Promise<T>,
  input: string = INPUT.publishedAt,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof GitError) {
      throw new InputError(`Input "${input}" needs git: ${error.message}`, {
        input,
      });
    }
    throw error;
  }
}
