/**
 * Following the symbolic links of a template folder: each must lead to a
 * file or folder inside the template that the archive could hold anyway.
 */
import { promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import {
  ALWAYS_EXCLUDED,
  enterIgnoreFolder,
  findIgnoringRule,
  isWithin,
  type IgnoredBy,
  type IgnoreRules,
} from "./template-ignore.js";

/** The template, as links are checked against it. */
export interface LinkScope {
  /** The template folder as given. */
  dir: string;
  /** The template folder with every link resolved. */
  realRoot: string;
  /** The rules in force at the template root. */
  rootRules: IgnoreRules;
  /** The rules in force in each folder a link led into, by its path. */
  folderRules: Map<string, Promise<IgnoreRules>>;
}

/** A path reached through a link whose target the rules leave out. */
export interface IgnoredTarget extends IgnoredBy {
  /** The target, relative to the template root, "/" separators. */
  target: string;
}

const INPUT = "template-directory";

/** Follows a link to the end, refusing anything outside the template. */
export async function resolveLink(
  scope: LinkScope,
  abs: string,
  rel: string,
): Promise<{ stat: Stats; real: string }> {
  const target = await fs.readlink(abs);
  let real: string;
  try {
    real = await fs.realpath(abs);
  } catch (error) {
    throw brokenLinkError(scope, rel, target, error);
  }

  if (!isWithin(real, scope.realRoot)) {
    throw new InputError(
      `The template holds a symbolic link "${rel}" that points to ` +
        `"${target}"${real === target ? "" : ` (${real})`}, outside the ` +
        `template folder ` +
        `"${scope.realRoot}". Links are stored as the file they point to, ` +
        "and only files inside the template may be archived. Copy the " +
        `file into the template, or add "${rel}" to .pulumiignore.`,
      { input: INPUT, file: abs },
    );
  }
  return { stat: await fs.stat(real), real };
}

/**
 * Checks a file or folder at template path `rel` whose resolved path is
 * `real`. When a link led there (the two differ), the target must be one
 * the archive would hold: a target inside `.git` or `node_modules` is an
 * {@link InputError}, since `.git/config` can hold the checkout's token;
 * a target the ignore rules exclude is returned, to be left out and
 * logged like any ignored path.
 */
export async function checkLinkTarget(
  scope: LinkScope,
  rel: string,
  abs: string,
  real: string,
  isDirectory: boolean,
): Promise<IgnoredTarget | undefined> {
  const target = path.relative(scope.realRoot, real).split(path.sep).join("/");
  if (target === rel || target === "") return undefined;

  const place = target.split("/").find((part) => ALWAYS_EXCLUDED.has(part));
  if (place) {
    const text = await fs.readlink(abs).catch(() => target);
    throw excludedTargetError(rel, abs, { text, target }, place);
  }

  const by = await findTargetRule(scope, target, isDirectory);
  const slash = isDirectory ? "/" : "";
  return by && { ...by, target: target + slash };
}

/** The rule that leaves out `target`, entering folders as the walk does. */
async function findTargetRule(
  scope: LinkScope,
  target: string,
  isDirectory: boolean,
): Promise<IgnoredBy | undefined> {
  const folders = target.split("/").slice(0, -1);
  let rules = scope.rootRules;
  let dir = "";

  for (const folder of folders) {
    const by = findIgnoringRule(rules, dir + folder, true);
    if (by) return by;
    dir += `${folder}/`;
    rules = await rulesIn(scope, rules, dir);
  }
  return findIgnoringRule(rules, target, isDirectory);
}

function rulesIn(
  scope: LinkScope,
  parent: IgnoreRules,
  dir: string,
): Promise<IgnoreRules> {
  let rules = scope.folderRules.get(dir);
  if (!rules) {
    rules = enterIgnoreFolder(parent, path.join(scope.dir, dir), dir);
    scope.folderRules.set(dir, rules);
  }
  return rules;
}

function excludedTargetError(
  rel: string,
  abs: string,
  link: { text: string; target: string },
  place: string,
): InputError {
  const resolved =
    link.text === link.target ? "" : ` ("${link.target}" in the template)`;
  return new InputError(
    `The template holds a symbolic link "${rel}" that points to ` +
      `"${link.text}"${resolved}, inside "${place}". "${place}" is never ` +
      "archived, and " +
      "a link must not bring its content in (a checkout's .git/config " +
      "can hold a token). Remove the link, or point it at a file the " +
      "template should publish.",
    { input: INPUT, file: abs },
  );
}

function brokenLinkError(
  scope: LinkScope,
  rel: string,
  target: string,
  error: unknown,
): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const cause =
    code === "ELOOP"
      ? "which leads back to itself (a loop of links)"
      : "which does not exist (a dangling link)";
  return new InputError(
    `The template holds a symbolic link "${rel}" that points to ` +
      `"${target}", ${cause}. Point the link at a file inside the ` +
      `template, delete it, or add "${rel}" to .pulumiignore.`,
    { input: INPUT, file: path.join(scope.realRoot, rel) },
  );
}

/** For a link to a folder that holds the link itself. */
export function linkLoopError(
  scope: LinkScope,
  abs: string,
  rel: string,
  real: string,
): InputError {
  const shown = path.relative(scope.realRoot, real).split(path.sep).join("/");
  return new InputError(
    `The template holds a symbolic link "${rel}" that points to the ` +
      `folder "${shown || "."}", which contains the link itself, so the ` +
      "archive would never end. Delete the link, or add " +
      `"${rel}" to .pulumiignore.`,
    { input: INPUT, file: abs },
  );
}
