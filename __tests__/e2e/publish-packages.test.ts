/**
 * The bundled action, run as the runner runs it, publishing every real
 * package fixture to the local registry on Node 20 and Node 24.
 */
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
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
import { NODES } from "../helpers/nodes.js";
import { REAL_PACKAGES } from "../helpers/paths.js";

interface Case {
  fixture: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
}

/** A copy of the parameterized schema with the README it lacks. */
function parameterizedFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "random-parameterized-"));
  copyFileSync(
    path.join(REAL_PACKAGES, "random-parameterized", "schema.json"),
    path.join(dir, "schema.json"),
  );
  writeFileSync(path.join(dir, "README.md"), "# random (parameterized)\n");
  return dir;
}

const docs = {
  readme: "_index.md",
  "installation-configuration": "installation-configuration.md",
};
const CASES: Case[] = [
  {
    fixture: "random",
    inputs: { schema: "schema.json", ...docs },
    env: { GITHUB_REF: "refs/tags/v4.21.1" },
  },
  {
    fixture: "github",
    inputs: { schema: "schema.json", ...docs, version: "6.15.0" },
  },
  {
    fixture: "awsx",
    inputs: { schema: "schema.json", ...docs, "tag-prefix": "awsx/" },
    env: { GITHUB_REF: "refs/tags/awsx/v3.8.1" },
  },
  {
    fixture: "terraform-provider",
    inputs: { schema: "schema.json", ...docs, version: "v1.3.0" },
  },
  {
    fixture: "aws-apigateway",
    inputs: { schema: "schema.json", ...docs, version: "3.0.0" },
  },
  {
    fixture: "aws-apigateway",
    inputs: { schema: "schema.yaml", ...docs, version: "3.0.1" },
  },
  {
    fixture: "random-parameterized",
    inputs: { schema: "schema.json", source: "opentofu", version: "3.6.2" },
  },
];

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(async () => {
  await registry?.close();
});

describe.each(NODES)("the bundle on %s", (label, node) => {
  it.each(CASES)(
    "publishes $fixture ($inputs.schema)",
    async ({ fixture, inputs, env }) => {
      const folder =
        fixture === "random-parameterized"
          ? parameterizedFolder()
          : path.join(REAL_PACKAGES, fixture);
      const publisher = `org-${label.replace(" ", "-")}`;
      const run = await runAction({
        node,
        workspace: folder,
        inputs: { ...inputs, publisher, "cloud-url": registry.apiUrl },
        env: { PULUMI_ACCESS_TOKEN: registry.tokens[0], ...env },
      });
      expectNoLeak(run, [registry.tokens[0]]);
      expect(run.stderr).toBe("");
      expect(run.code, run.stdout).toBe(0);
      const { outputs } = run;
      expect(outputs.status).toBe("published");
      expect(outputs.published).toBe("true");

      const source = inputs.source ?? "private";
      const name = outputs.name;
      const stored = (artifact: string) =>
        registry.storedArtifact(
          "package",
          source,
          publisher,
          name,
          outputs.version,
          artifact,
        );
      const schemaFile = path.join(folder, inputs.schema);
      if (inputs.schema.endsWith(".json")) {
        expect(stored("schema")?.equals(readFileSync(schemaFile))).toBe(true);
      } else {
        const fromYaml = JSON.parse(stored("schema")!.toString("utf8"));
        const generated = JSON.parse(
          readFileSync(path.join(folder, "schema.json"), "utf8"),
        );
        expect(fromYaml.name).toBe(generated.name);
        expect(Object.keys(fromYaml.resources)).toEqual(
          Object.keys(generated.resources),
        );
      }
      const readme = inputs.readme ?? "README.md";
      expect(
        stored("index")?.equals(readFileSync(path.join(folder, readme))),
      ).toBe(true);
      if (inputs["installation-configuration"]) {
        const file = path.join(folder, inputs["installation-configuration"]);
        expect(
          stored("installationConfiguration")?.equals(readFileSync(file)),
        ).toBe(true);
      }
      expect(outputs.url).toBe(
        `registry://packages/${source}/${publisher}/${name}@${outputs.version}`,
      );
      expect(outputs["published-at"]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(outputs["operation-id"]).not.toBe("");
      const artifacts = JSON.parse(outputs.artifacts);
      expect(artifacts.map((a: { name: string }) => a.name)).toEqual(
        inputs["installation-configuration"]
          ? ["schema", "index", "installationConfiguration"]
          : ["schema", "index"],
      );
      expect(run.summary).toContain(`${name}@${outputs.version}`);
    },
  );
});
