/**
 * The `.gitignore` and `.pulumiignore` rules that decide which files of a
 * template folder go into its archive, applied the way git applies them.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import ignore, { type Ignore, type PatternParams } from "ignore";

/** The rules read in one folder. */
interface IgnoreLevel {
  /** The folder, relative to the top (repository root), "/"-ended or "". */
  dir: string;
  patterns: PatternParams[];
  rules: Ignore;
}

/** Why a path is left out. */
export interface IgnoredBy {
  pattern: string;
  /** The rule file the pattern is in. */
  file: string;
}

/**
 * The rules in force in one folder of the template, innermost last; git
 * gives a deeper `.gitignore` precedence over the ones above it.
 */
export interface IgnoreRules {
  /** The template root relative to the top, "/"-ended or "". */
  readonly root: string;
  readonly levels: readonly IgnoreLevel[];
  /**
   * Set when the outer `.gitignore` files exclude the template folder
   * itself (a generated template, say); they are then not applied.
   */
  readonly outerRulesSkipped?: IgnoredBy;
}

/** Names left out wherever they appear, whatever the rules say. */
export const ALWAYS_EXCLUDED: ReadonlySet<string> = new Set([
  ".git",
  "node_modules",
]);

/**
 * Loads the rules in force at the template folder's root: the `.gitignore`
 * files of its parent folders down from the repository root (the nearest
 * ancestor holding a `.git` entry, never above `workspace`), then its own
 * `.gitignore` and `.pulumiignore` (whose rules come last and so win).
 */
export async function loadRootIgnoreRules(
  dir: string,
  workspace?: string,
): Promise<IgnoreRules> {
  const top = (await findRepositoryRoot(dir, workspace)) ?? dir;
  let rules: IgnoreRules = { root: "", levels: [] };

  for (const folder of foldersBetween(top, dir)) {
    const rel = toPosix(path.relative(top, folder));
    const prefix = rel ? `${rel}/` : "";
    // Git enters a folder only when the rules above do not exclude it.
    const excluded = prefix ? matchRules(rules, prefix) : undefined;
    if (excluded) {
      rules = { root: "", levels: [], outerRulesSkipped: excluded };
      break;
    }
    rules = { root: prefix, levels: rules.levels };
    if (folder !== dir) rules = await enterFolder(rules, folder, prefix);
  }
  return enterFolder(rules, dir, rules.root, [".gitignore", ".pulumiignore"]);
}

/**
 * The rules in force inside the template folder `relDir` (a template path
 * ending in "/", found at `absDir`), which the rules of its parent folder
 * did not exclude: those rules, plus the folder's own `.gitignore`.
 */
export async function enterIgnoreFolder(
  parent: IgnoreRules,
  absDir: string,
  relDir: string,
): Promise<IgnoreRules> {
  return enterFolder(parent, absDir, parent.root + relDir);
}

/**
 * Tells whether the template path `rel` ("/" separators, relative to the
 * template root) is excluded, and by which rule. The innermost folder whose
 * rules match the path decides, as in git.
 */
export function findIgnoringRule(
  rules: IgnoreRules,
  rel: string,
  isDirectory: boolean,
): IgnoredBy | undefined {
  return matchRules(rules, rules.root + rel + (isDirectory ? "/" : ""));
}

/** `full` is relative to the top; a directory ends with "/". */
function matchRules(rules: IgnoreRules, full: string): IgnoredBy | undefined {
  for (let i = rules.levels.length - 1; i >= 0; i--) {
    const level = rules.levels[i];
    const result = level.rules.test(full.slice(level.dir.length));

    if (result.unignored) return undefined;
    if (result.ignored && result.rule) {
      return { pattern: result.rule.pattern, file: result.rule.mark ?? "" };
    }
  }
  return undefined;
}

async function enterFolder(
  parent: IgnoreRules,
  absDir: string,
  dir: string,
  names = [".gitignore"],
): Promise<IgnoreRules> {
  const levels = parent.levels.map((level) => reopenLevel(level, dir));
  const own = await readLevel(absDir, names, dir);
  return { ...parent, levels: own ? [...levels, own] : levels };
}

/**
 * The level as it applies inside `dir`, a folder it excludes on its own
 * but that a deeper level re-included (`src/` above, `!src/` below).
 * `ignore` tests a path's parent folders too, so every pattern that
 * excludes `dir` is dropped here; git keeps them for the folder's content,
 * which differs only for a pattern that also matches a path inside it.
 */
function reopenLevel(level: IgnoreLevel, dir: string): IgnoreLevel {
  const local = dir.slice(level.dir.length);
  if (!local || !level.rules.test(local).ignored) return level;

  const patterns = level.patterns.filter(
    (p) => !newRules([p]).test(local).ignored,
  );
  return { ...level, patterns, rules: newRules(patterns) };
}

function newRules(patterns: PatternParams[]): Ignore {
  // Case-sensitive everywhere, so that an archive does not depend on the
  // runner's OS (git itself follows core.ignorecase, true on macOS/Windows).
  return ignore({ ignorecase: false }).add(patterns);
}

/**
 * The nearest folder from `dir` upwards that holds a `.git` entry (folder
 * or file, as in worktrees and submodules), not looking above `workspace`
 * and not at all when `dir` is outside it.
 */
export async function findRepositoryRoot(
  dir: string,
  workspace?: string,
): Promise<string | undefined> {
  const top = workspace && isWithin(dir, workspace) ? workspace : undefined;
  const candidates = top ? foldersBetween(top, dir).reverse() : ancestors(dir);
  const searched = workspace && !top ? [dir] : candidates;

  for (const folder of searched) {
    if (await exists(path.join(folder, ".git"))) return folder;
  }
  return undefined;
}

async function readLevel(
  folder: string,
  names: string[],
  dir: string,
): Promise<IgnoreLevel | undefined> {
  const patterns: PatternParams[] = [];
  for (const name of names) {
    const file = path.join(folder, name);
    const text = await readOptional(file);
    if (text === undefined) continue;
    for (const pattern of text.split(/\r?\n/)) {
      patterns.push({ pattern, mark: file });
    }
  }
  if (patterns.length === 0) return undefined;
  return { dir, patterns, rules: newRules(patterns) };
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR";
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

/** `top`, then each folder down to and including `bottom`. */
function foldersBetween(top: string, bottom: string): string[] {
  const parts = path.relative(top, bottom).split(path.sep).filter(Boolean);
  const folders = [top];
  for (const part of parts) {
    folders.push(path.join(folders[folders.length - 1], part));
  }
  return folders;
}

/** `dir` and each of its parents up to the filesystem root. */
function ancestors(dir: string): string[] {
  const folders = [dir];
  for (let p = path.dirname(dir); p !== folders.at(-1); p = path.dirname(p)) {
    folders.push(p);
  }
  return folders;
}

/** True when `child` is `parent` or inside it (paths compared as text). */
export function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  if (rel === "") return true;
  const outside = rel === ".." || rel.startsWith(`..${path.sep}`);
  return !outside && !path.isAbsolute(rel);
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
