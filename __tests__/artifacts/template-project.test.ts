import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import {
  checkTemplateName,
  readTemplateProject,
} from "../../src/artifacts/template-project.js";

const REAL_TEMPLATES = "/work/shared/fixtures/real/templates";

let tmp: string;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "template-project-"));
});

afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function writeProject(text: string, name = "Pulumi.yaml") {
  await fs.writeFile(path.join(tmp, name), text);
  return path.join(tmp, name);
}

async function readError(dir = tmp): Promise<InputError> {
  const error = await readTemplateProject(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  const input = error as InputError;
  expect(input.location.input).toBe("template-directory");
  return input;
}

describe("readTemplateProject", () => {
  it("reads name, runtime, description and display name", async () => {
    const file = await writeProject(
      [
        "name: my-template",
        "runtime:",
        "  name: nodejs",
        "  options: { typescript: true }",
        "description: A thing",
        "template:",
        "  displayName: My Template",
        "",
      ].join("\n"),
    );

    expect(await readTemplateProject(tmp)).toEqual({
      file,
      name: "my-template",
      runtime: "nodejs",
      description: "A thing",
      displayName: "My Template",
    });
  });

  it("leaves out a placeholder name", async () => {
    await writeProject("name: ${PROJECT}\nruntime: go\ntemplate: {}");
    const project = await readTemplateProject(tmp);

    expect(project.name).toBeUndefined();
    expect(project.runtime).toBe("go");
    expect(project.displayName).toBeUndefined();
  });

  it.each([
    "aws-typescript",
    "aws-yaml",
    "github-yaml",
    "kubernetes-yaml",
    "random-yaml",
    "static-website-aws-yaml",
  ])("accepts the real template %s", async (name) => {
    const dir = path.join(tmp, name);
    await fs.cp(path.join(REAL_TEMPLATES, name), dir, { recursive: true });
    const project = await readTemplateProject(dir);

    expect(project.name).toBeUndefined();
    expect(project.description).toBe("${DESCRIPTION}");
    expect(project.runtime).toBe(name === "aws-typescript" ? "nodejs" : "yaml");
  });
});

describe("readTemplateProject: a bad Pulumi.yaml", () => {
  it("fails on a missing folder", async () => {
    const error = await readError(path.join(tmp, "nope"));
    expect(error.message).toMatch(
      /"\S+nope" does not exist\. Set "template-directory"/,
    );
  });

  it("fails on a missing file", async () => {
    const error = await readError();
    expect(error.message).toMatch(/has no Pulumi\.yaml at its root/);
    expect(error.message).toMatch(/Set "template-directory"/);
    expect(error.location.file).toBe(path.join(tmp, "Pulumi.yaml"));
  });

  it("suggests renaming Pulumi.yml", async () => {
    await writeProject("name: x\n", "Pulumi.yml");
    const error = await readError();
    expect(error.message).toMatch(
      /has "Pulumi\.yml" instead.*Rename "Pulumi\.yml" to Pulumi\.yaml/,
    );
  });

  it("points at a nested Pulumi.yaml", async () => {
    await fs.mkdir(path.join(tmp, "templates", "foo"), { recursive: true });
    await writeProject("name: x\n", "templates/foo/Pulumi.yaml");
    const error = await readError();
    expect(error.message).toContain(
      `There is one in "${path.join(tmp, "templates", "foo")}". Set "template-directory" to that folder`,
    );
  });

  it("fails on invalid YAML with the line and column", async () => {
    const file = await writeProject(
      "name: x\nruntime: yaml\ntemplate:\n  description: [unclosed\n",
    );
    const error = await readError();
    expect(error.message).toMatch(
      /is not valid YAML: .*\(line \d+, column \d+\)\. Fix the YAML/,
    );
    expect(error.message).not.toMatch(/ at line /);
    expect(error.location).toMatchObject({ file, line: 5 });
    expect(error.location.column).toEqual(expect.any(Number));
  });

  it("fails on a duplicate key at its line", async () => {
    await writeProject("name: x\nruntime: yaml\nname: y\ntemplate: {}\n");
    const error = await readError();
    expect(error.message).toMatch(/not valid YAML/);
    expect(error.location.line).toBe(3);
  });

  it.each([
    ["a list", "- name: x\n", /but it is a list/],
    ["a scalar", "just text\n", /but it is the single value "just text"/],
    ["empty", "", /but it is empty/],
  ])("fails when it is %s", async (_kind, text, pattern) => {
    const file = await writeProject(text);
    const error = await readError();
    expect(error.message).toMatch(pattern);
    expect(error.message).toMatch(/must be a YAML map.*for example/);
    expect(error.location.file).toBe(file);
  });

  it("fails without a name", async () => {
    const file = await writeProject("runtime: yaml\ntemplate: {}\n");
    const error = await readError();
    expect(error.message).toBe(
      `${file} has no "name". Add it as text, for example "name: \${PROJECT}".`,
    );
    expect(error.location.line).toBe(1);
  });

  it("fails on a name that is not text", async () => {
    await writeProject("runtime: yaml\ntemplate: {}\nname:\n  - a\n");
    const error = await readError();
    expect(error.message).toMatch(/has an empty or non-text "name"/);
    expect(error.location.line).toBe(4);
  });

  it("fails without a runtime", async () => {
    await writeProject("name: x\ntemplate: {}\n");
    const error = await readError();
    expect(error.message).toMatch(
      /has no "runtime"\. Add it as text, for example "runtime: nodejs"/,
    );
  });

  it("fails on a runtime map without a name", async () => {
    await writeProject("name: x\nruntime:\n  options: {}\ntemplate: {}\n");
    const error = await readError();
    expect(error.message).toMatch(/has no "runtime\.name"/);
    expect(error.location.line).toBe(3);
  });

  it("fails without a template section", async () => {
    const file = await writeProject("name: x\nruntime: yaml\n");
    const error = await readError();
    expect(error.message).toMatch(
      /has no "template" section, so it is a project, not a template\. Add a "template:" key whose value is a map/,
    );
    expect(error.location.file).toBe(file);
  });

  it("fails when template is not a map", async () => {
    await writeProject("name: x\nruntime: yaml\ntemplate: yes please\n");
    const error = await readError();
    expect(error.message).toMatch(/has a non-map "template" section/);
    expect(error.location).toMatchObject({ line: 3, column: 11 });
  });

  it("fails on a description that is not text", async () => {
    await writeProject(
      "name: x\nruntime: yaml\ndescription: [a]\ntemplate: {}\n",
    );
    const error = await readError();
    expect(error.message).toMatch(/"description" that is not text/);
    expect(error.location.line).toBe(3);
  });
});

describe("checkTemplateName", () => {
  it.each(["a", "my-template", "My_Template.v2", "x".repeat(100), "1"])(
    "accepts %s",
    (name) => {
      expect(() => checkTemplateName(name)).not.toThrow();
    },
  );

  it.each([
    "",
    "has space",
    "a/b",
    "ünï",
    "x".repeat(101),
    ".",
    "..",
    "${PROJECT}",
  ])("rejects %j", (name) => {
    let error: unknown;
    try {
      checkTemplateName(name);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location).toEqual({ input: "name" });
    expect((error as InputError).message).toContain(`"${name}"`);
    expect((error as InputError).message).toMatch(/Set the "name" input/);
  });
});
