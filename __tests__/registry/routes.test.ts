import { describe, expect, it } from "vitest";

import { listPath, versionsPath } from "../../src/registry/routes.js";
import {
  jsonHeaders,
  PACKAGE,
  packageMetadata,
  setup,
  TEMPLATE,
} from "./helpers.js";

const PROBE = "/api/registry/packages?limit=1";
const PREVIEW = "/api/preview/registry/packages/private/acme/foo/versions";
const STABLE = "/api/registry/packages/private/acme/foo/versions";

describe("paths", () => {
  it("builds list paths for both families", () => {
    expect(listPath("stable", "package")).toBe("/api/registry/packages");
    expect(listPath("preview", "template")).toBe(
      "/api/preview/registry/templates",
    );
  });

  it("builds version paths and encodes every segment", () => {
    expect(versionsPath("stable", PACKAGE)).toBe(STABLE);
    expect(versionsPath("preview", TEMPLATE, "1.0.0", true)).toBe(
      "/api/preview/registry/templates/private/acme/starter/versions/1.0.0/complete",
    );
    const odd = { ...PACKAGE, publisher: "a/b", name: "x y" };
    expect(versionsPath("stable", odd, "1.0.0+build.1")).toBe(
      "/api/registry/packages/private/a%2Fb/x%20y/versions/1.0.0%2Bbuild.1",
    );
  });
});

describe("route family", () => {
  it("falls back to preview once when the stable routes are missing", async () => {
    const { pool, client, calls, logger } = setup({ apiRoutes: "auto" });
    pool.intercept({ path: PROBE }).reply(404, { message: "not found" });
    pool
      .intercept({ path: `${PREVIEW}/1.0.0` })
      .reply(200, packageMetadata("1.0.0"), jsonHeaders());
    pool.intercept({ path: `${PREVIEW}/2.0.0` }).reply(404, "");
    pool
      .intercept({ path: `${PREVIEW}/1.0.0`, method: "DELETE" })
      .reply(204, "");

    expect(client.routes).toBeUndefined();
    await client.getPackageVersion(PACKAGE, "1.0.0");
    await client.getPackageVersion(PACKAGE, "2.0.0");
    await client.deleteVersion(PACKAGE, "1.0.0");

    expect(client.routes).toBe("preview");
    expect(calls().map((call) => `${call.method} ${call.path}`)).toEqual([
      "GET /api/registry/packages",
      `GET ${PREVIEW}/1.0.0`,
      `GET ${PREVIEW}/2.0.0`,
      `DELETE ${PREVIEW}/1.0.0`,
    ]);
    expect(logger.lines).toContain(
      "The registry has no stable routes (GET /api/registry/packages " +
        "answered 404); using the preview routes under /api/preview",
    );
  });

  it("keeps the stable routes when the probe succeeds", async () => {
    const { pool, client, calls, logger } = setup({ apiRoutes: "auto" });
    pool.intercept({ path: PROBE }).reply(200, { packages: [] });
    pool.intercept({ path: `${STABLE}/1.0.0` }).reply(404, "");

    await client.getPackageVersion(PACKAGE, "1.0.0");

    expect(client.routes).toBe("stable");
    expect(calls()).toHaveLength(2);
    expect(logger.lines).toContain(
      "debug: Registry routes: stable (GET /api/registry/packages answered 200)",
    );
  });

  it("probes once for concurrent first calls", async () => {
    const { pool, client, calls } = setup({ apiRoutes: "auto" });
    pool.intercept({ path: PROBE }).reply(404, "");
    pool.intercept({ path: `${PREVIEW}/1.0.0` }).reply(404, "");
    pool.intercept({ path: `${PREVIEW}/2.0.0` }).reply(404, "");

    await Promise.all([
      client.getPackageVersion(PACKAGE, "1.0.0"),
      client.getPackageVersion(PACKAGE, "2.0.0"),
    ]);

    const probes = calls().filter((c) => c.path === "/api/registry/packages");
    expect(probes).toHaveLength(1);
    expect(calls()).toHaveLength(3);
  });

  it("propagates a failed probe and probes again next time", async () => {
    const { pool, client } = setup({ apiRoutes: "auto" });
    pool.intercept({ path: PROBE }).reply(401, { message: "bad token" });
    pool.intercept({ path: PROBE }).reply(200, { packages: [] });
    pool.intercept({ path: `${STABLE}/1.0.0` }).reply(404, "");

    await expect(client.getPackageVersion(PACKAGE, "1.0.0")).rejects.toThrow(
      "HTTP 401 Unauthorized: bad token",
    );
    expect(client.routes).toBeUndefined();
    await client.getPackageVersion(PACKAGE, "1.0.0");
    expect(client.routes).toBe("stable");
  });

  it.each(["stable", "preview"] as const)(
    "uses forced %s routes without probing",
    async (family) => {
      const { pool, client, calls } = setup({ apiRoutes: family });
      const base = family === "stable" ? STABLE : PREVIEW;
      pool.intercept({ path: `${base}/1.0.0` }).reply(404, "");

      await client.getPackageVersion(PACKAGE, "1.0.0");

      expect(client.routes).toBe(family);
      expect(calls().map((call) => call.path)).toEqual([`${base}/1.0.0`]);
    },
  );

  it("keeps a path prefix from cloud-url", async () => {
    const { agent, client, calls } = setup({
      cloudUrl: "https://api.example.test/pulumi/",
      apiRoutes: "auto",
    });
    const pool = agent.get("https://api.example.test");
    pool.intercept({ path: `/pulumi${PROBE}` }).reply(404, "");
    pool.intercept({ path: `/pulumi${PREVIEW}/1.0.0` }).reply(404, "");

    await client.getPackageVersion(PACKAGE, "1.0.0");

    expect(calls().map((call) => call.path)).toEqual([
      "/pulumi/api/registry/packages",
      `/pulumi${PREVIEW}/1.0.0`,
    ]);
  });
});
