import { describe, expect, it } from "vitest";
import type { TemplateMetadata } from "../../src/registry/types.js";
import {
  call,
  fixture,
  publishTemplate,
  startPublish,
  upload,
  startRegistry,
  TEMPLATE_PROJECT,
  tarGz,
  versionsPath,
} from "./helpers.js";

const PATH = versionsPath("templates", "private", "acme", "starter");
const REF = { publisher: "acme", name: "starter", version: "1.0.0" };

async function messageOf(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}

describe("template publish", () => {
  it("describes a real template from its Pulumi.yaml and README", async () => {
    const registry = await startRegistry();
    const archive = await tarGz({
      "Pulumi.yaml": fixture("templates/aws-yaml/Pulumi.yaml").toString(),
      "README.md": fixture("templates/aws-yaml/README.md").toString(),
    });

    const completed = await publishTemplate(registry, REF, archive);
    expect(completed.status).toBe(201);

    const got = await call(registry, "GET", `${PATH}/latest`);
    const metadata = (await got.json()) as TemplateMetadata;
    expect(metadata).toMatchObject({
      name: "starter",
      publisher: "acme",
      source: "private",
      displayName: "starter",
      description: "A minimal AWS Pulumi YAML program",
      runtime: { name: "yaml" },
      language: "yaml",
      visibility: "private",
      version: "1.0.0",
      url: "registry://templates/private/acme/starter@1.0.0",
      config: {
        "aws:region": {
          description: "The AWS region to deploy into",
          default: "us-east-1",
        },
      },
    });
    const download = await fetch(metadata.downloadURL);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(archive);
    const readme = await fetch(metadata.readmeURL ?? "");
    expect(await readme.text()).toBe(
      fixture("templates/aws-yaml/README.md").toString(),
    );
  });

  it("infers typescript from .ts files in a nodejs template", async () => {
    const registry = await startRegistry();
    const archive = await tarGz({
      "Pulumi.yaml": fixture("templates/aws-typescript/Pulumi.yaml").toString(),
      "index.ts": "export {};\n",
    });

    const completed = await publishTemplate(registry, REF, archive);

    const metadata = (await completed.json()) as TemplateMetadata;
    expect(metadata.language).toBe("typescript");
    expect(metadata.readmeURL).toBeUndefined();
  });

  it("reads a runtime map with options and template metadata", async () => {
    const registry = await startRegistry();
    const project = [
      "name: starter",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    packagemanager: pnpm",
      "template:",
      "  displayName: Starter",
      "  metadata:",
      "    cloud: aws",
      "",
    ].join("\n");
    const archive = await tarGz({ "Pulumi.yaml": project, "index.js": "" });

    const completed = await publishTemplate(registry, REF, archive);

    expect(await completed.json()).toMatchObject({
      displayName: "Starter",
      runtime: { name: "nodejs", options: { packagemanager: "pnpm" } },
      language: "javascript",
      metadata: { cloud: "aws" },
    });
  });

  it("refuses an archive whose Pulumi.yaml is in a subfolder", async () => {
    const registry = await startRegistry();
    const archive = await tarGz({ "starter/Pulumi.yaml": TEMPLATE_PROJECT });

    const answer = await publishTemplate(registry, REF, archive);

    expect(answer.status).toBe(400);
    expect(await messageOf(answer)).toContain("root");
  });

  it("refuses a Pulumi.yaml without a template section", async () => {
    const registry = await startRegistry();
    const archive = await tarGz({
      "Pulumi.yaml": "name: starter\nruntime: yaml\n",
    });

    const answer = await publishTemplate(registry, REF, archive);

    expect(answer.status).toBe(400);
    expect(await messageOf(answer)).toContain("template");
  });

  it("refuses an archive that is not gzip", async () => {
    const registry = await startRegistry();
    const answer = await publishTemplate(
      registry,
      REF,
      Buffer.from("plain text"),
    );
    expect(answer.status).toBe(400);
    expect(await messageOf(answer)).toContain("gzip");
  });

  it("publishes templates only to the private source", async () => {
    const registry = await startRegistry();
    const github = versionsPath("templates", "github", "acme", "starter");
    const unknown = versionsPath("templates", "nowhere", "acme", "starter");
    const body = { version: "1.0.0" };

    expect((await call(registry, "POST", github, { body })).status).toBe(400);
    expect((await call(registry, "POST", unknown, { body })).status).toBe(404);
  });

  it("hides templates from callers without a token", async () => {
    const registry = await startRegistry();
    await publishTemplate(
      registry,
      REF,
      await tarGz({ "Pulumi.yaml": TEMPLATE_PROJECT }),
    );

    const got = await call(registry, "GET", `${PATH}/1.0.0`, { token: "" });
    const list = await call(registry, "GET", "/api/registry/templates", {
      token: "",
    });

    expect(got.status).toBe(404);
    expect(await list.json()).toEqual({ templates: [] });
  });
});

describe("template delete", () => {
  it("deletes the last version only with force=true", async () => {
    const registry = await startRegistry();
    const archive = await tarGz({ "Pulumi.yaml": TEMPLATE_PROJECT });
    await publishTemplate(registry, REF, archive);
    await publishTemplate(registry, { ...REF, version: "1.1.0" }, archive);

    const first = await call(registry, "DELETE", `${PATH}/1.0.0`);
    const last = await call(registry, "DELETE", `${PATH}/1.1.0`);
    const forced = await call(registry, "DELETE", `${PATH}/1.1.0?force=true`);

    expect(first.status).toBe(204);
    expect(last.status).toBe(400);
    expect(await messageOf(last)).toContain("force=true");
    expect(forced.status).toBe(204);
  });

  it("refuses a force value that is not a boolean", async () => {
    const registry = await startRegistry();
    const answer = await call(registry, "DELETE", `${PATH}/1.0.0?force=yes`);
    expect(answer.status).toBe(400);
  });
});

describe("VCS-backed template sources", () => {
  it("refuses a specific version and answers 404 for latest", async () => {
    const registry = await startRegistry();
    const path = versionsPath("templates", "github", "acme", "starter");

    const versioned = await call(registry, "GET", `${path}/1.0.0`);
    const latest = await call(registry, "GET", `${path}/latest`);

    expect(versioned.status).toBe(400);
    expect(latest.status).toBe(404);
  });
});

describe("concurrent completes", () => {
  it("commits one of two parallel completes", async () => {
    const registry = await startRegistry();
    const started = await startPublish(registry, PATH, { version: "1.0.0" });
    await upload(
      started.uploadURLs.archive,
      await tarGz({ "Pulumi.yaml": TEMPLATE_PROJECT }),
    );
    const complete = () =>
      call(registry, "POST", `${PATH}/1.0.0/complete`, {
        body: { operationID: started.operationID },
      });

    const answers = await Promise.all([complete(), complete()]);

    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  });
});
