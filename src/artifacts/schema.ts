/**
 * Reads a package schema and checks what the registry needs of it: strict
 * JSON (YAML is converted), a `name`, and no Git LFS pointer in its place.
 * A JSON schema is read once, as a stream, whatever its size: the checks
 * and the sha256 come from the same pass.
 */
import { createHash } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { JsonSyntaxError, scanJsonFile, type JsonScan } from "./json-scan.js";

/** What the action uses from a schema. */
export interface SchemaFacts {
  name: string;
  version?: string;
  /** A display name only: never used as the publishing organization. */
  publisher?: string;
  parameterization?: { baseProvider?: { name?: string; version?: string } };
}

/** The schema as it will be uploaded: always a JSON file. */
export interface SchemaFile {
  /** The JSON file to upload: the input itself, or a conversion of YAML. */
  path: string;
  facts: SchemaFacts;
  /** True when the input was YAML and was converted to JSON. */
  converted: boolean;
  /** Size of the file at `path`. */
  bytes: number;
  /** Hex sha256 of the file at `path`. */
  sha256: string;
}

const INPUT = "schema";
const LFS_POINTER = "version https://git-lfs.github.com/spec/v1";
const BOM = "\ufeff";
/** The top-level members the action reads; the rest is only checked. */
const MEMBERS = new Set(["name", "version", "publisher", "parameterization"]);

/** Reads and checks the schema at `file`; YAML is converted into `tempDir`. */
export async function readSchema(
  file: string,
  tempDir: string,
): Promise<SchemaFile> {
  const head = await readHead(file, LFS_POINTER.length);
  if (head.startsWith(LFS_POINTER)) {
    throw new InputError(
      `The schema "${file}" is a Git LFS pointer, not the schema itself. ` +
        `Check out with LFS files ("lfs: true" on actions/checkout).`,
      { input: INPUT, file, line: 1 },
    );
  }
  const extension = path.extname(file).toLowerCase();
  if (extension === ".yaml" || extension === ".yml") {
    return convertYamlSchema(file, tempDir);
  }
  if (extension !== ".json") {
    throw new InputError(
      `The schema "${file}" has the extension "${extension}". ` +
        `Name a .json, .yaml or .yml file: the extension decides the format.`,
      { input: INPUT, file },
    );
  }
  if (head.startsWith(BOM)) {
    throw notJsonError(file, "the file starts with a byte order mark", {
      line: 1,
      column: 1,
    });
  }
  const scan = await scanJsonSchema(file);
  const facts = checkSchema(scan.rootType === "object", scan.members, file);
  return { path: file, facts, converted: false, ...digestOf(scan) };
}

function digestOf(scan: JsonScan) {
  return { bytes: scan.bytes, sha256: scan.sha256 };
}

/** The first `length` characters of `file` (fewer when it is shorter). */
async function readHead(file: string, length: number): Promise<string> {
  const handle = await fs.open(file, "r");
  try {
    const buffer = Buffer.alloc(length * 4);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString("utf8").slice(0, length);
  } finally {
    await handle.close();
  }
}

async function scanJsonSchema(file: string): Promise<JsonScan> {
  try {
    return await scanJsonFile(file, MEMBERS);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw notJsonError(file, error.message, await locate(file, error.offset));
  }
}

function notJsonError(
  file: string,
  reason: string,
  where: { line: number; column: number },
): InputError {
  return new InputError(
    `The schema "${file}" is not valid JSON: ${reason} at line ` +
      `${where.line}, column ${where.column}. A .json schema must be ` +
      "strict JSON; write YAML in a .yaml file.",
    { input: INPUT, file, ...where },
  );
}

/** YAML schemas are small: parsed, checked and converted in memory. */
async function convertYamlSchema(
  file: string,
  tempDir: string,
): Promise<SchemaFile> {
  const text = await fs.readFile(file, "utf8");
  const value = await parseYamlSchema(text, file);
  const isObject =
    typeof value === "object" && value !== null && !Array.isArray(value);
  const members = new Map(isObject ? Object.entries(value) : []);
  const facts = checkSchema(isObject, members, file);
  const json = Buffer.from(JSON.stringify(value));
  const converted = path.join(tempDir, "schema.json");
  await fs.writeFile(converted, json);
  const sha256 = createHash("sha256").update(json).digest("hex");
  return {
    path: converted,
    facts,
    converted: true,
    bytes: json.length,
    sha256,
  };
}

async function parseYamlSchema(text: string, file: string): Promise<unknown> {
  const { parseDocument } = await import("yaml");
  const document = parseDocument(text, { prettyErrors: true });
  const [error] = document.errors;
  if (error) {
    const [line, column] = error.linePos?.[0]
      ? [error.linePos[0].line, error.linePos[0].col]
      : [undefined, undefined];
    throw new InputError(
      `The schema "${file}" is not valid YAML: ${error.message.split("\n")[0]}`,
      { input: INPUT, file, line, column },
    );
  }
  try {
    return document.toJS();
  } catch (error) {
    // The parser refuses alias expansions that would exhaust memory.
    throw new InputError(
      `The schema "${file}" cannot be converted to JSON: ` +
        `${(error as Error).message}. Write the schema without YAML aliases ` +
        `that expand this much.`,
      { input: INPUT, file },
    );
  }
}

function checkSchema(
  isObject: boolean,
  members: ReadonlyMap<string, unknown>,
  file: string,
): SchemaFacts {
  if (!isObject) {
    throw new InputError(
      `The schema "${file}" is not an object. A Pulumi package schema is a ` +
        `JSON object with at least a "name".`,
      { input: INPUT, file },
    );
  }
  const name = members.get("name");
  if (typeof name !== "string" || name.trim() === "") {
    throw new InputError(
      `The schema "${file}" has no "name". Add the package name as the ` +
        `top-level "name" field.`,
      { input: INPUT, file },
    );
  }
  checkPackageName(name, file);
  const { version, publisher, parameterization } = Object.fromEntries(members);
  if (version !== undefined && typeof version !== "string") {
    throw new InputError(
      `The schema "${file}" has a "version" of ${JSON.stringify(version)}, ` +
        `which is not a string. Write it as a string such as "1.2.3", or ` +
        `remove it and set the "version" input.`,
      { input: INPUT, file },
    );
  }
  return {
    name,
    version,
    publisher: typeof publisher === "string" ? publisher : undefined,
    parameterization:
      typeof parameterization === "object" && parameterization !== null
        ? (parameterization as SchemaFacts["parameterization"])
        : undefined,
  };
}

/** The package-name rule of Pulumi's schema definition. */
const PACKAGE_NAME = /^[a-zA-Z][-a-zA-Z0-9_]*$/;

function checkPackageName(name: string, file: string): void {
  if (PACKAGE_NAME.test(name)) return;
  throw new InputError(
    `The schema "${file}" names the package ${JSON.stringify(name)}, which ` +
      `is not a valid package name: it must start with a letter and hold ` +
      `only letters, digits, "-" and "_".`,
    { input: INPUT, file },
  );
}

/**
 * 1-based line and column of a byte offset, read again from the file: an
 * error is rare, and this keeps the main pass free of position tracking.
 * The column counts characters, not bytes.
 */
async function locate(
  file: string,
  offset: number,
): Promise<{ line: number; column: number }> {
  let line = 1;
  let column = 1;
  let seen = 0;
  for await (const chunk of createReadStream(file, {
    end: Math.max(0, offset - 1),
  }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length && seen < offset; i++, seen++) {
      const byte = chunk[i]!;
      if (byte === 0x0a) {
        line++;
        column = 1;
      } else if ((byte & 0xc0) !== 0x80) {
        column++;
      }
    }
  }
  return { line, column };
}
