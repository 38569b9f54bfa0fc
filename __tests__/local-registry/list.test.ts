import { describe, expect, it } from "vitest";
import type {
  ListPackagesResponse,
  ListTemplatesResponse,
} from "../../src/registry/types.js";
import type { LocalRegistry } from "../../src/local-registry/index.js";
import {
  call,
  publishPackage,
  publishTemplate,
  startRegistry,
  tarGz,
} from "./helpers.js";

async function listPackages(
  registry: LocalRegistry,
  query = "",
): Promise<ListPackagesResponse> {
  const answer = await call(registry, "GET", `/api/registry/packages${query}`);
  expect(answer.status).toBe(200);
  return (await answer.json()) as ListPackagesResponse;
}

async function publishNamed(registry: LocalRegistry, names: string[]) {
  for (const name of names) {
    const ref = { source: "pulumi", publisher: "pulumi", name };
    await publishPackage(registry, { ...ref, version: "1.0.0" });
  }
}

describe("list packages", () => {
  it("pages through every package with continuation tokens", async () => {
    const registry = await startRegistry({ pageSize: 2 });
    await publishNamed(registry, ["e", "d", "c", "b", "a"]);

    const seen: string[][] = [];
    let token: string | undefined;
    do {
      const query = token ? `?continuationToken=${token}` : "";
      const page = await listPackages(registry, query);
      seen.push(page.packages.map((entry) => entry.name));
      token = page.continuationToken;
    } while (token);

    expect(seen).toEqual([["a", "b"], ["c", "d"], ["e"]]);
  });

  it("lets a smaller limit win over the page size", async () => {
    const registry = await startRegistry({ pageSize: 2 });
    await publishNamed(registry, ["a", "b", "c"]);

    const page = await listPackages(registry, "?limit=1");
    const capped = await listPackages(registry, "?limit=50");

    expect(page.packages).toHaveLength(1);
    expect(capped.packages).toHaveLength(2);
  });

  it("answers 400 to a bad continuation token", async () => {
    const registry = await startRegistry();
    const answer = await call(
      registry,
      "GET",
      "/api/registry/packages?continuationToken=garbage",
    );
    expect(answer.status).toBe(400);
  });

  it("lists one entry per package, its latest version", async () => {
    const registry = await startRegistry();
    const ref = { source: "pulumi", publisher: "pulumi", name: "random" };
    for (const version of ["1.0.0", "1.2.0", "1.1.0"]) {
      await publishPackage(registry, { ...ref, version });
    }

    const page = await listPackages(registry);

    expect(page.packages.map((entry) => entry.version)).toEqual(["1.2.0"]);
  });

  it("filters by name, publisher and visibility", async () => {
    const registry = await startRegistry();
    const version = "1.0.0";
    await publishPackage(registry, {
      source: "pulumi",
      publisher: "pulumi",
      name: "random",
      version,
    });
    await publishPackage(registry, {
      source: "private",
      publisher: "acme",
      name: "widget",
      version,
    });

    const byName = await listPackages(registry, "?name=widget");
    const byPublisher = await listPackages(registry, "?publisher=pulumi");
    const byOrg = await listPackages(registry, "?orgLogin=acme");
    const privateOnly = await listPackages(registry, "?visibility=private");

    expect(byName.packages.map((p) => p.name)).toEqual(["widget"]);
    expect(byPublisher.packages.map((p) => p.name)).toEqual(["random"]);
    expect(byOrg.packages.map((p) => p.name)).toEqual(["widget"]);
    expect(privateOnly.packages.map((p) => p.name)).toEqual(["widget"]);
  });

  it("sorts by a field in either direction", async () => {
    const registry = await startRegistry();
    await publishNamed(registry, ["b", "a", "c"]);

    const ascending = await listPackages(registry, "?sort=name&asc=true");
    const descending = await listPackages(registry, "?sort=name&asc=false");

    expect(ascending.packages.map((p) => p.name)).toEqual(["a", "b", "c"]);
    expect(descending.packages.map((p) => p.name)).toEqual(["c", "b", "a"]);
  });
});

describe("list templates", () => {
  it("searches with AND over name, description and language", async () => {
    const registry = await startRegistry();
    const project = (description: string) =>
      `name: x\nruntime: python\ntemplate:\n  description: ${description}\n`;
    const publish = async (name: string, description: string) =>
      publishTemplate(
        registry,
        { publisher: "acme", name, version: "1.0.0" },
        await tarGz({ "Pulumi.yaml": project(description) }),
      );
    await publish("web-app", "A serverless web site");
    await publish("queue", "A serverless queue worker");

    const search = async (terms: string) => {
      const query = new URLSearchParams({ search: terms });
      const answer = await call(
        registry,
        "GET",
        `/api/registry/templates?${query}`,
      );
      const body = (await answer.json()) as ListTemplatesResponse;
      return body.templates.map((t) => t.name);
    };

    expect(await search("SERVERLESS")).toEqual(["queue", "web-app"]);
    expect(await search("serverless web")).toEqual(["web-app"]);
    expect(await search("python worker")).toEqual(["queue"]);
    expect(await search("go")).toEqual([]);
  });
});

describe("list refusals", () => {
  it.each(["sort=constructor", "asc=maybe", "visibility=secret", "limit=0"])(
    "answers 400 to %s",
    async (query) => {
      const registry = await startRegistry();
      const answer = await call(
        registry,
        "GET",
        `/api/registry/packages?${query}`,
      );
      expect(answer.status).toBe(400);
    },
  );
});
