/**
 * Reading and checking a template's root `Pulumi.yaml`, and the template's
 * registry name, before anything is archived or sent.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import {
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type YAMLMap,
} from "yaml";
import { InputError, type ErrorLocation } from "../errors.js";

/** What a template's root `Pulumi.yaml` says about it. */
export interface TemplateProject {
  /** Absolute path of the root `Pulumi.yaml`. */
  file: string;
  /** The project name; undefined when it is a placeholder like `${PROJECT}`. */
  name?: string;
  /** The runtime's name (`runtime` may be a string or a map with `name`). */
  runtime: string;
  description?: string;
  /** `template.displayName`, when set. */
  displayName?: string;
}

const PROJECT_FILE = "Pulumi.yaml";
const INPUT = "template-directory";
const TEMPLATE_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** A parsed `Pulumi.yaml` with what is needed to point at its lines. */
interface ProjectDocument {
  file: string;
  root: YAMLMap;
  lines: LineCounter;
}

/**
 * Reads and validates `<dir>/Pulumi.yaml`: it must sit at the folder's root
 * under exactly that name, parse as YAML, and be a map with `name`,
 * `runtime` and a `template` map. Each problem is an {@link InputError}
 * naming the file, the line where known, and the fix.
 */
export async function readTemplateProject(
  dir: string,
): Promise<TemplateProject> {
  const folder = path.resolve(dir);
  const file = await findProjectFile(folder);
  const doc = parseProject(file, await fs.readFile(file, "utf8"));

  return {
    file,
    name: readName(doc),
    runtime: readRuntime(doc),
    description: readOptionalString(doc, doc.root, "description"),
    displayName: readOptionalString(
      doc,
      readTemplate(doc),
      "displayName",
      "template.displayName",
    ),
  };
}

/**
 * Checks a template's registry name against `^[A-Za-z0-9._-]{1,100}$`
 * (and rejects `.` and `..`, which cannot stand in a URL path).
 */
export function checkTemplateName(name: string): void {
  if (TEMPLATE_NAME.test(name) && name !== "." && name !== "..") return;

  throw new InputError(
    `The template name "${name}" is not valid. ` +
      "A template name is 1 to 100 characters from A-Z, a-z, 0-9, " +
      '".", "_" and "-", and is not "." or "..". ' +
      'Set the "name" input to such a name, for example "my-template".',
    { input: "name" },
  );
}

async function findProjectFile(folder: string): Promise<string> {
  await checkFolder(folder);
  const file = path.join(folder, PROJECT_FILE);
  if (await isFile(file)) return file;

  throw new InputError(
    `The template folder "${folder}" has no ${PROJECT_FILE} at its root. ` +
      (await describeMissingProject(folder)),
    { input: INPUT, file },
  );
}

async function checkFolder(folder: string): Promise<void> {
  const stat = await fs.stat(folder).catch(() => undefined);
  if (stat?.isDirectory()) return;

  throw new InputError(
    `The template folder "${folder}" ` +
      (stat ? "is not a folder. " : "does not exist. ") +
      'Set "template-directory" to the folder that holds the template\'s ' +
      `${PROJECT_FILE}, relative to the repository root.`,
    { input: INPUT },
  );
}

/** The hint for a folder without `Pulumi.yaml`: a wrong name or depth. */
async function describeMissingProject(folder: string): Promise<string> {
  for (const other of ["Pulumi.yml", "pulumi.yaml", "Pulumi.YAML"]) {
    if (await hasEntryNamed(folder, other)) {
      return (
        `It has "${other}" instead; Pulumi only reads a file named ` +
        `exactly ${PROJECT_FILE}. Rename "${other}" to ${PROJECT_FILE}.`
      );
    }
  }

  const nested = await findNestedProject(folder, 3);
  if (nested) {
    return (
      `There is one in "${path.dirname(nested)}". Set ` +
      `"template-directory" to that folder, so that ${PROJECT_FILE} ` +
      "is at the root of the template."
    );
  }
  return (
    `Set "template-directory" to the folder that holds the template's ` +
    `${PROJECT_FILE}, or add one with name, runtime and a template section.`
  );
}

/** True when `folder` lists `name` with exactly that spelling. */
async function hasEntryNamed(folder: string, name: string): Promise<boolean> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  return names.includes(name);
}

/** Breadth-first search for a nested Pulumi.yaml, skipping heavy folders. */
async function findNestedProject(
  folder: string,
  depth: number,
): Promise<string | undefined> {
  let level = [folder];
  for (let i = 0; i < depth && level.length > 0; i++) {
    const next: string[] = [];
    for (const dir of level) {
      const entries = await fs
        .readdir(dir, { withFileTypes: true })
        .catch(() => []);
      const subdirs = entries
        .filter((e) => e.isDirectory() && !SKIPPED.has(e.name))
        .map((e) => path.join(dir, e.name))
        .sort();
      for (const sub of subdirs) {
        const file = path.join(sub, PROJECT_FILE);
        if (await isFile(file)) return file;
      }
      next.push(...subdirs);
    }
    level = next;
  }
  return undefined;
}

const SKIPPED = new Set([".git", "node_modules"]);

async function isFile(file: string): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => undefined);
  return stat?.isFile() ?? false;
}

function parseProject(file: string, text: string): ProjectDocument {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const [line, column] = [error.linePos?.[0].line, error.linePos?.[0].col];
    throw new InputError(
      `${file} is not valid YAML: ${firstLine(error.message)} ` +
        `(line ${line ?? "?"}, column ${column ?? "?"}). ` +
        "Fix the YAML at that place; indentation and unquoted ':' or '#' " +
        "are the usual causes.",
      { input: INPUT, file, line, column },
    );
  }
  return { file, root: requireMap(file, doc, lines), lines };
}

/** The parser's message without its own position and source excerpt. */
function firstLine(message: string): string {
  return message
    .split("\n")[0]
    .replace(/:$/, "")
    .replace(/ at line \d+, column \d+$/, "");
}

function requireMap(file: string, doc: Document, lines: LineCounter): YAMLMap {
  if (isMap(doc.contents)) return doc.contents;

  const kind = doc.contents === null ? "empty" : describeNode(doc.contents);
  throw new InputError(
    `${file} must be a YAML map with name, runtime and template, ` +
      `but it is ${kind}. Write it as "key: value" lines, for example ` +
      '"name: ${PROJECT}", "runtime: nodejs" and a "template:" section.',
    { input: INPUT, file, ...lineOf(lines, doc.contents ?? undefined) },
  );
}

function readName(doc: ProjectDocument): string | undefined {
  const name = requireString(doc, doc.root, "name", "name: ${PROJECT}");
  return name.includes("${") ? undefined : name;
}

function readRuntime(doc: ProjectDocument): string {
  const node = doc.root.get("runtime", true);
  if (isMap(node)) {
    return requireString(doc, node, "name", "name: nodejs", "runtime.name");
  }
  return requireString(doc, doc.root, "runtime", "runtime: nodejs");
}

function readTemplate(doc: ProjectDocument): YAMLMap {
  const node = doc.root.get("template", true);
  if (isMap(node)) return node;

  const found = node === undefined ? "has no" : "has a non-map";
  throw new InputError(
    `${doc.file} ${found} "template" section, so it is a project, ` +
      'not a template. Add a "template:" key whose value is a map, for ' +
      'example an indented "description: A minimal program" line under it.',
    { input: INPUT, file: doc.file, ...lineOf(doc.lines, node ?? doc.root) },
  );
}

/** A required non-empty string under `key`, or an error with an example. */
function requireString(
  doc: ProjectDocument,
  map: YAMLMap,
  key: string,
  example: string,
  label = key,
): string {
  const node = map.get(key, true);
  if (isScalar(node) && typeof node.value === "string" && node.value !== "") {
    return node.value;
  }

  const problem = node === undefined ? "has no" : "has an empty or non-text";
  throw new InputError(
    `${doc.file} ${problem} "${label}". ` +
      `Add it as text, for example "${example}".`,
    { input: INPUT, file: doc.file, ...lineOf(doc.lines, node ?? map) },
  );
}

/** An optional string under `key`; present but not text is an error. */
function readOptionalString(
  doc: ProjectDocument,
  map: YAMLMap,
  key: string,
  label = key,
): string | undefined {
  const node = map.get(key, true);
  if (node === undefined || (isScalar(node) && node.value === null)) {
    return undefined;
  }
  if (isScalar(node) && typeof node.value === "string") return node.value;

  throw new InputError(
    `${doc.file} has a "${label}" that is not text. ` +
      `Write it as one line of text, or quote it.`,
    { input: INPUT, file: doc.file, ...lineOf(doc.lines, node) },
  );
}

function describeNode(node: YamlNode): string {
  if (isScalar(node)) return `the single value "${String(node.value)}"`;
  return "a list";
}

function lineOf(
  lines: LineCounter,
  node: YamlNode | undefined,
): Pick<ErrorLocation, "line" | "column"> {
  const offset = node?.range?.[0];
  if (offset === undefined) return {};
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
