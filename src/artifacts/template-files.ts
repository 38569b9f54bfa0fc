/**
 * Listing the files of a template folder that go into its archive: ignore
 * rules applied, symbolic links resolved and kept inside the folder.
 */
import { promises as fs, type Dirent, type Stats } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import {
  ALWAYS_EXCLUDED,
  enterIgnoreFolder,
  findIgnoringRule,
  loadRootIgnoreRules,
  type IgnoredBy,
  type IgnoreRules,
} from "./template-ignore.js";
import {
  checkLinkTarget,
  linkLoopError,
  resolveLink,
  type LinkScope,
} from "./template-links.js";

/** One regular file to archive. */
export interface TemplateFile {
  /** Path in the archive: relative to the template root, "/" separators. */
  path: string;
  /** Where to read the content (may go through a symbolic link). */
  source: string;
  bytes: number;
  /** 0o644, or 0o755 when the owner may execute it (never on Windows). */
  mode: number;
}

/** A path left out by a rule, for the log and for messages. */
export interface IgnoredPath extends IgnoredBy {
  /** Template path; a folder ends with "/". */
  path: string;
  /** Set when a link led to the path: where it points in the template. */
  target?: string;
}

/** The files to archive, sorted by the bytes of their paths. */
export interface TemplateFileList {
  files: TemplateFile[];
  ignored: IgnoredPath[];
  /** See {@link IgnoreRules.outerRulesSkipped}. */
  outerRulesSkipped?: IgnoredBy;
}

interface Walk extends LinkScope {
  files: TemplateFile[];
  ignored: IgnoredPath[];
}

const INPUT = "template-directory";

/**
 * Lists the files of the template folder `dir` that belong in its archive.
 * `.git` and `node_modules` are left out everywhere; so is whatever the
 * `.gitignore` files (see {@link loadRootIgnoreRules}) and `.pulumiignore`
 * exclude, and an excluded folder is not entered. A symbolic link to a
 * file or folder inside the template is stored as what it points to, unless
 * the rules leave that target out (then the link is left out too, and
 * listed in `ignored`); a link into `.git` or `node_modules` or out of the
 * template, and any socket, device or FIFO, is an {@link InputError}.
 */
export async function listTemplateFiles(
  dir: string,
  workspace?: string,
): Promise<TemplateFileList> {
  const rules = await loadRootIgnoreRules(dir, workspace);
  const walk: Walk = {
    dir,
    realRoot: await fs.realpath(dir),
    rootRules: rules,
    folderRules: new Map(),
    files: [],
    ignored: [],
  };

  await walkFolder(walk, dir, "", rules, [walk.realRoot]);
  walk.files.sort((a, b) => comparePaths(a.path, b.path));
  const { outerRulesSkipped } = rules;
  return { files: walk.files, ignored: walk.ignored, outerRulesSkipped };
}

/** Orders archive paths by their UTF-8 bytes, the same on every OS. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function walkFolder(
  walk: Walk,
  absDir: string,
  relDir: string,
  parentRules: IgnoreRules,
  /** The real paths of the folders being walked, this one last. */
  stack: string[],
): Promise<void> {
  const rules = relDir
    ? await enterIgnoreFolder(parentRules, absDir, relDir)
    : parentRules;
  const entries = await fs.readdir(absDir, { withFileTypes: true });
  entries.sort((a, b) => comparePaths(a.name, b.name));

  for (const entry of entries) {
    if (ALWAYS_EXCLUDED.has(entry.name)) continue;
    await visitEntry(walk, entry, absDir, relDir, rules, stack);
  }
}

async function visitEntry(
  walk: Walk,
  entry: Dirent,
  absDir: string,
  relDir: string,
  rules: IgnoreRules,
  stack: string[],
): Promise<void> {
  const rel = relDir + entry.name;
  const abs = path.join(absDir, entry.name);
  // Git treats a link as a file, so rules are tested before following it.
  if (isIgnored(walk, rules, rel, entry.isDirectory())) return;

  const { stat, real } = entry.isSymbolicLink()
    ? await resolveLink(walk, abs, rel)
    : {
        stat: await fs.lstat(abs),
        real: path.join(stack.at(-1) ?? "", entry.name),
      };

  const isDirectory = stat.isDirectory();
  if (isDirectory) {
    if (entry.isSymbolicLink() && isIgnored(walk, rules, rel, true)) return;
    if (stack.includes(real)) throw linkLoopError(walk, abs, rel, real);
  }
  if (await isIgnoredTarget(walk, rel, abs, real, isDirectory)) return;

  if (isDirectory) {
    await walkFolder(walk, abs, `${rel}/`, rules, [...stack, real]);
  } else if (stat.isFile()) {
    walk.files.push({
      path: rel,
      source: abs,
      bytes: stat.size,
      mode: modeOf(stat),
    });
  } else {
    throw specialFileError(rel, abs, stat);
  }
}

function isIgnored(
  walk: Walk,
  rules: IgnoreRules,
  rel: string,
  isDirectory: boolean,
): boolean {
  const by = findIgnoringRule(rules, rel, isDirectory);
  if (by) walk.ignored.push({ path: isDirectory ? `${rel}/` : rel, ...by });
  return by !== undefined;
}

/** True when a link led to `rel` and the rules leave its target out. */
async function isIgnoredTarget(
  walk: Walk,
  rel: string,
  abs: string,
  real: string,
  isDirectory: boolean,
): Promise<boolean> {
  const by = await checkLinkTarget(walk, rel, abs, real, isDirectory);
  if (by) walk.ignored.push({ path: isDirectory ? `${rel}/` : rel, ...by });
  return by !== undefined;
}

function specialFileError(rel: string, abs: string, stat: Stats): InputError {
  return new InputError(
    `The template holds "${rel}", which is a ${describeSpecial(stat)}, ` +
      "not a regular file; an archive can only hold files. Delete it, or " +
      `add "${rel}" to .pulumiignore.`,
    { input: INPUT, file: abs },
  );
}

function describeSpecial(stat: Stats): string {
  if (stat.isFIFO()) return "named pipe (FIFO)";
  if (stat.isSocket()) return "socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "device";
  return "special file";
}

function modeOf(stat: Stats): number {
  if (process.platform === "win32") return 0o644;
  return stat.mode & 0o100 ? 0o755 : 0o644;
}
