import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";

import { ConflictError, RegistryError } from "../../src/errors.js";
import { backoffDelay, parseRetryAfter } from "../../src/registry/retry.js";
import {
  jsonHeaders,
  networkError,
  PACKAGE,
  packageMetadata,
  setup,
} from "./helpers.js";

const GET_PATH = "/api/registry/packages/private/acme/foo/versions/1.0.0";
const COMPLETE_PATH = `${GET_PATH}/complete`;

describe("backoffDelay", () => {
  it("doubles the ceiling from 1 s and caps it at 30 s", () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, top))).toEqual([
      999, 1_999, 3_999, 7_999, 15_999, 29_999, 29_999,
    ]);
  });

  it("applies full jitter", () => {
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 0.25)).toBe(1_000);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");

  it("reads seconds", () => {
    expect(parseRetryAfter("7", now)).toBe(7_000);
  });

  it("reads an HTTP date relative to now", () => {
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:12 GMT", now)).toBe(12_000);
  });

  it("treats a past date as no wait and junk as absent", () => {
    expect(parseRetryAfter("Tue, 31 Dec 2024 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe("the retry matrix", () => {
  it("retries transient 5xx and then succeeds", async () => {
    const { pool, client, waits, calls } = setup();
    pool.intercept({ path: GET_PATH }).reply(503, "busy");
    pool.intercept({ path: GET_PATH }).reply(500, "oops");
    pool
      .intercept({ path: GET_PATH })
      .reply(200, packageMetadata("1.0.0"), jsonHeaders());

    const found = await client.getPackageVersion(PACKAGE, "1.0.0");

    expect(found?.version).toBe("1.0.0");
    expect(calls()).toHaveLength(3);
    expect(waits).toEqual([500, 1_000]);
  });

  it("gives up after maxAttempts on a persistent 5xx", async () => {
    const { pool, client, waits, calls } = setup({ maxAttempts: 3 });
    pool
      .intercept({ path: GET_PATH })
      .reply(502, { message: "upstream down" }, jsonHeaders("r-9"))
      .times(3);

    const error = await client
      .getPackageVersion(PACKAGE, "1.0.0")
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(502);
    expect((error as Error).message).toBe(
      `GET ${GET_PATH} failed: HTTP 502 Bad Gateway: upstream down ` +
        `(request ID r-9). Gave up after 3 attempts`,
    );
    expect(calls()).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it("waits the Retry-After seconds on 429", async () => {
    const { pool, client, waits, calls } = setup();
    pool
      .intercept({ path: GET_PATH })
      .reply(429, "slow down", { headers: { "retry-after": "7" } });
    pool
      .intercept({ path: GET_PATH })
      .reply(200, packageMetadata("1.0.0"), jsonHeaders());

    await client.getPackageVersion(PACKAGE, "1.0.0");

    expect(calls()).toHaveLength(2);
    expect(waits).toEqual([7_000]);
  });

  it("waits until a Retry-After HTTP date", async () => {
    const { pool, client, waits } = setup();
    const retryAfter = "Wed, 01 Jan 2025 00:00:20 GMT";
    pool
      .intercept({ path: GET_PATH })
      .reply(503, "maintenance", { headers: { "retry-after": retryAfter } });
    pool
      .intercept({ path: GET_PATH })
      .reply(200, packageMetadata("1.0.0"), jsonHeaders());

    await client.getPackageVersion(PACKAGE, "1.0.0");

    expect(waits).toEqual([20_000]);
  });

  it("caps a very long Retry-After", async () => {
    const { pool, client, waits } = setup();
    pool
      .intercept({ path: GET_PATH })
      .reply(429, "", { headers: { "retry-after": "86400" } });
    pool
      .intercept({ path: GET_PATH })
      .reply(200, packageMetadata("1.0.0"), jsonHeaders());

    await client.getPackageVersion(PACKAGE, "1.0.0");

    expect(waits).toEqual([120_000]);
  });

  it.each([400, 401, 403, 422])("does not retry HTTP %i", async (status) => {
    const { pool, client, waits, calls } = setup();
    pool.intercept({ path: GET_PATH }).reply(status, { message: "no" });

    await expect(client.getPackageVersion(PACKAGE, "1.0.0")).rejects.toThrow(
      `HTTP ${status}`,
    );
    expect(calls()).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it.each(["ECONNRESET", "ECONNREFUSED", "UND_ERR_SOCKET"])(
    "retries the network error %s",
    async (code) => {
      const { pool, client, waits, calls } = setup();
      pool.intercept({ path: GET_PATH }).replyWithError(networkError(code));
      pool
        .intercept({ path: GET_PATH })
        .reply(200, packageMetadata("1.0.0"), jsonHeaders());

      await client.getPackageVersion(PACKAGE, "1.0.0");

      expect(calls()).toHaveLength(2);
      expect(waits).toEqual([500]);
    },
  );

  it("does not retry an unknown host, and says where it looked", async () => {
    const { pool, client, calls } = setup();
    pool
      .intercept({ path: GET_PATH })
      .replyWithError(networkError("ENOTFOUND", "getaddrinfo ENOTFOUND"));

    await expect(client.getPackageVersion(PACKAGE, "1.0.0")).rejects.toThrow(
      `GET ${GET_PATH} failed: ENOTFOUND (getaddrinfo ENOTFOUND)`,
    );
    expect(calls()).toHaveLength(1);
  });

  it("reports a network failure after the last attempt", async () => {
    const { pool, client, calls } = setup({ maxAttempts: 2 });
    pool
      .intercept({ path: GET_PATH })
      .replyWithError(networkError("ECONNREFUSED", "connect ECONNREFUSED"))
      .times(2);

    const error = await client
      .getPackageVersion(PACKAGE, "1.0.0")
      .catch((e: unknown) => e);

    expect(calls()).toHaveLength(2);
    expect((error as RegistryError).status).toBeUndefined();
    expect((error as Error).message).toBe(
      `GET ${GET_PATH} failed after 2 attempts: ECONNREFUSED ` +
        `(connect ECONNREFUSED). Check that the registry at cloud-url ` +
        `(https://api.example.test) is reachable from this machine`,
    );
  });

  it("stops when the next wait would pass the deadline", async () => {
    const { pool, client, waits, calls, logger } = setup({
      maxAttempts: 10,
      deadlineMs: 2_500,
    });
    pool.intercept({ path: GET_PATH }).reply(503, "busy").persist();

    await expect(client.getPackageVersion(PACKAGE, "1.0.0")).rejects.toThrow(
      "HTTP 503",
    );
    // Waits of 0.5 s and 1 s fit in 2.5 s; the next 2 s would not.
    expect(waits).toEqual([500, 1_000]);
    expect(calls()).toHaveLength(3);
    expect(logger.lines).toContain(
      `warning: GET ${GET_PATH}: HTTP 503 on attempt 3/10; giving up, ` +
        `as another attempt would pass the 3 s deadline`,
    );
  });

  it("logs each retry with the attempt, the cause and the wait", async () => {
    const { pool, client, logger } = setup();
    pool.intercept({ path: GET_PATH }).reply(503, "busy");
    pool
      .intercept({ path: GET_PATH })
      .replyWithError(networkError("ECONNRESET"));
    pool
      .intercept({ path: GET_PATH })
      .reply(200, packageMetadata("1.0.0"), jsonHeaders());

    await client.getPackageVersion(PACKAGE, "1.0.0");

    const retries = logger.lines.filter((line) => line.includes("retrying"));
    expect(retries).toEqual([
      `GET ${GET_PATH}: HTTP 503 on attempt 1/4; retrying in 0.5 s`,
      `GET ${GET_PATH}: ECONNRESET on attempt 2/4; retrying in 1.0 s`,
    ]);
  });
});

describe("lost answers", () => {
  const complete = (client: ReturnType<typeof setup>["client"]) =>
    client
      .completePublish(PACKAGE, "1.0.0", "op-1")
      .catch((error: unknown) => error);

  it("flags a 409 that follows a 502 as after a lost answer", async () => {
    const { pool, client, calls } = setup();
    const post = { path: COMPLETE_PATH, method: "POST" };
    pool.intercept(post).reply(502, "bad gateway");
    pool.intercept(post).reply(409, { message: "version exists" });

    const error = await complete(client);

    expect(calls()).toHaveLength(2);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).afterLostAnswer).toBe(true);
  });

  it("does not flag a first-try 409", async () => {
    const { pool, client } = setup();
    pool
      .intercept({ path: COMPLETE_PATH, method: "POST" })
      .reply(409, { message: "version exists" }, jsonHeaders("r-1"));

    const error = await complete(client);

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).afterLostAnswer).toBe(false);
    expect((error as Error).message).toBe(
      `POST ${COMPLETE_PATH} failed: HTTP 409 Conflict: version exists ` +
        `(request ID r-1)`,
    );
  });

  it("flags a 404 that follows a reset connection", async () => {
    const { pool, client } = setup();
    const post = { path: COMPLETE_PATH, method: "POST" };
    pool.intercept(post).replyWithError(networkError("ECONNRESET"));
    pool.intercept(post).reply(404, { message: "operation not found" });

    const error = await complete(client);

    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(404);
    expect((error as RegistryError).details.afterLostAnswer).toBe(true);
  });

  it.each(["a 429", "a refused connection"])(
    "does not flag a 409 that follows %s",
    async (what) => {
      const { pool, client } = setup();
      const post = { path: COMPLETE_PATH, method: "POST" };
      if (what === "a 429") pool.intercept(post).reply(429, "slow down");
      else pool.intercept(post).replyWithError(networkError("ECONNREFUSED"));
      pool.intercept(post).reply(409, { message: "version exists" });

      const error = await complete(client);

      expect((error as ConflictError).afterLostAnswer).toBe(false);
    },
  );
});

describe("timeouts", () => {
  let server: Server | undefined;

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("times out a silent server and retries", async () => {
    let requests = 0;
    server = createServer(() => {
      requests++; // never answers
    });
    await new Promise<void>((resolve) =>
      server?.listen(0, "127.0.0.1", resolve),
    );
    const { port } = server.address() as AddressInfo;
    const dispatcher = new Agent();
    const { client } = setup({
      cloudUrl: `http://127.0.0.1:${port}`,
      dispatcher,
      requestTimeoutMs: 150,
      maxAttempts: 2,
    });

    const error = await client
      .getPackageVersion(PACKAGE, "1.0.0")
      .catch((e: unknown) => e);

    expect(requests).toBe(2);
    expect((error as Error).message).toMatch(
      /failed after 2 attempts: timeout \(no complete answer within 0\.15 s\)\. .* or allow more time per request$/,
    );
    await dispatcher.destroy();
  });
});
