import { describe, expect, it } from "vitest";
import type { LocalRegistry } from "../../src/local-registry/index.js";
import { FaultInjector, mulberry32 } from "../../src/local-registry/faults.js";
import {
  call,
  publishPackage,
  schemaOf,
  startPublish,
  startRegistry,
  upload,
  versionsPath,
} from "./helpers.js";

const PATH = versionsPath("packages", "pulumi", "pulumi", "random");
const REF = {
  source: "pulumi",
  publisher: "pulumi",
  name: "random",
  version: "1.0.0",
};

async function statusesOfGets(registry: LocalRegistry, count: number) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await call(registry, "GET", `${PATH}/latest`);
    statuses.push(answer.status);
  }
  return statuses;
}

describe("fault decisions", () => {
  it("repeats the same faults for the same seed", async () => {
    const faults = { seed: 7, errorRate: 0.3, rateLimitRate: 0.2 };
    const first = await statusesOfGets(await startRegistry({ faults }), 30);
    const second = await statusesOfGets(await startRegistry({ faults }), 30);

    expect(second).toEqual(first);
    expect(first.some((status) => status === 404)).toBe(true);
    expect(first.some((status) => status >= 429)).toBe(true);
  });

  it("gives another sequence for another seed", () => {
    const draw = (seed: number) => {
      const injector = new FaultInjector({ seed, errorRate: 0.5 });
      return Array.from({ length: 32 }, () => injector.decide("get").kind);
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it("draws numbers in [0, 1)", () => {
    const random = mulberry32(42);
    const draws = Array.from({ length: 1000 }, random);
    expect(draws.every((n) => n >= 0 && n < 1)).toBe(true);
  });

  it("leaves routes outside the fault list alone", async () => {
    const registry = await startRegistry({
      faults: { errorRate: 1, routes: ["complete"] },
    });
    expect(await statusesOfGets(registry, 3)).toEqual([404, 404, 404]);
  });
});

describe("injected faults", () => {
  it("answers 429 with a small Retry-After", async () => {
    const registry = await startRegistry({ faults: { rateLimitRate: 1 } });

    const answer = await call(registry, "GET", `${PATH}/latest`);

    expect(answer.status).toBe(429);
    expect(["0", "1"]).toContain(answer.headers.get("retry-after"));
  });

  it("does not store an upload answered with a 5xx", async () => {
    const registry = await startRegistry();
    const started = await startPublish(registry, PATH, { version: "1.0.0" });
    await upload(started.uploadURLs.index, "readme");
    registry.setFaults({ errorRate: 1, routes: ["upload"] });

    const failed = await upload(started.uploadURLs.schema, schemaOf("random"));
    registry.setFaults({});
    const complete = await call(registry, "POST", `${PATH}/1.0.0/complete`, {
      body: { operationID: started.operationID },
    });

    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(complete.status).toBe(400);
  });

  it("drops the connection and records status 0", async () => {
    const registry = await startRegistry({ faults: { resetRate: 1 } });

    await expect(call(registry, "GET", `${PATH}/latest`)).rejects.toThrow();

    expect(registry.requests.at(-1)?.status).toBe(0);
  });

  it("stores the version before dropping a complete", async () => {
    const registry = await startRegistry({
      faults: { commitThenDropRate: 1 },
    });

    await expect(publishPackage(registry, REF)).rejects.toThrow();
    registry.setFaults({});
    const got = await call(registry, "GET", `${PATH}/1.0.0`);

    expect(got.status).toBe(200);
    expect(registry.requests.at(-2)).toMatchObject({
      method: "POST",
      path: `${PATH}/1.0.0/complete`,
      status: 0,
    });
  });

  it("adds latency to each request", async () => {
    const registry = await startRegistry({ faults: { latencyMs: 150 } });
    const started = Date.now();

    await call(registry, "GET", `${PATH}/latest`);

    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("shortens upload URLs when the faults say so", async () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    const registry = await startRegistry({
      now: () => now,
      faults: { uploadUrlTtlSeconds: 5 },
    });

    const started = await startPublish(registry, PATH, { version: "1.0.0" });

    const expires = new URL(started.uploadURLs.schema).searchParams;
    expect(Number(expires.get("X-Expires"))).toBe(now / 1000 + 5);
  });
});

describe("admin endpoints", () => {
  it("needs a valid token", async () => {
    const registry = await startRegistry();
    const faults = await call(registry, "POST", "/_admin/faults", {
      token: "",
      body: { errorRate: 1 },
    });
    const requests = await call(registry, "GET", "/_admin/requests", {
      token: "nope",
    });
    expect(faults.status).toBe(401);
    expect(requests.status).toBe(401);
  });

  it("sets faults and lists requests without recording itself", async () => {
    const registry = await startRegistry();
    const set = await call(registry, "POST", "/_admin/faults", {
      body: { errorRate: 1, routes: ["list"] },
    });
    const listed = await call(registry, "GET", "/api/registry/packages");
    const requests = await call(registry, "GET", "/_admin/requests");

    expect(set.status).toBe(200);
    expect(listed.status).toBeGreaterThanOrEqual(500);
    expect(await requests.json()).toEqual([
      {
        origin: "api",
        method: "GET",
        path: "/api/registry/packages",
        status: listed.status,
        authorized: true,
        write: false,
      },
    ]);
  });
});
