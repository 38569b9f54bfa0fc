/** action.yml is the contract with users: it must match what the code reads and writes. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ACTION_VERSION } from "../src/action-version.js";
import { COMMANDS, INPUT } from "../src/inputs.js";
import { OUTPUT } from "../src/report.js";
import { ROOT } from "./helpers/paths.js";

interface ActionFile {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const action = parse(
  readFileSync(path.join(ROOT, "action.yml"), "utf8"),
) as ActionFile;

describe("action.yml", () => {
  it("declares exactly the inputs the code reads", () => {
    expect(Object.keys(action.inputs).sort()).toEqual(
      Object.values(INPUT).sort(),
    );
  });

  it("declares exactly the outputs the code writes", () => {
    expect(Object.keys(action.outputs).sort()).toEqual(
      Object.values(OUTPUT).sort(),
    );
  });

  it("gives every boolean input a default", () => {
    const booleans = Object.entries(action.inputs).filter(([, input]) =>
      /^"?(true|false)"?$/.test(String(input.default)),
    );
    expect(booleans.map(([name]) => name).sort()).toEqual(
      ["dry-run", "export-token", "force", "summary"].sort(),
    );
  });

  it("documents every command", () => {
    for (const command of COMMANDS) {
      expect(action.inputs[INPUT.command].description).toContain(command);
    }
  });

  it("runs the bundle on the runner's current Node", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
  });
});

describe("the action's version", () => {
  it("in the User-Agent equals package.json's", () => {
    const pkg = JSON.parse(
      readFileSync(path.join(ROOT, "package.json"), "utf8"),
    ) as { version: string };
    expect(ACTION_VERSION).toBe(pkg.version);
  });
});
