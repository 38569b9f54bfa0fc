/**
 * Building a template's archive: the folder's files, filtered and checked,
 * as a reproducible .tar.gz written outside the user's tree.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import type { Logger } from "../logger.js";
import { isWithin } from "./template-ignore.js";
import {
  listTemplateFiles,
  type IgnoredPath,
  type TemplateFile,
  type TemplateFileList,
} from "./template-files.js";
import { ArchiveTooLargeError, writeTarGz } from "./template-tar.js";

/** A file as stored in the archive. */
export interface ArchivedFile {
  /** Archive path, "/" separators, relative to the template root. */
  path: string;
  bytes: number;
}

/** The archive written, and what is in it. */
export interface TemplateArchive {
  /** The .tar.gz written under `outDir`. */
  path: string;
  /** Compressed size. */
  bytes: number;
  /** Hex sha256 of the .tar.gz. */
  sha256: string;
  /**
   * Hex sha256 of the tar inside, before compression: the same on every
   * machine, where the compressed bytes could in principle vary with the
   * zlib that Node.js was built with.
   */
  tarSha256: string;
  /** Sorted by the bytes of the path, as stored. */
  files: ArchivedFile[];
  uncompressedBytes: number;
  /** Up to five, largest first. */
  largest: ArchivedFile[];
  /** What the ignore rules left out, in the order the walk met it. */
  leftOut: IgnoredPath[];
  warnings: string[];
}

/** What {@link buildTemplateArchive} needs. */
export interface BuildTemplateArchiveOptions {
  /** The template folder (absolute). */
  dir: string;
  /** Where to write; a temporary folder, never inside `dir`. */
  outDir: string;
  /** GITHUB_WORKSPACE: parent .gitignore files are not read above it. */
  workspace?: string;
  /** The `max-archive-size` input: the largest compressed size allowed. */
  maxBytes: number;
  logger: Logger;
}

const INPUT = "template-directory";
/** Left-out paths shown at info level; the rest go to the debug log. */
const LEFT_OUT_SHOWN = 50;
const PROJECT_FILE = "Pulumi.yaml";
const README = "README.md";

/**
 * Archives the template folder `dir` into `<outDir>/<folder name>.tar.gz`:
 * files only, at paths relative to `dir` (so `Pulumi.yaml` is at the root),
 * sorted, with fixed times, owners and modes (see `writeTarGz`), so that
 * the same folder always gives the same sha256. Raises an
 * {@link InputError} for links that leave the folder, special files, a
 * `Pulumi.yaml` left out by ignore rules, or a size above `maxBytes`.
 */
export async function buildTemplateArchive(
  options: BuildTemplateArchiveOptions,
): Promise<TemplateArchive> {
  const dir = path.resolve(options.dir);
  const outFile = path.join(path.resolve(options.outDir), archiveName(dir));
  checkOutDir(dir, outFile);

  const list = await listTemplateFiles(dir, options.workspace);
  reportSkippedRules(list, options.logger);
  checkProjectFile(dir, list);

  const written = await writeArchive(list.files, outFile, options);
  const archive = describeArchive(outFile, list, written, options);
  await reportArchive(archive, dir, options.logger);
  return archive;
}

function archiveName(dir: string): string {
  const base = path.basename(dir).replace(/[^A-Za-z0-9._-]+/g, "-");
  return `${base.replace(/^[.-]+/, "") || "template"}.tar.gz`;
}

function checkOutDir(dir: string, outFile: string): void {
  if (!isWithin(outFile, dir)) return;
  throw new InputError(
    `The template archive would be written to "${outFile}", inside the ` +
      `template folder "${dir}", and so would end up in the next archive. ` +
      "Write it to a temporary folder such as RUNNER_TEMP instead.",
    { input: INPUT },
  );
}

function reportSkippedRules(list: TemplateFileList, logger: Logger): void {
  const by = list.outerRulesSkipped;
  if (!by) return;
  logger.info(
    `The template folder is itself excluded by "${by.pattern}" in ` +
      `${by.file}, so the .gitignore files above it are not applied.`,
  );
}

function checkProjectFile(dir: string, list: TemplateFileList): void {
  if (list.files.some((f) => f.path === PROJECT_FILE)) return;

  const rule = list.ignored.find((i) => i.path === PROJECT_FILE);
  const left = rule?.target ?? PROJECT_FILE;
  const link = rule?.target ? `it links to "${left}", and ` : "";
  const cause = rule
    ? `${link}it is left out by the pattern "${rule.pattern}" in ` +
      `${rule.file}. Add "!${left}" after that pattern, or remove the ` +
      "pattern."
    : `there is none at the root. Set "${INPUT}" to the folder holding ` +
      `the template's ${PROJECT_FILE}.`;
  throw new InputError(
    `The archive of "${dir}" would have no ${PROJECT_FILE}: ${cause}`,
    { input: INPUT, file: rule?.file || path.join(dir, PROJECT_FILE) },
  );
}

/** Writes next to `outFile` and renames, so no half archive is left. */
async function writeArchive(
  files: TemplateFile[],
  outFile: string,
  options: BuildTemplateArchiveOptions,
): Promise<Awaited<ReturnType<typeof writeTarGz>>> {
  await fs.mkdir(path.dirname(outFile), { recursive: true });
  const partial = `${outFile}.partial`;
  try {
    const written = await writeTarGz(files, partial, options.maxBytes);
    await fs.rename(partial, outFile);
    return written;
  } catch (error) {
    await fs.rm(partial, { force: true });
    if (error instanceof ArchiveTooLargeError) {
      throw tooLargeError(options, files);
    }
    throw error;
  }
}

function tooLargeError(
  options: BuildTemplateArchiveOptions,
  files: TemplateFile[],
): InputError {
  const largest = largestFiles(files)
    .map((f) => `${f.path} (${formatBytes(f.bytes)})`)
    .join(", ");
  return new InputError(
    `The template archive of "${options.dir}" is larger than ` +
      `max-archive-size (${formatBytes(options.maxBytes)} compressed). ` +
      `The largest files are: ${largest}. Leave out files the template ` +
      "does not need with .gitignore or .pulumiignore, or raise " +
      '"max-archive-size".',
    { input: "max-archive-size" },
  );
}

function describeArchive(
  outFile: string,
  list: TemplateFileList,
  written: Awaited<ReturnType<typeof writeTarGz>>,
  options: BuildTemplateArchiveOptions,
): TemplateArchive {
  const stored = list.files.map(({ path: p, bytes }) => ({ path: p, bytes }));
  return {
    path: outFile,
    bytes: written.bytes,
    sha256: written.sha256,
    tarSha256: written.tarSha256,
    files: stored,
    uncompressedBytes: stored.reduce((sum, f) => sum + f.bytes, 0),
    largest: largestFiles(stored),
    leftOut: list.ignored,
    warnings: findWarnings(stored, written.bytes, options.maxBytes),
  };
}

function largestFiles<T extends ArchivedFile>(files: T[]): ArchivedFile[] {
  return [...files]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5)
    .map(({ path: p, bytes }) => ({ path: p, bytes }));
}

function findWarnings(
  files: ArchivedFile[],
  bytes: number,
  maxBytes: number,
): string[] {
  const warnings: string[] = [];
  if (!files.some((f) => f.path === README)) {
    warnings.push(readmeWarning(files));
  }
  if (bytes > maxBytes / 2) {
    warnings.push(
      `The template archive is ${formatBytes(bytes)}, more than half of ` +
        `max-archive-size (${formatBytes(maxBytes)}). Leave out files the ` +
        "template does not need with .gitignore or .pulumiignore before " +
        "it reaches the limit.",
    );
  }
  return warnings;
}

function readmeWarning(files: ArchivedFile[]): string {
  const other = files.find((f) => f.path.toLowerCase() === "readme.md");
  const fix = other
    ? ` It has "${other.path}"; rename it to ${README}.`
    : ` Add one that explains what the template creates and how to use it.`;
  return `The template has no ${README} at its root.${fix}`;
}

async function reportArchive(
  archive: TemplateArchive,
  dir: string,
  logger: Logger,
): Promise<void> {
  logger.info(
    `Template archive ${path.basename(archive.path)}: ` +
      `${archive.files.length} ${archive.files.length === 1 ? "file" : "files"}, ` +
      `${formatBytes(archive.uncompressedBytes)} uncompressed, ` +
      `${formatBytes(archive.bytes)} compressed, sha256 ${archive.sha256}`,
  );
  await logger.group("Template archive contents", async () => {
    logger.info(`Written to ${archive.path}`);
    logger.info(`sha256 of the tar before compression: ${archive.tarSha256}`);
    for (const f of archive.largest) {
      logger.info(`Largest: ${f.path} (${formatBytes(f.bytes)})`);
    }
    for (const f of archive.files) {
      logger.debug(`${f.path} (${f.bytes} bytes)`);
    }
    reportLeftOut(archive.leftOut, dir, logger);
  });
  archive.warnings.forEach((w) => logger.warning(w));
}

/**
 * Lists what the ignore rules left out, with the rule that did it: git
 * would keep a tracked file that a rule matches, but the action does not
 * run git, so this is where a user sees a file missing from the archive.
 */
function reportLeftOut(
  leftOut: IgnoredPath[],
  dir: string,
  logger: Logger,
): void {
  const lines = leftOut.map((i) => `left out: ${describeLeftOut(i, dir)}`);
  lines.slice(0, LEFT_OUT_SHOWN).forEach((line) => logger.info(line));
  if (lines.length <= LEFT_OUT_SHOWN) return;

  logger.info(
    `left out: ${lines.length - LEFT_OUT_SHOWN} more paths ` +
      "(the debug log lists them all)",
  );
  lines.slice(LEFT_OUT_SHOWN).forEach((line) => logger.debug(line));
}

/** `bin/ (.gitignore: bin/)`, with the rule file relative to `dir`. */
function describeLeftOut(item: IgnoredPath, dir: string): string {
  const file = path.relative(dir, item.file).split(path.sep).join("/");
  const target = item.target ? ` -> ${item.target}` : "";
  return `${item.path}${target} (${file}: ${item.pattern})`;
}

/** Sizes as people read them: bytes below 1 KiB, then KiB or MiB. */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
