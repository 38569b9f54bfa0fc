import { readFile, stat } from "node:fs/promises";

import { Agent } from "undici";
import { afterAll, afterEach, describe, expect, it } from "vitest";

import { RegistryError } from "../../src/errors.js";
import type { UploadFile } from "../../src/registry/client.js";
import { splitStorageUrl, uploadTimeoutMs } from "../../src/registry/upload.js";
import { networkError, setup, TOKEN, USER_AGENT } from "./helpers.js";
import { startStorage } from "./storage-server.js";

const SCHEMA = "/work/shared/fixtures/real/packages/random/schema.json";
const STORAGE = "https://storage.example.test";
const SIGNED =
  "/bucket/schema.json?X-Expires=900&X-Signature=c2lnbmF0dXJlLXNlY3JldA%3D%3D";

async function schemaFile(): Promise<UploadFile> {
  const { size } = await stat(SCHEMA);
  return { path: SCHEMA, bytes: size, contentType: "application/json" };
}

const S3_EXPIRED =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>' +
  "<Message>Request has expired</Message><X-Amz-Expires>900</X-Amz-Expires>" +
  "<RequestId>R1</RequestId></Error>";

describe("upload headers", () => {
  it("sends no Authorization, the content type, length and required headers", async () => {
    const { agent, client } = setup();
    const file = await schemaFile();
    const seen: Record<string, string>[] = [];
    agent
      .get(STORAGE)
      .intercept({ path: SIGNED, method: "PUT" })
      .reply((options) => {
        seen.push(options.headers as Record<string, string>);
        return { statusCode: 200, data: "" };
      });

    await client.upload(`${STORAGE}${SIGNED}`, file, {
      "x-ms-blob-type": "BlockBlob",
    });

    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toHaveProperty("authorization");
    expect(seen[0]).toMatchObject({
      "content-type": "application/json",
      "content-length": String(file.bytes),
      "x-ms-blob-type": "BlockBlob",
      "user-agent": USER_AGENT,
    });
  });
});

describe("upload to a local server", () => {
  let storage: Awaited<ReturnType<typeof startStorage>> | undefined;
  const dispatcher = new Agent();

  afterEach(async () => {
    await storage?.close();
  });

  afterAll(async () => {
    await dispatcher.destroy();
  });

  it("sends the exact bytes with Content-Length and no chunking", async () => {
    storage = await startStorage([{ status: 200 }]);
    const { client } = setup({ dispatcher });
    const file = await schemaFile();

    await client.upload(`${storage.origin}${SIGNED}`, file);

    const [request] = storage.received;
    expect(storage.received).toHaveLength(1);
    expect(request?.method).toBe("PUT");
    expect(request?.url).toBe(SIGNED);
    expect(request?.body.equals(await readFile(SCHEMA))).toBe(true);
    expect(request?.headers["content-length"]).toBe(String(file.bytes));
    expect(request?.headers).not.toHaveProperty("transfer-encoding");
    expect(request?.headers).not.toHaveProperty("authorization");
  });

  it("keeps the pre-signed URL exactly as given", async () => {
    storage = await startStorage([{ status: 201 }]);
    const { client } = setup({ dispatcher });
    const raw =
      "/b/k%2Bey?X-Amz-Credential=AKIA%2F20250101%2Fus-east-1" +
      "&X-Amz-SignedHeaders=host;x-amz-meta&sig=a*b'c";

    await client.upload(`${storage.origin}${raw}`, await schemaFile());

    expect(storage.received[0]?.url).toBe(raw);
  });

  it("re-sends the whole file after a 503", async () => {
    storage = await startStorage([{ status: 503 }, { status: 200 }]);
    const { client, waits } = setup({ dispatcher });

    await client.upload(`${storage.origin}${SIGNED}`, await schemaFile());

    const expected = await readFile(SCHEMA);
    expect(storage.received).toHaveLength(2);
    expect(storage.received.every((r) => r.body.equals(expected))).toBe(true);
    expect(waits).toEqual([500]);
  });

  it("does not retry a 403, and redacts the signature", async () => {
    storage = await startStorage([{ status: 403, body: S3_EXPIRED }]);
    const { client, logger } = setup({ dispatcher });
    const url = `${storage.origin}${SIGNED}`;

    const error = (await client
      .upload(url, await schemaFile())
      .catch((e: unknown) => e)) as RegistryError;

    expect(storage.received).toHaveLength(1);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.status).toBe(403);
    expect(error.details.storage).toBe(true);
    expect(error.message).toBe(
      `PUT ${storage.origin}/bucket/schema.json failed: HTTP 403 Forbidden: ` +
        "Request has expired (AccessDenied). The storage service refused " +
        "the pre-signed URL, which may have expired; start the publish " +
        "again to get a fresh one",
    );
    const everything = [error.message, ...logger.lines].join("\n");
    expect(everything).not.toMatch(/X-Signature|X-Expires|\?/);
    expect(everything).not.toContain(TOKEN);
  });

  it("scrubs a signature that storage echoes in its answer", async () => {
    storage = await startStorage([
      { status: 400, body: "bad signature c2lnbmF0dXJlLXNlY3JldA== given" },
    ]);
    const { client } = setup({ dispatcher });

    const error = (await client
      .upload(`${storage.origin}${SIGNED}`, await schemaFile())
      .catch((e: unknown) => e)) as Error;

    expect(error.message).toContain("bad signature *** given");
  });

  it("refuses a file whose size changed since it was built", async () => {
    storage = await startStorage([{ status: 200 }]);
    const { client } = setup({ dispatcher });
    const file = { ...(await schemaFile()), bytes: 12 };

    await expect(
      client.upload(`${storage.origin}${SIGNED}`, file),
    ).rejects.toThrow("but 12 were expected");
    expect(storage.received).toHaveLength(0);
  });
});

describe("upload retries", () => {
  it("retries a reset connection, re-opening the file", async () => {
    const { agent, client, waits } = setup();
    const pool = agent.get(STORAGE);
    pool
      .intercept({ path: SIGNED, method: "PUT" })
      .replyWithError(networkError("ECONNRESET"));
    pool.intercept({ path: SIGNED, method: "PUT" }).reply(200, "");

    await client.upload(`${STORAGE}${SIGNED}`, await schemaFile());

    expect(waits).toEqual([500]);
    expect(agent.pendingInterceptors()).toHaveLength(0);
  });
});

describe("upload helpers", () => {
  it("scales the timeout with the size at 1 MiB/s", () => {
    expect(uploadTimeoutMs(30_000, 0)).toBe(30_000);
    expect(uploadTimeoutMs(30_000, 10 * 1024 * 1024)).toBe(40_000);
  });

  it("splits a storage URL without re-encoding it", () => {
    expect(splitStorageUrl("https://s.test/a%2Fb?x=%3D&y=1#frag")).toEqual({
      origin: "https://s.test",
      path: "/a%2Fb?x=%3D&y=1",
    });
    expect(splitStorageUrl("https://s.test?x=1")).toEqual({
      origin: "https://s.test",
      path: "/?x=1",
    });
    expect(() => splitStorageUrl("file:///etc/passwd")).toThrow(
      "not an http(s) URL",
    );
  });
});
