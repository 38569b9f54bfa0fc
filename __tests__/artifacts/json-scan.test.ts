import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  JsonSyntaxError,
  scanJsonFile,
} from "../../src/artifacts/json-scan.js";
import { readSchema } from "../../src/artifacts/schema.js";
import { InputError } from "../../src/errors.js";
import { REAL_PACKAGES } from "../helpers/paths.js";

const WANTED = new Set(["name", "version", "publisher", "parameterization"]);

function fileWith(content: string | Buffer, name = "schema.json"): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "json-scan-")), name);
  writeFileSync(file, content);
  return file;
}

async function outcome(text: string): Promise<"ok" | "error"> {
  return scanJsonFile(fileWith(text), WANTED).then(
    () => "ok",
    (error: unknown) => {
      expect(error).toBeInstanceOf(JsonSyntaxError);
      return "error";
    },
  );
}

describe("scanJsonFile agrees with JSON.parse", () => {
  const texts = [
    '{"a":1}',
    ' {"a":[1,2,{"b":null}],"c":"\\u00e9"}\n',
    "[]",
    "[[]]",
    "{}",
    '"text"',
    "12.5e3",
    "true",
    "",
    "   ",
    '{"a":1} x',
    '{"a":1}{"b":2}',
    '{"a":1',
    '{"a":01}',
    '{"a":1,}',
    "[1,]",
    "[,1]",
    '{"a" 1}',
    '{"a":}',
    '{,"a":1}',
    '{"a":1 "b":2}',
    "[1 2]",
    '{"a":"tab\there"}',
    '{"a":NaN}',
    '{"a":"\\x"}',
    "{'a':1}",
    '{"a":1]',
    '["a"}',
    "[}",
    '{"a":tru}',
  ];
  it.each(texts)("%j", async (text) => {
    let expected: "ok" | "error" = "ok";
    try {
      JSON.parse(text);
    } catch {
      expected = "error";
    }
    expect(await outcome(text)).toBe(expected);
  });
});

describe("scanJsonFile", () => {
  it("keeps only the wanted top-level members, the last one winning", async () => {
    const scan = await scanJsonFile(
      fileWith(
        JSON.stringify({
          name: "first",
          resources: { r: { name: "nested", version: "9.9.9" } },
          parameterization: {
            baseProvider: { name: "terraform-provider", version: "0.1.0" },
            parameter: "e30=",
            list: [1, [true, null], { "": "" }],
          },
          version: "1.2.3",
        }).replace(/}$/, ',"name":"second"}'),
      ),
      WANTED,
    );
    expect(scan.rootType).toBe("object");
    expect(Object.fromEntries(scan.members)).toEqual({
      name: "second",
      version: "1.2.3",
      parameterization: {
        baseProvider: { name: "terraform-provider", version: "0.1.0" },
        parameter: "e30=",
        list: [1, [true, null], { "": "" }],
      },
    });
  });

  it("hashes and parses across chunk boundaries, as JSON.parse does", async () => {
    // Long strings and escapes straddle the 64 KiB chunks of the read.
    const value = {
      name: "big",
      items: Array.from({ length: 3000 }, (_, i) => ({
        id: i,
        text: `é ${'\\u2014 "quoted" '.repeat(i % 7)} ${"x".repeat(i)}`,
      })),
      publisher: "Acme",
    };
    const file = fileWith(JSON.stringify(value, null, 2));
    const scan = await scanJsonFile(file, WANTED);
    const bytes = readFileSync(file);
    expect(scan.bytes).toBe(bytes.length);
    expect(scan.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(scan.members.get("publisher")).toBe("Acme");
  });

  it("reports the byte offset of a grammar error", async () => {
    const error = await scanJsonFile(fileWith('{"a":1,}'), WANTED).then(
      () => undefined,
      (e: unknown) => e as JsonSyntaxError,
    );
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect(error).toMatchObject({ offset: 7 });
    expect(error?.message).toMatch(/property name.*found "}"/);
  });
});

describe("readSchema on malformed JSON", () => {
  async function schemaError(content: string | Buffer): Promise<InputError> {
    const file = fileWith(content);
    const error = await readSchema(file, path.dirname(file)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }

  it.each([
    ['{\n  "name": "x",\n}', 3, 1, /property name/],
    ['{\n  "name": "é", x\n}', 2, 16, /unexpected character "x"/],
    ['{"name": "x"}\n{"name": "y"}', 2, 1, /end of the file/],
    ['{\n  "name": "x"', 2, 14, /ends before the top-level value/],
    ["", 1, 1, /holds no JSON value/],
    ['{"name": "unterminated', 1, 23, /ends inside a string/],
  ])("%j at line %i, column %i", async (text, line, column, message) => {
    const error = await schemaError(text);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/strict JSON/);
    expect(error.location).toMatchObject({ input: "schema", line, column });
  });

  it("refuses a byte order mark, as JSON.parse does", async () => {
    const error = await schemaError('\ufeff{"name": "x"}');
    expect(error.message).toMatch(/byte order mark/);
  });

  it("gives size and sha256 of a real schema from the same pass", async () => {
    const file = path.join(REAL_PACKAGES, "github", "schema.json");
    const schema = await readSchema(file, tmpdir());
    const bytes = readFileSync(file);
    expect(schema).toMatchObject({
      path: file,
      converted: false,
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
    expect(schema.facts.name).toBe("github");
  });
});
