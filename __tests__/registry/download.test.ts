import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Agent } from "undici";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";

import { RegistryError } from "../../src/errors.js";
import { setup } from "./helpers.js";
import { startStorage } from "./storage-server.js";

const SCHEMA = "/work/shared/fixtures/real/packages/random/schema.json";
const SIGNED = "/blob/schema.json?X-Signature=c2VjcmV0LXNpZ25hdHVyZQ";

describe("download", () => {
  const dispatcher = new Agent();
  const servers: Awaited<ReturnType<typeof startStorage>>[] = [];
  let dir = "";

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "registry-download-"));
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await rm(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await dispatcher.destroy();
  });

  async function serve(...replies: Parameters<typeof startStorage>[0]) {
    const server = await startStorage(replies);
    servers.push(server);
    return server;
  }

  it("saves the file and returns its size and SHA-256, without Authorization", async () => {
    const bytes = await readFile(SCHEMA);
    const storage = await serve({ status: 200, body: bytes });
    const { client } = setup({ dispatcher });
    const dest = join(dir, "schema.json");

    const digest = await client.download(`${storage.origin}${SIGNED}`, dest);

    expect(digest).toEqual({
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
    expect((await readFile(dest)).equals(bytes)).toBe(true);
    expect(storage.received[0]?.url).toBe(SIGNED);
    expect(storage.received[0]?.headers).not.toHaveProperty("authorization");
  });

  it("retries a 503 and replaces the partial file", async () => {
    const storage = await serve(
      { status: 503, body: "busy" },
      { status: 200, body: "hello" },
    );
    const { client, waits } = setup({ dispatcher });
    const dest = join(dir, "readme.md");

    const digest = await client.download(`${storage.origin}${SIGNED}`, dest);

    expect(digest.bytes).toBe(5);
    expect(await readFile(dest, "utf8")).toBe("hello");
    expect(storage.received).toHaveLength(2);
    expect(waits).toEqual([500]);
  });

  it("follows a redirect to another origin without credentials", async () => {
    const target = await serve({ status: 200, body: "archive" });
    const first = await serve({
      status: 302,
      headers: { location: `${target.origin}/final?sig=abcdefgh` },
    });
    const { client } = setup({ dispatcher });

    await client.download(`${first.origin}${SIGNED}`, join(dir, "a.tgz"));

    expect(target.received[0]?.url).toBe("/final?sig=abcdefgh");
    expect(target.received[0]?.headers).not.toHaveProperty("authorization");
  });

  it("raises a storage error with the URL redacted", async () => {
    const storage = await serve({ status: 404, body: "no such key" });
    const { client, logger } = setup({ dispatcher });

    const error = (await client
      .download(`${storage.origin}${SIGNED}`, join(dir, "x"))
      .catch((e: unknown) => e)) as RegistryError;

    expect(error).toBeInstanceOf(RegistryError);
    expect(error.details).toMatchObject({ status: 404, storage: true });
    expect(error.message).toBe(
      `GET ${storage.origin}/blob/schema.json failed: HTTP 404 Not Found: ` +
        "no such key",
    );
    expect(logger.lines.join("\n")).not.toContain("X-Signature");
  });

  it("refuses a redirect from https to http", async () => {
    const { agent, client } = setup();
    agent
      .get("https://storage.example.test")
      .intercept({ path: "/blob" })
      .reply(302, "", { headers: { location: "http://plain.example.test/" } });

    await expect(
      client.download("https://storage.example.test/blob", join(dir, "x")),
    ).rejects.toThrow("which is not https");
  });
});
