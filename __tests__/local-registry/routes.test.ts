import { describe, expect, it } from "vitest";
import { call, publishPackage, startRegistry } from "./helpers.js";

const STABLE = "/api/registry/packages";
const PREVIEW = "/api/preview/registry/packages";

describe("route families", () => {
  it("answers on both families by default", async () => {
    const registry = await startRegistry();
    expect((await call(registry, "GET", STABLE)).status).toBe(200);
    expect((await call(registry, "GET", PREVIEW)).status).toBe(200);
  });

  it("answers 404 on every path of a family switched off", async () => {
    const registry = await startRegistry({ routes: { stable: false } });
    const start = `${STABLE}/pulumi/pulumi/random/versions`;

    const list = await call(registry, "GET", STABLE);
    const post = await call(registry, "POST", start, {
      body: { version: "1.0.0" },
    });
    const preview = await call(registry, "GET", PREVIEW);

    expect(list.status).toBe(404);
    expect(post.status).toBe(404);
    expect(preview.status).toBe(200);
  });

  it("answers 404 on the preview family when it is off", async () => {
    const registry = await startRegistry({ routes: { preview: false } });
    expect((await call(registry, "GET", PREVIEW)).status).toBe(404);
    expect((await call(registry, "GET", STABLE)).status).toBe(200);
  });
});

describe("recorded requests", () => {
  it("records each request of both origins in order", async () => {
    const registry = await startRegistry();
    await publishPackage(registry, {
      source: "pulumi",
      publisher: "pulumi",
      name: "random",
      version: "1.0.0",
    });

    const seen = registry.requests.map(
      (r) => `${r.origin} ${r.method} ${r.status} ${r.authorized} ${r.write}`,
    );

    expect(seen).toEqual([
      "api POST 202 true true",
      "storage PUT 200 false true",
      "storage PUT 200 false true",
      "api POST 201 true true",
    ]);
    expect(registry.requests[1].path).not.toContain("?");
  });

  it("sends a request ID and a JSON error body on API errors", async () => {
    const registry = await startRegistry();
    const answer = await call(registry, "GET", "/api/nowhere");
    expect(answer.status).toBe(404);
    expect(answer.headers.get("x-pulumi-request-id")).toMatch(/\S/);
    expect(await answer.json()).toMatchObject({ code: 404 });
  });
});
