import { request } from "node:http";
import { describe, expect, it } from "vitest";
import type { LocalRegistry } from "../../src/local-registry/index.js";
import {
  call,
  schemaOf,
  startPublish,
  startRegistry,
  upload,
  versionsPath,
} from "./helpers.js";

const PATH = versionsPath("packages", "private", "acme", "widget");

async function schemaUrl(registry: LocalRegistry): Promise<string> {
  const started = await startPublish(registry, PATH, { version: "1.0.0" });
  return started.uploadURLs.schema;
}

async function storageError(response: Response) {
  const text = await response.text();
  return {
    status: response.status,
    code: /<Code>(.*?)<\/Code>/.exec(text)?.[1],
    message: /<Message>(.*?)<\/Message>/.exec(text)?.[1],
  };
}

/** PUTs with `Transfer-Encoding: chunked` and no Content-Length. */
function putChunked(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "PUT",
      headers: { "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.write(body);
    req.end();
  });
}

describe("storage uploads", () => {
  it("answers 200 with an ETag and stores the bytes", async () => {
    const registry = await startRegistry();
    const started = await startPublish(registry, PATH, { version: "1.0.0" });

    const answer = await upload(started.uploadURLs.schema, schemaOf("widget"));

    expect(answer.status).toBe(200);
    expect(answer.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it("refuses an upload carrying an Authorization header", async () => {
    const registry = await startRegistry();
    const url = await schemaUrl(registry);

    const answer = await upload(url, "{}", { authorization: "token t0k" });

    expect(await storageError(answer)).toMatchObject({
      status: 400,
      code: "InvalidArgument",
    });
  });

  it("refuses a URL whose signature does not match", async () => {
    const registry = await startRegistry();
    const url = new URL(await schemaUrl(registry));
    url.searchParams.set("X-Signature", "0".repeat(64));

    const answer = await upload(url.toString(), "{}");

    expect(await storageError(answer)).toMatchObject({
      status: 403,
      code: "SignatureDoesNotMatch",
    });
  });

  it("refuses a URL whose signed path was changed", async () => {
    const registry = await startRegistry();
    const url = (await schemaUrl(registry)).replace("/schema?", "/index?");

    const answer = await upload(url, "{}");

    expect((await storageError(answer)).code).toBe("SignatureDoesNotMatch");
  });

  it("refuses an expired URL", async () => {
    let clock = Date.parse("2025-01-01T00:00:00Z");
    const registry = await startRegistry({
      now: () => clock,
      uploadUrlTtlSeconds: 60,
    });
    const url = await schemaUrl(registry);
    clock += 61_000;

    const answer = await upload(url, "{}");

    expect(await storageError(answer)).toEqual({
      status: 403,
      code: "AccessDenied",
      message: "Request has expired",
    });
  });

  it("refuses a chunked upload without Content-Length", async () => {
    const registry = await startRegistry();
    const url = await schemaUrl(registry);

    expect(await putChunked(url, "{}")).toBe(411);
  });

  it("enforces the required headers it announces", async () => {
    const requiredHeaders = { "x-ms-blob-type": "BlockBlob" };
    const registry = await startRegistry({ requiredHeaders });
    const started = await startPublish(registry, PATH, { version: "1.0.0" });
    expect(started.requiredHeaders).toEqual(requiredHeaders);

    const without = await upload(started.uploadURLs.schema, "{}");
    const wrong = await upload(started.uploadURLs.schema, "{}", {
      "x-ms-blob-type": "AppendBlob",
    });
    const right = await upload(
      started.uploadURLs.schema,
      "{}",
      requiredHeaders,
    );

    expect(without.status).toBe(403);
    expect(wrong.status).toBe(403);
    expect(right.status).toBe(200);
  });

  it("keeps the last of two uploads to the same URL", async () => {
    const registry = await startRegistry();
    const started = await startPublish(registry, PATH, { version: "1.0.0" });
    await upload(started.uploadURLs.schema, "not json");
    await upload(started.uploadURLs.schema, schemaOf("widget"));
    await upload(started.uploadURLs.index, "readme");

    const answer = await call(registry, "POST", `${PATH}/1.0.0/complete`, {
      body: { operationID: started.operationID },
    });

    expect(answer.status).toBe(201);
  });

  it("answers 404 for a path that is not an upload or object", async () => {
    const registry = await startRegistry();
    const answer = await fetch(`${registry.storageUrl}/elsewhere`);
    expect(answer.status).toBe(404);
  });
});

describe("storage downloads", () => {
  it("serves HEAD on a download URL and refuses a PUT there", async () => {
    const registry = await startRegistry();
    const started = await startPublish(registry, PATH, { version: "1.0.0" });
    await upload(started.uploadURLs.schema, schemaOf("widget"));
    await upload(started.uploadURLs.index, "readme");
    const completed = await call(registry, "POST", `${PATH}/1.0.0/complete`, {
      body: { operationID: started.operationID },
    });
    const { schemaURL } = (await completed.json()) as { schemaURL: string };

    const overwrite = await fetch(schemaURL, { method: "PUT", body: "x" });
    const head = await fetch(schemaURL, { method: "HEAD" });

    expect(overwrite.status).toBe(405);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(
      String(schemaOf("widget").length),
    );
  });
});
