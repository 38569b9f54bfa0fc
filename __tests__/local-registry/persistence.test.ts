import { describe, expect, it } from "vitest";
import type { PackageMetadata } from "../../src/registry/types.js";
import { startLocalRegistry } from "../../src/local-registry/index.js";
import {
  call,
  fixture,
  publishPackage,
  publishTemplate,
  startRegistry,
  tarGz,
  tempFolder,
  TEMPLATE_PROJECT,
  versionsPath,
} from "./helpers.js";

const REF = {
  source: "pulumi",
  publisher: "pulumi",
  name: "random",
  version: "4.21.1",
};
const PATH = versionsPath("packages", "pulumi", "pulumi", "random");

describe("persistence", () => {
  it("keeps versions and bytes in dataDir across a restart", async () => {
    const dataDir = tempFolder();
    const files = {
      schema: fixture("packages/random/schema.json"),
      index: fixture("packages/random/_index.md"),
    };
    const first = await startLocalRegistry({ dataDir, tokens: ["t0k"] });
    await publishPackage(first, REF, files);
    await publishTemplate(
      first,
      { publisher: "acme", name: "starter", version: "1.0.0" },
      await tarGz({ "Pulumi.yaml": TEMPLATE_PROJECT }),
    );
    await first.close();

    const second = await startRegistry({ dataDir });
    const got = await call(second, "GET", `${PATH}/latest`);
    const template = await call(
      second,
      "GET",
      `${versionsPath("templates", "private", "acme", "starter")}/1.0.0`,
    );

    expect(got.status).toBe(200);
    expect(template.status).toBe(200);
    const { schemaURL } = (await got.json()) as PackageMetadata;
    const schema = await fetch(schemaURL);
    expect(Buffer.from(await schema.arrayBuffer())).toEqual(files.schema);
    expect(
      second.storedArtifact(
        "package",
        "pulumi",
        "pulumi",
        "random",
        "4.21.1",
        "index",
      ),
    ).toEqual(files.index);
  });

  it("forgets a deleted version after a restart", async () => {
    const dataDir = tempFolder();
    const first = await startLocalRegistry({ dataDir, tokens: ["t0k"] });
    await publishPackage(first, REF);
    await call(first, "DELETE", `${PATH}/4.21.1`);
    await first.close();

    const second = await startRegistry({ dataDir });

    expect((await call(second, "GET", `${PATH}/4.21.1`)).status).toBe(404);
  });

  it("keeps nothing without a dataDir", async () => {
    const first = await startRegistry();
    await publishPackage(first, REF);
    const second = await startRegistry();
    expect((await call(second, "GET", `${PATH}/latest`)).status).toBe(404);
  });
});
