import { describe, expect, it } from "vitest";
import type { PackageMetadata } from "../../src/registry/types.js";
import {
  call,
  fixture,
  publishPackage,
  schemaOf,
  startPublish,
  startRegistry,
  upload,
  versionsPath,
} from "./helpers.js";

const RANDOM = {
  source: "pulumi",
  publisher: "pulumi",
  name: "random",
  version: "4.21.1",
};
const PATH = versionsPath("packages", "pulumi", "pulumi", "random");

describe("package publish", () => {
  it("round-trips the real random package byte for byte", async () => {
    const registry = await startRegistry();
    const files = {
      schema: fixture("packages/random/schema.json"),
      index: fixture("packages/random/_index.md"),
      installationConfiguration: fixture(
        "packages/random/installation-configuration.md",
      ),
    };

    const completed = await publishPackage(registry, RANDOM, files);
    expect(completed.status).toBe(201);

    const got = await call(registry, "GET", `${PATH}/4.21.1`, { token: "" });
    expect(got.status).toBe(200);
    const metadata = (await got.json()) as PackageMetadata;
    expect(metadata).toMatchObject({
      name: "random",
      publisher: "pulumi",
      source: "pulumi",
      version: "4.21.1",
      repoUrl: "https://github.com/pulumi/pulumi-random",
      packageStatus: "ga",
      visibility: "public",
      isFeatured: false,
    });
    const schema = await fetch(metadata.schemaURL);
    expect(Buffer.from(await schema.arrayBuffer())).toEqual(files.schema);
    const readme = await fetch(metadata.readmeURL);
    expect(Buffer.from(await readme.arrayBuffer())).toEqual(files.index);
    for (const [artifact, bytes] of Object.entries(files)) {
      const stored = registry.storedArtifact(
        "package",
        "pulumi",
        "pulumi",
        "random",
        "4.21.1",
        artifact,
      );
      expect(stored?.equals(bytes)).toBe(true);
    }
  });

  it("reads parameterization and publisher from the schema", async () => {
    const registry = await startRegistry();
    const schema = fixture("packages/random-parameterized/schema.json");
    const ref = { ...RANDOM, source: "opentofu", version: "3.6.2" };

    const completed = await publishPackage(registry, ref, {
      schema,
      index: "",
    });

    const metadata = (await completed.json()) as PackageMetadata;
    expect(metadata.publisherDisplayName).toBe("Pulumi");
    expect(metadata.parameterization?.baseProvider).toEqual({
      name: "terraform-provider",
      version: "0.0.28",
    });
  });

  it("answers latest with the highest semver", async () => {
    const registry = await startRegistry();
    for (const version of ["1.2.0", "1.10.0", "2.0.0-alpha.1", "1.9.9"]) {
      const answer = await publishPackage(registry, { ...RANDOM, version });
      expect(answer.status).toBe(201);
    }

    const latest = await call(registry, "GET", `${PATH}/latest`);

    expect(((await latest.json()) as PackageMetadata).version).toBe(
      "2.0.0-alpha.1",
    );
    const release = await call(registry, "GET", `${PATH}/1.10.0`);
    expect(((await release.json()) as PackageMetadata).packageStatus).toBe(
      "ga",
    );
    await publishPackage(registry, { ...RANDOM, version: "2.0.0" });
    const afterRelease = await call(registry, "GET", `${PATH}/latest`);
    expect(((await afterRelease.json()) as PackageMetadata).version).toBe(
      "2.0.0",
    );
    const preview = await call(registry, "GET", `${PATH}/2.0.0-alpha.1`);
    expect(((await preview.json()) as PackageMetadata).packageStatus).toBe(
      "public_preview",
    );
  });

  it("uses publishedAt as createdAt", async () => {
    const registry = await startRegistry();
    const started = await startPublish(registry, PATH, {
      version: "1.0.0",
      publishedAt: "2023-04-05T06:07:08Z",
    });
    await upload(started.uploadURLs.schema, schemaOf("random"));
    await upload(started.uploadURLs.index, "readme");

    const completed = await call(registry, "POST", `${PATH}/1.0.0/complete`, {
      body: { operationID: started.operationID },
    });

    expect(((await completed.json()) as PackageMetadata).createdAt).toBe(
      "2023-04-05T06:07:08Z",
    );
  });

  it("refuses a publishedAt that is not RFC 3339", async () => {
    const registry = await startRegistry();
    const answer = await call(registry, "POST", PATH, {
      body: { version: "1.0.0", publishedAt: "yesterday" },
    });
    expect(answer.status).toBe(400);
  });

  it.each(["v1.0.0", "1.0", "latest", " 1.0.0"])(
    "refuses the version %j on start",
    async (version) => {
      const registry = await startRegistry();
      const answer = await call(registry, "POST", PATH, { body: { version } });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 400 });
    },
  );

  it("answers 409 when starting a version that exists", async () => {
    const registry = await startRegistry();
    await publishPackage(registry, RANDOM);

    const again = await call(registry, "POST", PATH, {
      body: { version: RANDOM.version },
    });

    expect(again.status).toBe(409);
  });

  it("answers 409 when completing a version completed meanwhile", async () => {
    const registry = await startRegistry();
    const late = await startPublish(registry, PATH, { version: "1.0.0" });
    await upload(late.uploadURLs.schema, schemaOf("random"));
    await upload(late.uploadURLs.index, "readme");
    await publishPackage(registry, { ...RANDOM, version: "1.0.0" });

    const answer = await call(registry, "POST", `${PATH}/1.0.0/complete`, {
      body: { operationID: late.operationID },
    });

    expect(answer.status).toBe(409);
  });

  it("answers 404 on start for an unknown source", async () => {
    const registry = await startRegistry();
    const path = versionsPath("packages", "npm", "pulumi", "random");
    const answer = await call(registry, "POST", path, {
      body: { version: "1.0.0" },
    });
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { message: string }).message).toContain(
      'source "npm" does not exist',
    );
  });

  it("answers 404 for an unknown operation", async () => {
    const registry = await startRegistry();
    const answer = await call(registry, "POST", `${PATH}/1.0.0/complete`, {
      body: { operationID: "no-such-operation" },
    });
    expect(answer.status).toBe(404);
  });

  it("answers 404 for an operation of another version", async () => {
    const registry = await startRegistry();
    const started = await startPublish(registry, PATH, { version: "1.0.0" });
    const answer = await call(registry, "POST", `${PATH}/1.0.1/complete`, {
      body: { operationID: started.operationID },
    });
    expect(answer.status).toBe(404);
  });

  it("names the missing uploads on complete", async () => {
    const registry = await startRegistry();
    const started = await startPublish(registry, PATH, { version: "1.0.0" });
    await upload(started.uploadURLs.installationConfiguration, "config");

    const answer = await call(registry, "POST", `${PATH}/1.0.0/complete`, {
      body: { operationID: started.operationID },
    });

    expect(answer.status).toBe(400);
    const { message } = (await answer.json()) as { message: string };
    expect(message).toContain("schema");
    expect(message).toContain("index");
  });

  it("accepts a publish without installation configuration", async () => {
    const registry = await startRegistry();
    const answer = await publishPackage(registry, RANDOM, {
      schema: schemaOf("random"),
      index: "readme",
    });
    expect(answer.status).toBe(201);
  });

  it("refuses a schema that does not parse", async () => {
    const registry = await startRegistry();
    const answer = await publishPackage(registry, RANDOM, {
      schema: "{ not json",
      index: "readme",
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { message: string }).message).toContain(
      "not valid JSON",
    );
  });

  it("refuses a schema whose name differs from the path", async () => {
    const registry = await startRegistry();
    const answer = await publishPackage(registry, RANDOM, {
      schema: schemaOf("randomx"),
      index: "readme",
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { message: string }).message).toContain(
      'schema name "randomx" does not match',
    );
  });

  it("completes an operation only once", async () => {
    const registry = await startRegistry();
    const started = await startPublish(registry, PATH, { version: "1.0.0" });
    await upload(started.uploadURLs.schema, schemaOf("random"));
    await upload(started.uploadURLs.index, "readme");
    const complete = () =>
      call(registry, "POST", `${PATH}/1.0.0/complete`, {
        body: { operationID: started.operationID },
      });
    expect((await complete()).status).toBe(201);
    await call(registry, "DELETE", `${PATH}/1.0.0`);

    expect((await complete()).status).toBe(400);
  });
});

describe("package auth and visibility", () => {
  it("answers 401 to a write without a token", async () => {
    const registry = await startRegistry();
    const answer = await call(registry, "POST", PATH, {
      token: "",
      body: { version: "1.0.0" },
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("x-pulumi-request-id")).toBeTruthy();
  });

  it("answers 401 to a token it does not accept", async () => {
    const registry = await startRegistry();
    const answer = await call(registry, "DELETE", `${PATH}/1.0.0`, {
      token: "wrong",
    });
    expect(answer.status).toBe(401);
  });

  it("hides private packages from callers without a token", async () => {
    const registry = await startRegistry();
    const ref = { ...RANDOM, source: "private", publisher: "acme" };
    await publishPackage(registry, ref);
    const path = versionsPath("packages", "private", "acme", "random");

    const hidden = await call(registry, "GET", `${path}/latest`, {
      token: "",
    });
    const list = await call(registry, "GET", "/api/registry/packages", {
      token: "",
    });
    const seen = await call(registry, "GET", `${path}/latest`);

    expect(hidden.status).toBe(404);
    expect(await list.json()).toEqual({ packages: [] });
    expect(seen.status).toBe(200);
    expect(((await seen.json()) as PackageMetadata).visibility).toBe("private");
  });
});

describe("package delete", () => {
  it("deletes a version and answers 404 for an absent one", async () => {
    const registry = await startRegistry();
    await publishPackage(registry, RANDOM);

    const deleted = await call(registry, "DELETE", `${PATH}/4.21.1`);
    const again = await call(registry, "DELETE", `${PATH}/4.21.1`);
    const got = await call(registry, "GET", `${PATH}/4.21.1`);

    expect(deleted.status).toBe(204);
    expect(again.status).toBe(404);
    expect(got.status).toBe(404);
  });
});
