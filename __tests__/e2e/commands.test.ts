/**
 * unpublish, show, list, plan-backfill and `published-at: tag-date`, run as
 * the runner runs the bundle, against the local registry (two-entry pages).
 */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, type ActionRun } from "../../scripts/run-action.mjs";
import {
  startLocalRegistry,
  type LocalRegistry,
} from "../../src/local-registry/index.js";
import { createTaggedRepo, gitIso, type TagSpec } from "../helpers/git-repo.js";
import { expectNoLeak } from "../helpers/leaks.js";
import { NODES } from "../helpers/nodes.js";
import { ROOT } from "../helpers/paths.js";

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry({ pageSize: 2 });
});
afterAll(async () => {
  await registry?.close();
});

const [[, NODE]] = NODES;

/** A folder with a minimal package: schema and README. */
function packageFolder(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pkg-${name}-`));
  writeFileSync(path.join(dir, "schema.json"), JSON.stringify({ name }));
  writeFileSync(path.join(dir, "README.md"), `# ${name}\n`);
  return dir;
}

function templateFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "tpl-"));
  cpSync(path.join(ROOT, "examples/template"), dir, { recursive: true });
  return dir;
}

async function act(
  inputs: Record<string, string>,
  options: {
    workspace?: string;
    node?: string;
    env?: Record<string, string>;
  } = {},
): Promise<ActionRun> {
  return runAction({
    node: options.node ?? NODE,
    workspace: options.workspace,
    inputs: { "cloud-url": registry.apiUrl, ...inputs },
    env: { PULUMI_ACCESS_TOKEN: registry.tokens[0], ...options.env },
  });
}

async function publish(
  folder: string,
  inputs: Record<string, string>,
  env?: Record<string, string>,
) {
  const run = await act(inputs, { workspace: folder, env });
  expect(run.code, run.stdout).toBe(0);
  expect(run.outputs.status).toBe("published");
  return run;
}

function failureOf(run: ActionRun): string {
  expect(run.code).toBe(1);
  return run.stdout
    .split("\n")
    .filter((line) => line.startsWith("::error"))
    .join("\n");
}

describe("unpublish", () => {
  it("deletes a package version and confirms with a read", async () => {
    const folder = packageFolder("gone");
    for (const version of ["1.0.0", "1.1.0"]) {
      await publish(folder, {
        publisher: "unpub",
        schema: "schema.json",
        version,
      });
    }
    const from = registry.requests.length;
    const run = await act(
      {
        command: "unpublish",
        publisher: "unpub",
        schema: "schema.json",
        version: "1.0.0",
      },
      { workspace: folder },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      status: "unpublished",
      published: "false",
      version: "1.0.0",
      name: "gone",
      url: "registry://packages/private/unpub/gone@1.0.0",
    });
    const calls = registry.requests
      .slice(from)
      .map((r) => `${r.method} ${r.status}`);
    expect(calls).toContain("DELETE 204");
    expect(calls.indexOf("GET 404")).toBeGreaterThan(
      calls.indexOf("DELETE 204"),
    );
    expect(run.summary).toContain(
      "Unpublished package private/unpub/gone@1.0.0.",
    );

    const again = await act({
      command: "unpublish",
      publisher: "unpub",
      name: "gone",
      version: "1.0.0",
    });
    expect(again.code, again.stdout).toBe(0);
    expect(again.outputs.status).toBe("absent");
    expect(again.stdout).toMatch(
      /::warning::package private\/unpub\/gone@1.0.0 is not in the registry/,
    );
  });

  it("says what a dry run would delete, and deletes nothing", async () => {
    const folder = packageFolder("kept");
    await publish(folder, {
      publisher: "unpub",
      schema: "schema.json",
      version: "2.0.0",
    });
    const run = await act({
      command: "unpublish",
      publisher: "unpub",
      name: "kept",
      version: "2.0.0",
      "dry-run": "true",
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("dry-run");
    expect(run.stdout).toMatch(
      /Dry run: package private\/unpub\/kept@2.0.0 \(published .*\) would be deleted\./,
    );
    const show = await act({
      command: "show",
      publisher: "unpub",
      name: "kept",
      version: "2.0.0",
    });
    expect(show.outputs.status).toBe("shown");
  });

  it("needs force for a template's last version, and says so", async () => {
    const folder = templateFolder();
    for (const version of ["1.0.0", "1.1.0"]) {
      await publish(folder, {
        kind: "template",
        publisher: "unpub",
        name: "site",
        version,
      });
    }
    const base = {
      command: "unpublish",
      kind: "template",
      publisher: "unpub",
      name: "site",
    };
    const notLast = await act({ ...base, version: "1.1.0" });
    expect(notLast.code, notLast.stdout).toBe(0);
    expect(notLast.outputs.status).toBe("unpublished");

    const last = await act({ ...base, version: "1.0.0" });
    expect(failureOf(last)).toMatch(
      /title=Input "force"::The registry refused to delete template private\/unpub\/site@1.0.0 \(HTTP 400: .*\)\. A template's last version can only be deleted with "force: true"/,
    );
    const forced = await act({ ...base, version: "1.0.0", force: "true" });
    expect(forced.code, forced.stdout).toBe(0);
    expect(forced.outputs.status).toBe("unpublished");
  });

  it("refuses latest as the version to delete, before any request", async () => {
    const from = registry.requests.length;
    const run = await act({
      command: "unpublish",
      publisher: "unpub",
      name: "x",
      version: "latest",
    });
    expect(failureOf(run)).toContain('only "command: show" accepts');
    expect(registry.requests.length).toBe(from);
  });

  it("never takes the version to delete from the tag", async () => {
    const folder = packageFolder("tagged");
    await publish(folder, {
      publisher: "unpub",
      schema: "schema.json",
      version: "3.0.0",
    });
    const from = registry.requests.length;
    const run = await act(
      { command: "unpublish", publisher: "unpub", name: "tagged" },
      { env: { GITHUB_REF: "refs/tags/v3.0.0" } },
    );
    const failure = failureOf(run);
    expect(failure).toContain(
      'title=Input "version"::Input "version" is required by "command: ' +
        'unpublish", which needs the exact version to delete.',
    );
    expect(failure).not.toContain("No version to publish");
    expect(registry.requests.length).toBe(from);
  });
});

describe("show", () => {
  beforeAll(async () => {
    const folder = packageFolder("shown");
    for (const version of ["1.0.0", "2.0.0", "1.5.0"]) {
      await publish(folder, {
        publisher: "show",
        schema: "schema.json",
        version,
      });
    }
  });
  const base = { command: "show", publisher: "show", name: "shown" };

  it("writes one version's metadata to the outputs and the summary", async () => {
    const run = await act({ ...base, version: "1.5.0" });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ status: "shown", version: "1.5.0" });
    const metadata = JSON.parse(run.outputs.metadata);
    expect(metadata).toMatchObject({
      name: "shown",
      publisher: "show",
      version: "1.5.0",
    });
    expect(run.outputs["published-at"]).toBe(metadata.createdAt);
    expect(run.summary).toContain("<td>packageStatus</td><td>ga</td>");
    // Pre-signed URLs keep origin and path; their signature is cut off.
    expect(metadata.schemaURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S+$/);
    expect(run.summary).toContain(`<td>${metadata.schemaURL}</td>`);
    expectNoLeak(run, [registry.tokens[0]]);
  });

  it("resolves latest to the highest version", async () => {
    const run = await act({ ...base, version: "latest" });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.version).toBe("2.0.0");
    expect(run.stdout).toContain(
      "The latest version of package private/show/shown@2.0.0 is 2.0.0.",
    );
  });

  it("fails clearly on a missing version", async () => {
    const run = await act({ ...base, version: "9.9.9" });
    expect(failureOf(run)).toContain(
      'package private/show/shown@9.9.9 is not in the registry. Check "name", "publisher", "source" and "version", or set "if-missing: ignore"',
    );
  });

  it("passes with status absent under if-missing: ignore", async () => {
    const run = await act({
      ...base,
      version: "9.9.9",
      "if-missing": "ignore",
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      status: "absent",
      version: "",
      metadata: "",
    });
    expect(run.stdout).toContain(
      "::warning::package private/show/shown@9.9.9 is not in the registry.",
    );
  });

  it.runIf(NODES.length > 1)("runs on Node 24 too", async () => {
    const run = await act(
      { ...base, version: "latest" },
      { node: NODES[1]?.[1] },
    );
    expect(run.stderr).toBe("");
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.version).toBe("2.0.0");
  });
});

describe("list", () => {
  beforeAll(async () => {
    await Promise.all(
      ["alpha", "bravo", "charlie", "delta", "echo"].map((name) =>
        publish(packageFolder(name), {
          publisher: "lister",
          schema: "schema.json",
          version: "1.0.0",
        }),
      ),
    );
  });

  it("follows continuationToken across pages to the end", async () => {
    const run = await act({ command: "list", publisher: "lister" });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("listed");
    const names = JSON.parse(run.outputs.metadata).map(
      (p: { name: string }) => p.name,
    );
    expect(names).toEqual(["alpha", "bravo", "charlie", "delta", "echo"]);
    expect(run.stdout).toContain("::debug::Page 3: 1 entry.");
    expect(run.stdout).not.toContain("Page 4");
    expect(run.summary).toContain("<td>charlie</td><td>lister</td>");
    expectNoLeak(run, [registry.tokens[0]]);
  });

  it("filters by no publisher when none is given", async () => {
    await publish(packageFolder("alpha"), {
      publisher: "other-lister",
      schema: "schema.json",
      version: "1.0.0",
    });
    const run = await act({ command: "list", name: "alpha" });
    expect(run.code, run.stdout).toBe(0);
    const publishers = JSON.parse(run.outputs.metadata).map(
      (p: { publisher: string }) => p.publisher,
    );
    expect(publishers.sort()).toEqual(["lister", "other-lister"]);
    expect(run.stdout).not.toContain("the token's default organization");
    expectNoLeak(run, [registry.tokens[0]]);
  });

  it("stops at limit", async () => {
    const run = await act({ command: "list", publisher: "lister", limit: "3" });
    expect(run.code, run.stdout).toBe(0);
    expect(JSON.parse(run.outputs.metadata)).toHaveLength(3);
  });

  it("refuses a filter the endpoint lacks", async () => {
    const run = await act({ command: "list", search: "x" });
    expect(failureOf(run)).toContain(
      'Input "search" is set, but the registry cannot filter packages by it.',
    );
  });
});

describe("plan-backfill and published-at: tag-date", () => {
  // Twelve release tags of the acme package, mixing annotated and
  // lightweight tags with and without "v"; v1.1.1 is a backport tagged
  // after v1.2.0. Other tags (unprefixed, other packages, not versions)
  // must be ignored.
  const RELEASES: TagSpec[] = [
    { name: "acme/v0.1.0", annotated: true, date: "2020-01-10T09:00:00Z" },
    { name: "acme/v0.2.0", annotated: false, date: "2020-02-10T09:00:00Z" },
    { name: "acme/0.3.0", annotated: true, date: "2020-03-10T09:00:00Z" },
    {
      name: "acme/v1.0.0-rc.1",
      annotated: false,
      date: "2020-04-10T09:00:00Z",
    },
    { name: "acme/v1.0.0", annotated: true, date: "2020-05-10T09:00:00Z" },
    { name: "acme/v1.1.0", annotated: false, date: "2020-06-10T09:00:00Z" },
    { name: "acme/v1.2.0", annotated: true, date: "2020-07-10T09:00:00Z" },
    { name: "acme/v1.1.1", annotated: false, date: "2020-08-10T09:00:00Z" },
    {
      name: "acme/v2.0.0-beta.1",
      annotated: true,
      date: "2020-09-10T09:00:00Z",
    },
    { name: "acme/v2.0.0", annotated: false, date: "2020-10-10T09:00:00Z" },
    { name: "acme/v2.0.1", annotated: true, date: "2020-11-10T09:00:00Z" },
    { name: "acme/v2.1.0", annotated: false, date: "2020-12-10T09:00:00Z" },
  ];
  const NOISE: TagSpec[] = [
    { name: "v9.0.0", annotated: true, date: "2019-06-01T00:00:00Z" },
    { name: "other/v1.0.0", annotated: false, date: "2019-06-02T00:00:00Z" },
    { name: "acme/v3.0", annotated: false, date: "2019-06-03T00:00:00Z" },
    { name: "acme/nightly", annotated: true, date: "2019-06-04T00:00:00Z" },
  ];
  let repo: string;
  const inputs = {
    publisher: "backfill",
    schema: "schema.json",
    "tag-prefix": "acme/",
  };

  beforeAll(async () => {
    repo = createTaggedRepo([...NOISE, ...RELEASES], {
      "schema.json": JSON.stringify({ name: "acme" }),
      "README.md": "# acme\n",
    });
    // Four are published already: two with tag-date (through the version
    // input, and through the tag that triggered the run), two plainly.
    await publish(repo, {
      ...inputs,
      version: "1.0.0",
      "published-at": "tag-date",
    });
    await publish(
      repo,
      { ...inputs, "published-at": "tag-date" },
      { GITHUB_REF: "refs/tags/acme/v1.1.1" },
    );
    await publish(repo, { ...inputs, version: "0.2.0" });
    await publish(repo, { ...inputs, version: "2.0.1" });
  });

  it("records the tagger date of an annotated tag as published-at", async () => {
    const run = await act({
      command: "show",
      publisher: "backfill",
      name: "acme",
      version: "1.0.0",
    });
    expect(run.outputs["published-at"]).toBe(gitIso("2020-05-10T09:00:00Z"));
  });

  it("records the commit date of a lightweight tag as published-at", async () => {
    const run = await act({
      command: "show",
      publisher: "backfill",
      name: "acme",
      version: "1.1.1",
    });
    expect(run.outputs["published-at"]).toBe(gitIso("2020-08-10T09:00:00Z"));
  });

  it("plans the eight missing versions, oldest first, with their tag dates", async () => {
    const run = await act(
      { command: "plan-backfill", ...inputs },
      { workspace: repo },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("planned");
    const published = new Set(["0.2.0", "1.0.0", "1.1.1", "2.0.1"]);
    const expected = RELEASES.map((tag) => ({
      tag: tag.name,
      version: tag.name.replace(/^acme\/v?/, ""),
      "published-at": gitIso(tag.date),
    })).filter((entry) => !published.has(entry.version));
    expect(JSON.parse(run.outputs.matrix)).toEqual(expected);
    expect(expected).toHaveLength(8);
    expect(run.stdout).toContain(
      "12 version tags: 4 already published, 8 to publish.",
    );
    expect(run.summary).toContain("<td>acme/v1.1.1</td><td>1.1.1</td>");
  });

  it("honours since and limit", async () => {
    const run = await act(
      { command: "plan-backfill", ...inputs, since: "1.0.0", limit: "2" },
      { workspace: repo },
    );
    expect(run.code, run.stdout).toBe(0);
    const tags = JSON.parse(run.outputs.matrix).map(
      (e: { tag: string }) => e.tag,
    );
    expect(tags).toEqual(["acme/v1.1.0", "acme/v1.2.0"]);
  });

  it("suggests fetch-depth: 0 in a shallow clone without the tags", async () => {
    const { execFileSync } = await import("node:child_process");
    const shallow = path.join(
      mkdtempSync(path.join(tmpdir(), "shallow-")),
      "c",
    );
    execFileSync("git", [
      "clone",
      "-q",
      "--depth",
      "1",
      "--no-tags",
      `file://${repo}`,
      shallow,
    ]);
    const plan = await act(
      { command: "plan-backfill", ...inputs },
      { workspace: shallow },
    );
    expect(failureOf(plan)).toContain(
      'Set "fetch-depth: 0" on actions/checkout',
    );
    const tagDate = await act(
      { ...inputs, version: "2.1.0", "published-at": "tag-date" },
      { workspace: shallow },
    );
    expect(failureOf(tagDate)).toContain(
      'Input "published-at" is "tag-date", but the tag "acme/v2.1.0" is not in the clone. The clone is shallow: set "fetch-depth: 0"',
    );
  });
});
