/**
 * Reads a package schema and checks what the registry needs of it: strict
 * JSON (YAML is converted), a `name`, and no Git LFS pointer in its place.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { InputError } from "../errors.js";

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
}

const INPUT = "schema";
const LFS_POINTER = "version https://git-lfs.github.com/spec/v1";

/** Reads and checks the schema at `file`; YAML is converted into `tempDir`. */
export async function readSchema(
  file: string,
  tempDir: string,
): Promise<SchemaFile> {
  const text = await fs.readFile(file, "utf8");
  if (text.startsWith(LFS_POINTER)) {
    throw new InputError(
      `The schema "${file}" is a Git LFS pointer, not the schema itself. ` +
        `Check out with LFS files ("lfs: true" on actions/checkout).`,
      { input: INPUT, file, line: 1 },
    );
  }
  const extension = path.extname(file).toLowerCase();
  if (extension === ".yaml" || extension === ".yml") {
    const value = parseYamlSchema(text, file);
    const facts = checkSchema(value, file);
    const converted = path.join(tempDir, "schema.json");
    await fs.writeFile(converted, JSON.stringify(value));
    return { path: converted, facts, converted: true };
  }
  if (extension !== ".json") {
    throw new InputError(
      `The schema "${file}" has the extension "${extension}". ` +
        `Name a .json, .yaml or .yml file: the extension decides the format.`,
      { input: INPUT, file },
    );
  }
  return {
    path: file,
    facts: checkSchema(parseJsonSchema(text, file), file),
    converted: false,
  };
}

function parseJsonSchema(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? locate(text, Number(position[1])) : {};
    throw new InputError(
      `The schema "${file}" is not valid JSON: ${message}. ` +
        `A .json schema must be strict JSON; write YAML in a .yaml file.`,
      { input: INPUT, file, ...where },
    );
  }
}

function parseYamlSchema(text: string, file: string): unknown {
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
  return document.toJS();
}

function checkSchema(value: unknown, file: string): SchemaFacts {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(
      `The schema "${file}" is not an object. A Pulumi package schema is a ` +
        `JSON object with at least a "name".`,
      { input: INPUT, file },
    );
  }
  const schema = value as Record<string, unknown>;
  if (typeof schema.name !== "string" || schema.name.trim() === "") {
    throw new InputError(
      `The schema "${file}" has no "name". Add the package name as the ` +
        `top-level "name" field.`,
      { input: INPUT, file },
    );
  }
  return {
    name: schema.name,
    version: typeof schema.version === "string" ? schema.version : undefined,
    publisher:
      typeof schema.publisher === "string" ? schema.publisher : undefined,
    parameterization:
      typeof schema.parameterization === "object" &&
      schema.parameterization !== null
        ? (schema.parameterization as SchemaFacts["parameterization"])
        : undefined,
  };
}

/** 1-based line and column of a character offset. */
function locate(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
