/**
 * The bad-input catalogue: each case runs the bundled action with one thing
 * wrong and must exit non-zero with one annotation naming the input or file,
 * before any write request reaches the registry.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startLocalRegistry,
  type LocalRegistry,
} from "../../src/local-registry/index.js";
import { runAction } from "../../scripts/run-action.mjs";
import { expectNoLeak } from "../helpers/leaks.js";
import { REAL_PACKAGES, REAL_TEMPLATES } from "../helpers/paths.js";

interface BadCase {
  /** What is wrong. */
  name: string;
  kind?: "package" | "template";
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** Changes the workspace (a copy of a real package or template). */
  setup?: (dir: string) => void;
  /** The annotation's title names this input. */
  input?: string;
  /** The annotation points at this file (relative to the workspace). */
  file?: string;
  message: RegExp;
}

const write = (name: string, content: string) => (dir: string) => {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), content);
};

const CASES: BadCase[] = [
  // Versions and tags.
  {
    name: "a padded version",
    inputs: { version: "1.1" },
    input: "version",
    message: /"1\.1", which is not a semantic version/,
  },
  {
    name: "a bare major version",
    inputs: { version: "v1" },
    input: "version",
    message: /MAJOR\.MINOR\.PATCH/,
  },
  {
    name: "a four-part version",
    inputs: { version: "1.2.3.4" },
    input: "version",
    message: /"1\.2\.3\.4"/,
  },
  {
    name: "latest as a version",
    inputs: { version: "latest" },
    input: "version",
    message: /"latest"/,
  },
  {
    name: "a leading zero",
    inputs: { version: "01.2.3" },
    input: "version",
    message: /"01\.2\.3"/,
  },
  {
    name: "a tag of another package",
    inputs: { version: "", "tag-prefix": "mypkg/" },
    env: { GITHUB_REF: "refs/tags/other/v1.0.0" },
    input: "tag-prefix",
    message: /"other\/v1\.0\.0" does not start with the tag prefix "mypkg\/"/,
  },
  {
    name: "a tag that is no version",
    inputs: { version: "" },
    env: { GITHUB_REF: "refs/tags/release-2024" },
    input: "tag-prefix",
    message: /"release-2024" does not name a semantic version/,
  },
  {
    name: "a two-part tag",
    inputs: { version: "" },
    env: { GITHUB_REF: "refs/tags/v1.2" },
    input: "tag-prefix",
    message: /"v1\.2"/,
  },
  {
    name: "a missing version file",
    inputs: { version: "", "version-file": "nope/package.json" },
    input: "version-file",
    message: /cannot be read \(ENOENT\)/,
  },
  {
    name: "a version file without version",
    inputs: { version: "", "version-file": "package.json" },
    setup: write("package.json", '{"name": "x"}'),
    input: "version-file",
    message: /has no "version" field/,
  },
  {
    name: "a version file that is not JSON",
    inputs: { version: "", "version-file": "version.txt" },
    setup: write("version.txt", "1.2.3\n"),
    input: "version-file",
    message: /not valid JSON/,
  },
  {
    name: "no version anywhere",
    inputs: { version: "" },
    input: "version",
    message: /No version to publish was found/,
  },
  {
    name: "only a placeholder version",
    inputs: { version: "" },
    setup: write("package.json", '{"version": "0.0.0"}'),
    input: "version",
    message: /Only placeholder versions were found/,
  },
  // Files.
  {
    name: "no schema input",
    inputs: { schema: "" },
    input: "schema",
    message: /is required to publish a package/,
  },
  {
    name: "a schema that does not exist",
    inputs: { schema: "missing.json" },
    input: "schema",
    file: "missing.json",
    message: /does not exist/,
  },
  {
    name: "a directory as the schema",
    inputs: { schema: "dir" },
    setup: (dir) => mkdirSync(path.join(dir, "dir")),
    input: "schema",
    file: "dir",
    message: /is a directory/,
  },
  {
    name: "malformed JSON",
    setup: write("schema.json", '{\n  "name": "random",\n  "x": }\n'),
    input: "schema",
    file: "schema.json",
    message: /not valid JSON/,
  },
  {
    name: "a trailing comma",
    setup: write("schema.json", '{"name": "random",}'),
    input: "schema",
    file: "schema.json",
    message: /strict JSON/,
  },
  {
    name: "a schema without name",
    setup: write("schema.json", '{"resources": {}}'),
    input: "schema",
    file: "schema.json",
    message: /has no "name"/,
  },
  {
    name: "a schema that is an array",
    setup: write("schema.json", "[1]"),
    input: "schema",
    file: "schema.json",
    message: /not an object/,
  },
  {
    name: "malformed YAML schema",
    inputs: { schema: "schema.yaml" },
    setup: write("schema.yaml", "name: random\nresources: [\n"),
    input: "schema",
    file: "schema.yaml",
    message: /not valid YAML/,
  },
  {
    name: "a Git LFS pointer",
    setup: write(
      "schema.json",
      "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 40000000\n",
    ),
    input: "schema",
    file: "schema.json",
    message: /lfs: true/,
  },
  {
    name: "a schema with a .txt extension",
    inputs: { schema: "schema.txt" },
    setup: write("schema.txt", "{}"),
    input: "schema",
    message: /extension "\.txt"/,
  },
  {
    name: "a name that differs from the schema",
    inputs: { name: "not-random" },
    input: "name",
    message: /"not-random".*"random"/,
  },
  {
    name: "a missing readme",
    inputs: { readme: "docs/missing.md" },
    input: "readme",
    message: /does not exist/,
  },
  {
    name: "a directory as readme",
    inputs: { readme: "docs" },
    setup: (dir) => mkdirSync(path.join(dir, "docs")),
    input: "readme",
    message: /is a directory/,
  },
  {
    name: "no index page at all",
    inputs: { readme: "" },
    setup: (dir) => rmSync(path.join(dir, "_index.md")),
    input: "readme",
    message: /No index page was found/,
  },
  {
    name: "a missing installation page",
    inputs: { "installation-configuration": "install.md" },
    input: "installation-configuration",
    message: /does not exist/,
  },
  {
    name: "a package name with a slash",
    setup: write("schema.json", '{"name": "acme/random"}'),
    input: "schema",
    file: "schema.json",
    message: /not a valid package name/,
  },
  {
    name: "a numeric schema version",
    inputs: { version: "" },
    setup: write("schema.json", '{"name": "random", "version": 4}'),
    input: "schema",
    file: "schema.json",
    message: /which is not a string/,
  },
  {
    name: "a YAML schema whose aliases explode",
    inputs: { schema: "schema.yaml" },
    setup: write(
      "schema.yaml",
      "name: random\n" +
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n" +
        ["b", "c", "d", "e", "f"]
          .map(
            (k, i) =>
              `${k}: &${k} [${Array(10).fill(`*${"abcde"[i]}`).join(", ")}]\n`,
          )
          .join(""),
    ),
    input: "schema",
    file: "schema.yaml",
    message: /cannot be converted to JSON/,
  },
  // Other inputs.
  {
    // With a token, the publisher defaults to the token's organization.
    name: "no publisher and no token",
    inputs: { publisher: "" },
    env: { PULUMI_ACCESS_TOKEN: "" },
    input: "publisher",
    message: /"publisher" is required/,
  },
  {
    name: "an unknown source",
    inputs: { source: "github" },
    input: "source",
    message: /not a registry source/,
  },
  {
    name: "an unknown kind",
    inputs: { kind: "plugin" },
    input: "kind",
    message: /"plugin"/,
  },
  {
    name: "an unknown command",
    inputs: { command: "deploy" },
    input: "command",
    message: /"deploy"/,
  },
  {
    name: "a bad if-exists",
    inputs: { "if-exists": "overwrite" },
    input: "if-exists",
    message: /"overwrite"/,
  },
  {
    name: "a published-at that is no timestamp",
    inputs: { "published-at": "last tuesday" },
    input: "published-at",
    message: /not an RFC 3339/,
  },
  {
    name: "a published-at in the future",
    inputs: { "published-at": "2999-01-01T00:00:00Z" },
    input: "published-at",
    message: /in the future/,
  },
  {
    name: "zero max-attempts",
    inputs: { "max-attempts": "0" },
    input: "max-attempts",
    message: /whole number 1 to 20/,
  },
  {
    name: "max-attempts that is text",
    inputs: { "max-attempts": "many" },
    input: "max-attempts",
    message: /"many"/,
  },
  {
    name: "a negative request-timeout",
    inputs: { "request-timeout": "-5" },
    input: "request-timeout",
    message: /"-5"/,
  },
  {
    name: "a plain-http cloud URL",
    inputs: { "cloud-url": "http://api.example.com" },
    input: "cloud-url",
    message: /plain http/,
  },
  {
    name: "a cloud URL that is no URL",
    inputs: { "cloud-url": "api.pulumi.com" },
    input: "cloud-url",
    message: /not a URL/,
  },
  {
    name: "a missing working directory",
    inputs: { "working-directory": "nowhere" },
    input: "working-directory",
    message: /not a directory/,
  },
  {
    name: "a bad dry-run",
    inputs: { "dry-run": "perhaps" },
    input: "dry-run",
    message: /not a boolean/,
  },
  {
    name: "a bad summary",
    inputs: { summary: "sometimes" },
    input: "summary",
    message: /not a boolean/,
  },
  {
    name: "unknown api-routes",
    inputs: { "api-routes": "v2" },
    input: "api-routes",
    message: /"v2"/,
  },
  // Templates.
  {
    name: "a template on a public source",
    kind: "template",
    inputs: { source: "pulumi" },
    input: "source",
    message: /only be published to the "private" source/,
  },
  {
    name: "a template without Pulumi.yaml",
    kind: "template",
    setup: (dir) => rmSync(path.join(dir, "Pulumi.yaml")),
    input: "template-directory",
    message: /Pulumi\.yaml/,
  },
  {
    name: "a template with Pulumi.yml",
    kind: "template",
    setup: (dir) => {
      copyFileSync(path.join(dir, "Pulumi.yaml"), path.join(dir, "Pulumi.yml"));
      rmSync(path.join(dir, "Pulumi.yaml"));
    },
    input: "template-directory",
    message: /Pulumi\.yml/,
  },
  {
    name: "a template without template section",
    kind: "template",
    setup: write("Pulumi.yaml", "name: x\nruntime: yaml\n"),
    input: "template-directory",
    file: "Pulumi.yaml",
    message: /template/,
  },
  {
    name: "a template with invalid YAML",
    kind: "template",
    setup: write(
      "Pulumi.yaml",
      "name: x\nruntime: yaml\ntemplate:\n  description: [unclosed\n",
    ),
    input: "template-directory",
    file: "Pulumi.yaml",
    message: /YAML/,
  },
  {
    name: "a template with a bad name",
    kind: "template",
    inputs: { name: "my template" },
    input: "name",
    message: /"my template"/,
  },
  {
    name: "a missing template directory",
    kind: "template",
    inputs: { "template-directory": "absent" },
    input: "template-directory",
    message: /absent/,
  },
  {
    name: "a symlink out of the template",
    kind: "template",
    setup: (dir) => {
      writeFileSync(path.join(path.dirname(dir), "secret.txt"), "s3cr3t");
      symlinkSync("../secret.txt", path.join(dir, "leak.txt"));
    },
    input: "template-directory",
    message: /leak\.txt/,
  },
];

/** A fresh workspace holding a copy of the random package or aws-yaml template. */
function workspaceFor(kind: "package" | "template"): string {
  const root = mkdtempSync(path.join(tmpdir(), "bad-input-"));
  const dir = path.join(root, "ws");
  mkdirSync(dir);
  const from =
    kind === "package"
      ? path.join(REAL_PACKAGES, "random")
      : path.join(REAL_TEMPLATES, "aws-yaml");
  for (const file of kind === "package"
    ? ["schema.json", "_index.md", "installation-configuration.md"]
    : ["Pulumi.yaml", "README.md"]) {
    copyFileSync(path.join(from, file), path.join(dir, file));
  }
  return dir;
}

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(async () => {
  await registry?.close();
});

describe("the bad-input catalogue", () => {
  it("has at least 40 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)("$name", async (bad) => {
    const kind = bad.kind ?? "package";
    const dir = workspaceFor(kind);
    bad.setup?.(dir);
    const base: Record<string, string> =
      kind === "package"
        ? { schema: "schema.json", version: "1.0.0" }
        : { kind: "template", version: "1.0.0" };
    const token = registry.tokens[0];
    const before = registry.requests.length;
    const run = await runAction({
      workspace: dir,
      inputs: {
        publisher: "acme",
        "cloud-url": registry.apiUrl,
        ...base,
        ...bad.inputs,
      },
      env: { PULUMI_ACCESS_TOKEN: token, ...bad.env },
    });

    expect(run.code).toBe(1);
    const annotations = run.stdout
      .split("\n")
      .filter((line) => line.startsWith("::error"));
    expect(annotations, run.stdout).toHaveLength(1);
    const [annotation] = annotations;
    expect(annotation).toMatch(bad.message);
    if (bad.input) expect(annotation).toContain(`title=Input "${bad.input}"`);
    if (bad.file) expect(annotation).toContain(`file=${bad.file}`);
    const writes = registry.requests.slice(before).filter((r) => r.write);
    expect(writes).toEqual([]);
    expectNoLeak(run, [token]);
  });
});
