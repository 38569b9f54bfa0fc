import { createHash } from "node:crypto";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildPackageArtifacts } from "../../src/artifacts/package.js";
import { InputError } from "../../src/errors.js";
import { REAL_PACKAGES } from "../helpers/paths.js";

const sha256 = (file: string) =>
  createHash("sha256").update(readFileSync(file)).digest("hex");

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "package-artifacts-"));
}

async function inputErrorOf(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("buildPackageArtifacts on real packages", () => {
  it.each(["random", "github", "awsx", "terraform-provider"])(
    "describes %s's three files by size and sha256",
    async (name) => {
      const dir = path.join(REAL_PACKAGES, name);
      const built = await buildPackageArtifacts({
        schema: path.join(dir, "schema.json"),
        readme: path.join(dir, "_index.md"),
        installationConfiguration: path.join(
          dir,
          "installation-configuration.md",
        ),
        workingDirectory: dir,
        tempDir: scratch(),
      });
      const expected = [
        "schema.json",
        "_index.md",
        "installation-configuration.md",
      ];
      expect(built.artifacts.map((a) => [a.name, a.bytes, a.sha256])).toEqual(
        ["schema", "index", "installationConfiguration"].map((artifact, i) => {
          const file = path.join(dir, expected[i]);
          return [artifact, readFileSync(file).length, sha256(file)];
        }),
      );
      expect(built.schema.name).toBe(name);
    },
  );

  it("finds _index.md beside the schema when readme is not given", async () => {
    const dir = path.join(REAL_PACKAGES, "random");
    const built = await buildPackageArtifacts({
      schema: path.join(dir, "schema.json"),
      workingDirectory: scratch(),
      tempDir: scratch(),
    });
    expect(built.artifacts.map((a) => a.name)).toEqual(["schema", "index"]);
    expect(built.artifacts[1].path).toBe(path.join(dir, "_index.md"));
  });

  it("prefers docs/_index.md, then README.md in any case", async () => {
    const dir = scratch();
    cpSync(
      path.join(REAL_PACKAGES, "random", "schema.json"),
      path.join(dir, "schema.json"),
    );
    writeFileSync(path.join(dir, "ReadMe.md"), "# readme\n");
    const inputs = {
      schema: path.join(dir, "schema.json"),
      workingDirectory: dir,
      tempDir: scratch(),
    };
    expect((await buildPackageArtifacts(inputs)).artifacts[1].path).toBe(
      path.join(dir, "ReadMe.md"),
    );
    mkdirSync(path.join(dir, "docs"));
    writeFileSync(path.join(dir, "docs", "_index.md"), "# docs\n");
    expect((await buildPackageArtifacts(inputs)).artifacts[1].path).toBe(
      path.join(dir, "docs", "_index.md"),
    );
  });

  it("converts a YAML schema to the same value as its generated JSON", async () => {
    const dir = path.join(REAL_PACKAGES, "aws-apigateway");
    const built = await buildPackageArtifacts({
      schema: path.join(dir, "schema.yaml"),
      readme: path.join(dir, "_index.md"),
      workingDirectory: dir,
      tempDir: scratch(),
    });
    const converted = JSON.parse(readFileSync(built.artifacts[0].path, "utf8"));
    expect(built.artifacts[0].path).not.toBe(path.join(dir, "schema.yaml"));
    expect(converted.name).toBe("aws-apigateway");
    expect(Object.keys(converted.resources)).toEqual(
      Object.keys(
        JSON.parse(readFileSync(path.join(dir, "schema.json"), "utf8"))
          .resources,
      ),
    );
  });

  it("reads the parameterized schema's facts", async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, "README.md"), "# random\n");
    const built = await buildPackageArtifacts({
      schema: path.join(REAL_PACKAGES, "random-parameterized", "schema.json"),
      workingDirectory: dir,
      tempDir: scratch(),
    });
    expect(built.schema).toMatchObject({
      name: "random",
      publisher: "Pulumi",
      parameterization: {
        baseProvider: { name: "terraform-provider", version: "0.0.28" },
      },
    });
  });
});

describe("buildPackageArtifacts rejects bad input", () => {
  function folderWith(schemaName: string, content: string): string {
    const dir = scratch();
    writeFileSync(path.join(dir, schemaName), content);
    writeFileSync(path.join(dir, "README.md"), "# x\n");
    return dir;
  }
  const cases: [string, string, string, string, RegExp, number?][] = [
    [
      "malformed JSON",
      "schema.json",
      '{\n  "name": "x",\n  oops\n}',
      "schema",
      /not valid JSON/,
      3,
    ],
    [
      "JSON with comments",
      "schema.json",
      '{"name": "x" // c\n}',
      "schema",
      /strict JSON/,
    ],
    [
      "a schema without name",
      "schema.json",
      '{"version": "1.0.0"}',
      "schema",
      /has no "name"/,
    ],
    ["an array", "schema.json", "[]", "schema", /not an object/],
    [
      "malformed YAML",
      "schema.yaml",
      "name: x\n  bad: [\n",
      "schema",
      /not valid YAML/,
    ],
    [
      "an LFS pointer",
      "schema.json",
      "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n",
      "schema",
      /Git LFS pointer.*lfs: true/,
    ],
    ["an unknown extension", "schema.txt", "{}", "schema", /extension ".txt"/],
    [
      "a name with a slash",
      "schema.json",
      '{"name": "a/b"}',
      "schema",
      /"a\/b", which is not a valid package name/,
    ],
    [
      "a name with markup",
      "schema.json",
      '{"name": "<b>x</b>"}',
      "schema",
      /not a valid package name/,
    ],
    [
      "a numeric version",
      "schema.json",
      '{"name": "x", "version": 1}',
      "schema",
      /"version" of 1, which is not a string/,
    ],
    [
      "a YAML alias bomb",
      "schema.yaml",
      "name: x\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
      "schema",
      /cannot be converted to JSON: Excessive alias count/,
    ],
  ];
  it.each(cases)("%s", async (_name, file, content, input, message, line) => {
    const dir = folderWith(file, content);
    const error = await inputErrorOf(
      buildPackageArtifacts({
        schema: path.join(dir, file),
        workingDirectory: dir,
        tempDir: scratch(),
      }),
    );
    expect(error.location).toMatchObject({ input, file: path.join(dir, file) });
    expect(error.message).toMatch(message);
    if (line) expect(error.location.line).toBe(line);
  });

  it("a missing schema input", async () => {
    const error = await inputErrorOf(
      buildPackageArtifacts({
        workingDirectory: scratch(),
        tempDir: scratch(),
      }),
    );
    expect(error.location.input).toBe("schema");
    expect(error.message).toMatch(/is required/);
  });

  it("a schema path that does not exist", async () => {
    const dir = scratch();
    const error = await inputErrorOf(
      buildPackageArtifacts({
        schema: path.join(dir, "nope.json"),
        workingDirectory: dir,
        tempDir: scratch(),
      }),
    );
    expect(error.message).toMatch(/does not exist/);
  });

  it("a directory where the schema should be", async () => {
    const dir = scratch();
    const error = await inputErrorOf(
      buildPackageArtifacts({
        schema: dir,
        workingDirectory: dir,
        tempDir: scratch(),
      }),
    );
    expect(error.message).toMatch(/is a directory/);
  });

  it("a name input that differs from the schema", async () => {
    const dir = folderWith("schema.json", '{"name": "acme"}');
    const error = await inputErrorOf(
      buildPackageArtifacts({
        schema: path.join(dir, "schema.json"),
        name: "other",
        workingDirectory: dir,
        tempDir: scratch(),
      }),
    );
    expect(error.location.input).toBe("name");
    expect(error.message).toMatch(/"other".*"acme"/);
  });

  it("no index page anywhere", async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, "schema.json"), '{"name": "acme"}');
    const error = await inputErrorOf(
      buildPackageArtifacts({
        schema: path.join(dir, "schema.json"),
        workingDirectory: dir,
        tempDir: scratch(),
      }),
    );
    expect(error.location.input).toBe("readme");
    expect(error.message).toMatch(/Set the "readme" input/);
  });

  it("a missing installation-configuration file", async () => {
    const dir = folderWith("schema.json", '{"name": "acme"}');
    const error = await inputErrorOf(
      buildPackageArtifacts({
        schema: path.join(dir, "schema.json"),
        installationConfiguration: path.join(dir, "install.md"),
        workingDirectory: dir,
        tempDir: scratch(),
      }),
    );
    expect(error.location.input).toBe("installation-configuration");
  });
});
