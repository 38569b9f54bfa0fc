/**
 * The bundled action publishing every real template to the local registry,
 * then reading each back: the archive holds exactly the expected files with
 * Pulumi.yaml at its root.
 */
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startLocalRegistry,
  type LocalRegistry,
} from "../../src/local-registry/index.js";
import { runAction } from "../../scripts/run-action.mjs";
import { expectNoLeak } from "../helpers/leaks.js";
import { NODES } from "../helpers/nodes.js";
import { REAL_TEMPLATES } from "../helpers/paths.js";

const TEMPLATES = readdirSync(REAL_TEMPLATES).sort();

/** A temporary copy named like the fixture, with a README where it has none. */
function copyTemplate(name: string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "template-")), name);
  mkdirSync(dir);
  cpSync(path.join(REAL_TEMPLATES, name), dir, { recursive: true });
  if (!existsSync(path.join(dir, "README.md"))) {
    writeFileSync(path.join(dir, "README.md"), `# ${name}\n`);
  }
  return dir;
}

async function archiveEntries(archive: Buffer): Promise<string[]> {
  const entries: string[] = [];
  await pipeline(
    Readable.from([archive]),
    tar.t({ onReadEntry: (entry) => entries.push(entry.path) }),
  );
  return entries;
}

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(async () => {
  await registry?.close();
});

describe.each(NODES)("the bundle on %s", (label, node) => {
  const publisher = `templates-${label.replace(" ", "-")}`;

  it.each(TEMPLATES)("publishes the %s template", async (name) => {
    const dir = copyTemplate(name);
    const run = await runAction({
      node,
      workspace: dir,
      inputs: {
        kind: "template",
        publisher,
        "cloud-url": registry.apiUrl,
        version: "1.0.0",
      },
      env: { PULUMI_ACCESS_TOKEN: registry.tokens[0] },
    });
    expectNoLeak(run, [registry.tokens[0]]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      status: "published",
      kind: "template",
      name,
      source: "private",
      url: `registry://templates/private/${publisher}/${name}@1.0.0`,
    });

    const stored = registry.storedArtifact(
      "template",
      "private",
      publisher,
      name,
      "1.0.0",
      "archive",
    );
    expect(stored).toBeDefined();
    const [archive] = JSON.parse(run.outputs.artifacts);
    expect(archive.name).toBe("archive");
    expect(createHash("sha256").update(stored!).digest("hex")).toBe(
      archive.sha256,
    );
    expect(await archiveEntries(stored!)).toEqual(["Pulumi.yaml", "README.md"]);

    const answer = await fetch(
      `${registry.apiUrl}/api/registry/templates/private/${publisher}/${name}/versions/1.0.0`,
      { headers: { Authorization: `token ${registry.tokens[0]}` } },
    );
    expect(answer.status).toBe(200);
    const metadata = (await answer.json()) as {
      name: string;
      runtime: { name: string };
    };
    expect(metadata.name).toBe(name);
    expect(metadata.runtime.name).toBe(
      name === "aws-typescript" ? "nodejs" : "yaml",
    );
  });

  it("writes the same archive for the same folder twice", async () => {
    const digests = [];
    for (const version of ["2.0.0", "2.0.1"]) {
      const run = await runAction({
        node,
        workspace: copyTemplate("aws-yaml"),
        inputs: {
          kind: "template",
          publisher,
          "cloud-url": registry.apiUrl,
          version,
          "dry-run": true,
        },
      });
      expect(run.code, run.stdout).toBe(0);
      digests.push(JSON.parse(run.outputs.artifacts)[0].sha256);
    }
    expect(digests[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(digests[1]).toBe(digests[0]);
  });
});

describe("template dry run", () => {
  it("lists the archive's files in the log and the summary", async () => {
    const dir = copyTemplate("static-website-aws-yaml");
    mkdirSync(path.join(dir, "www"));
    writeFileSync(path.join(dir, "www", "index.html"), "<h1>hi</h1>\n");
    mkdirSync(path.join(dir, "node_modules", "x"), { recursive: true });
    writeFileSync(path.join(dir, "node_modules", "x", "index.js"), "");
    const before = registry.requests.length;
    const run = await runAction({
      workspace: dir,
      inputs: {
        kind: "template",
        publisher: "dry",
        "cloud-url": registry.apiUrl,
        version: "1.0.0",
        "dry-run": true,
      },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("dry-run");
    expect(run.stdout).toContain("existence check was skipped");
    expect(run.stdout).toMatch(/^── Archive contents \(3 files\)$/m);
    // The runner's log cannot nest groups: every group opened is closed.
    const opened = run.stdout.match(/^::group::/gm) ?? [];
    const closed = run.stdout.match(/^::endgroup::/gm) ?? [];
    expect(opened.length).toBe(closed.length);
    expect(run.stdout).not.toMatch(
      /::group::[^\n]*\n(?:(?!::endgroup::)[^\n]*\n)*::group::/,
    );
    expect(run.summary).toContain("www/index.html");
    expect(run.summary).not.toContain("node_modules");
    const during = registry.requests.slice(before);
    expect(during.filter((r) => r.write)).toEqual([]);
  });
});
