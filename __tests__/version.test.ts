import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import {
  isPlaceholder,
  parseStrictVersion,
  resolveVersion,
  type VersionSources,
} from "../src/version.js";

const dir = mkdtempSync(path.join(tmpdir(), "version-test-"));
function versionFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const pkg = versionFile("package.json", { version: "3.4.5" });
const placeholderPkg = versionFile("placeholder.json", { version: "0.0.0" });
const noVersion = versionFile("no-version.json", { name: "x" });
const badVersion = versionFile("bad-version.json", { version: "1.2" });
const withBom = path.join(dir, "bom.json");
writeFileSync(withBom, '\uFEFF{"version": "9.9.9"}');

const base: VersionSources = { tagPrefix: "" };

describe("resolveVersion", () => {
  const cases: [string, VersionSources, string, string][] = [
    [
      "input wins",
      { ...base, input: "1.2.3", ref: "refs/tags/v9.9.9" },
      "1.2.3",
      "input",
    ],
    ["input drops one v", { ...base, input: "v1.2.3" }, "1.2.3", "input"],
    [
      "input keeps prerelease and build",
      { ...base, input: "1.2.3-beta.1+sha.abc" },
      "1.2.3-beta.1+sha.abc",
      "input",
    ],
    [
      "explicit placeholder is allowed",
      { ...base, input: "0.0.0-dev" },
      "0.0.0-dev",
      "input",
    ],
    ["tag with v", { ...base, ref: "refs/tags/v4.21.1" }, "4.21.1", "tag"],
    ["tag without v", { ...base, ref: "refs/tags/4.21.1" }, "4.21.1", "tag"],
    [
      "tag with prefix",
      {
        ...base,
        ref: "refs/tags/packages/acme/v1.2.3",
        tagPrefix: "packages/acme/",
      },
      "1.2.3",
      "tag",
    ],
    [
      "tag with name prefix",
      { ...base, ref: "refs/tags/mypkg/v1.0.0-rc.1", tagPrefix: "mypkg/" },
      "1.0.0-rc.1",
      "tag",
    ],
    [
      "branch falls to version file",
      { ...base, ref: "refs/heads/main", versionFile: pkg },
      "3.4.5",
      "version-file",
    ],
    [
      "default version file",
      { ...base, defaultVersionFile: pkg },
      "3.4.5",
      "version-file",
    ],
    [
      "missing default file is skipped",
      {
        ...base,
        defaultVersionFile: path.join(dir, "absent.json"),
        schemaVersion: "2.0.0",
      },
      "2.0.0",
      "schema",
    ],
    [
      "default file without version is skipped",
      { ...base, defaultVersionFile: noVersion, schemaVersion: "2.0.0" },
      "2.0.0",
      "schema",
    ],
    [
      "placeholder file falls through",
      { ...base, defaultVersionFile: placeholderPkg, schemaVersion: "2.0.0" },
      "2.0.0",
      "schema",
    ],
    ["schema version", { ...base, schemaVersion: "v5.0.0" }, "5.0.0", "schema"],
  ];
  it.each(cases)("%s", (_name, sources, version, origin) => {
    const resolved = resolveVersion(sources);
    expect(resolved.version).toBe(version);
    expect(resolved.origin).toBe(origin);
  });

  const errors: [string, VersionSources, string, RegExp][] = [
    [
      "padded input",
      { ...base, input: "1.1" },
      "version",
      /not a semantic version/,
    ],
    [
      "coercible input",
      { ...base, input: "v1" },
      "version",
      /MAJOR.MINOR.PATCH/,
    ],
    ["leading zero", { ...base, input: "01.2.3" }, "version", /"01.2.3"/],
    ["two v", { ...base, input: "vv1.2.3" }, "version", /"vv1.2.3"/],
    [
      "inner space",
      { ...base, input: "1.2.3 beta" },
      "version",
      /not a semantic/,
    ],
    [
      "tag of another package",
      { ...base, ref: "refs/tags/other/v1.2.3", tagPrefix: "mypkg/" },
      "tag-prefix",
      /"other\/v1.2.3" does not start with the tag prefix "mypkg\/"/,
    ],
    [
      "tag that is not a version",
      { ...base, ref: "refs/tags/release-2024" },
      "tag-prefix",
      /"release-2024" does not name a semantic version/,
    ],
    ["tag 1.1", { ...base, ref: "refs/tags/v1.1" }, "tag-prefix", /v1.1/],
    [
      "explicit file missing",
      { ...base, versionFile: path.join(dir, "missing.json") },
      "version-file",
      /cannot be read \(ENOENT\)/,
    ],
    [
      "explicit file without version",
      { ...base, versionFile: noVersion },
      "version-file",
      /has no "version" field/,
    ],
    [
      "file with bad version",
      { ...base, versionFile: badVersion },
      "version-file",
      /says "1.2", which is not a semantic version such as "1.2.3"\.$/,
    ],
    [
      "default file with bad version",
      { ...base, defaultVersionFile: badVersion },
      "version-file",
      /It was read because "version-file" is not set/,
    ],
    [
      "schema with bad version",
      { ...base, schemaVersion: "latest" },
      "schema",
      /"latest"/,
    ],
    ["nothing at all", base, "version", /No version to publish was found/],
    [
      "only placeholders",
      { ...base, schemaVersion: "0.0.0-dev" },
      "version",
      /Only placeholder versions were found \("0.0.0-dev" from the schema's version field\)/,
    ],
  ];
  it.each(errors)("rejects %s", (_name, sources, input, message) => {
    let caught: unknown;
    try {
      resolveVersion(sources);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).location.input).toBe(input);
    expect((caught as InputError).message).toMatch(message);
  });

  it("reads a version file that starts with a byte-order mark", () => {
    const resolved = resolveVersion({ ...base, defaultVersionFile: withBom });
    expect(resolved.version).toBe("9.9.9");
  });

  it("warns when the schema states another version, naming both", () => {
    const resolved = resolveVersion({
      ...base,
      ref: "refs/tags/v1.3.0",
      schemaVersion: "1.2.0",
    });
    expect(resolved.warnings).toEqual([
      'The schema states version "1.2.0", but tag "v1.3.0" gives "1.3.0"; publishing "1.3.0".',
    ]);
  });

  it("does not warn about a placeholder schema version", () => {
    const resolved = resolveVersion({
      ...base,
      ref: "refs/tags/v1.3.0",
      schemaVersion: "0.0.0-dev",
    });
    expect(resolved.warnings).toEqual([]);
  });
});

describe("parseStrictVersion and isPlaceholder", () => {
  it.each([
    ["1.2.3", "1.2.3"],
    ["v1.2.3", "1.2.3"],
    ["=1.2.3", undefined],
    ["1.2", undefined],
    ["1.2.3.4", undefined],
    ["", undefined],
  ])("parses %j as %j", (input, expected) => {
    expect(parseStrictVersion(input)).toBe(expected);
  });

  it.each([
    ["0.0.0", true],
    ["0.0.0-dev", true],
    ["v0.0.0", true],
    ["0.0.1", false],
    ["0.0.0-alpha.1", false],
  ])("%s is a placeholder: %s", (version, expected) => {
    expect(isPlaceholder(version)).toBe(expected);
  });
});
