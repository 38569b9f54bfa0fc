import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

import { EnvHttpProxyAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";

import {
  ConflictError,
  InputError,
  ProtocolError,
  RegistryError,
} from "../../src/errors.js";
import { MemoryLogger } from "../../src/logger.js";
import { RegistryClient } from "../../src/registry/client.js";
import { createDefaultDispatcher } from "../../src/registry/http.js";
import {
  jsonHeaders,
  networkError,
  ORIGIN,
  PACKAGE,
  packageMetadata,
  setup,
  startAnswer,
  TEMPLATE,
  TOKEN,
  USER_AGENT,
} from "./helpers.js";

const VERSIONS = "/api/registry/packages/private/acme/foo/versions";
const TEMPLATE_VERSIONS =
  "/api/registry/templates/private/acme/starter/versions";

describe("API headers", () => {
  it("sends the token, Accept, Content-Type and User-Agent", async () => {
    const { pool, client, calls } = setup();
    pool
      .intercept({ path: VERSIONS, method: "POST" })
      .reply(202, startAnswer(), jsonHeaders());

    await client.startPublish(PACKAGE, { version: "1.0.0" });

    const [call] = calls();
    expect(call?.headers).toMatchObject({
      authorization: `token ${TOKEN}`,
      accept: "application/vnd.pulumi+8",
      "content-type": "application/json",
      "user-agent": USER_AGENT,
    });
    expect(JSON.parse(call?.body ?? "")).toEqual({ version: "1.0.0" });
  });

  it("sends no Authorization when anonymous", async () => {
    const { pool, client, calls } = setup({ token: undefined });
    pool.intercept({ path: `${VERSIONS}/latest` }).reply(404, "");

    await client.getPackageVersion(PACKAGE, "latest");

    expect(calls()[0]?.headers).not.toHaveProperty("authorization");
  });

  it("refuses a cloud-url that is not an http(s) URL", () => {
    expect(() => setup({ cloudUrl: "api.pulumi.com" })).toThrow(InputError);
    expect(() => setup({ cloudUrl: "ftp://x.test" })).toThrow(
      'cloud-url "ftp://x.test" must start with https:// or http://',
    );
  });
});

describe("publish calls", () => {
  it("returns the start answer", async () => {
    const { pool, client } = setup();
    pool
      .intercept({ path: VERSIONS, method: "POST" })
      .reply(202, startAnswer(), jsonHeaders());

    const started = await client.startPublish(PACKAGE, { version: "1.0.0" });

    expect(started).toEqual(startAnswer());
  });

  it("raises ConflictError on a 409 start", async () => {
    const { pool, client } = setup();
    pool
      .intercept({ path: VERSIONS, method: "POST" })
      .reply(409, { code: 409, message: "version 1.0.0 exists" });

    const error = await client
      .startPublish(PACKAGE, { version: "1.0.0" })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).afterLostAnswer).toBe(false);
    expect((error as Error).message).toContain("version 1.0.0 exists");
  });

  it.each([
    [{ uploadURLs: startAnswer().uploadURLs }, "has no operationID"],
    [
      { operationID: "op", uploadURLs: { schema: "https://s.test/x" } },
      "lacks the upload URLs for index, installationConfiguration",
    ],
    [{ operationID: "op" }, "lacks the upload URLs for schema"],
  ])("raises ProtocolError on a bad start answer", async (body, problem) => {
    const { pool, client } = setup();
    pool.intercept({ path: VERSIONS, method: "POST" }).reply(202, body);

    const error = await client
      .startPublish(PACKAGE, { version: "1.0.0" })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain(problem);
  });

  it("checks a template start answer for its archive URL", async () => {
    const { pool, client } = setup();
    const answer = {
      operationID: "op-2",
      uploadURLs: { archive: "https://s.test/a?sig=1" },
      requiredHeaders: { "x-ms-blob-type": "BlockBlob" },
    };
    pool
      .intercept({ path: TEMPLATE_VERSIONS, method: "POST" })
      .reply(202, answer);

    expect(await client.startPublish(TEMPLATE, { version: "1.0.0" })).toEqual(
      answer,
    );
  });

  it("raises ProtocolError on an answer that is not JSON", async () => {
    const { pool, client } = setup();
    pool.intercept({ path: VERSIONS, method: "POST" }).reply(202, "<html>");

    await expect(
      client.startPublish(PACKAGE, { version: "1.0.0" }),
    ).rejects.toThrow(`The answer to POST ${VERSIONS} (HTTP 202) is not JSON`);
  });

  it("completes with the operation ID", async () => {
    const { pool, client, calls } = setup();
    pool
      .intercept({ path: `${VERSIONS}/1.0.0/complete`, method: "POST" })
      .reply(201, "");

    await client.completePublish(PACKAGE, "1.0.0", "op-1");

    expect(JSON.parse(calls()[0]?.body ?? "")).toEqual({ operationID: "op-1" });
  });
});

describe("reads and deletes", () => {
  it("gets a version, and undefined when absent", async () => {
    const { pool, client } = setup();
    pool
      .intercept({ path: `${VERSIONS}/latest` })
      .reply(200, packageMetadata("1.2.3"));
    pool.intercept({ path: `${TEMPLATE_VERSIONS}/9.9.9` }).reply(404, "");

    expect((await client.getPackageVersion(PACKAGE, "latest"))?.version).toBe(
      "1.2.3",
    );
    expect(await client.getTemplateVersion(TEMPLATE, "9.9.9")).toBeUndefined();
  });

  it("deletes, reports an absent version, and forces", async () => {
    const { pool, client, calls } = setup();
    pool
      .intercept({ path: `${VERSIONS}/1.0.0`, method: "DELETE" })
      .reply(204, "");
    pool
      .intercept({ path: `${VERSIONS}/2.0.0`, method: "DELETE" })
      .reply(404, "");
    pool
      .intercept({
        path: `${TEMPLATE_VERSIONS}/1.0.0?force=true`,
        method: "DELETE",
      })
      .reply(204, "");

    expect(await client.deleteVersion(PACKAGE, "1.0.0")).toBe("deleted");
    expect(await client.deleteVersion(PACKAGE, "2.0.0")).toBe("absent");
    expect(await client.deleteVersion(TEMPLATE, "1.0.0", { force: true })).toBe(
      "deleted",
    );
    expect(calls()[2]?.searchParams).toEqual({ force: "true" });
  });

  it("counts a 404 after a lost delete answer as deleted", async () => {
    const { pool, client } = setup();
    pool
      .intercept({ path: `${VERSIONS}/3.0.0`, method: "DELETE" })
      .reply(502, "");
    pool
      .intercept({ path: `${VERSIONS}/3.0.0`, method: "DELETE" })
      .reply(404, "");

    expect(await client.deleteVersion(PACKAGE, "3.0.0")).toBe("deleted");
  });

  it("lists packages and templates with a query", async () => {
    const { pool, client, calls } = setup();
    pool
      .intercept({ path: "/api/registry/packages?publisher=acme&limit=5" })
      .reply(200, { packages: [packageMetadata("1.0.0")] });
    pool
      .intercept({ path: "/api/registry/templates?search=aws+go" })
      .reply(200, { templates: [], continuationToken: "next" });

    const packages = await client.listPackages({
      publisher: "acme",
      limit: 5,
      name: undefined,
    });
    const templates = await client.listTemplates({ search: "aws go" });

    expect(packages.packages).toHaveLength(1);
    expect(templates.continuationToken).toBe("next");
    expect(calls()).toHaveLength(2);
  });

  it("raises ProtocolError on a list without its array", async () => {
    const { pool, client } = setup();
    pool.intercept({ path: "/api/registry/packages" }).reply(200, {});

    await expect(client.listPackages()).rejects.toThrow("has no packages list");
  });

  it("reads the default organization", async () => {
    const { pool, client } = setup();
    const path = "/api/user/organizations/default";
    pool.intercept({ path }).reply(200, { GitHubLogin: "acme" });
    pool.intercept({ path }).reply(404, "");

    expect(await client.getDefaultOrganization()).toBe("acme");
    expect(await client.getDefaultOrganization()).toBeUndefined();
  });
});

describe("token exchange", () => {
  const path = "/api/oauth/token";
  const form = {
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: "oidc-jwt",
  };

  it("posts a form without Authorization and returns the answer", async () => {
    const { pool, client, calls } = setup();
    pool
      .intercept({ path, method: "POST" })
      .reply(200, { access_token: "pul-new", expires_in: 3600 });

    const answer = await client.exchangeToken(form);

    expect(answer).toEqual({ access_token: "pul-new", expires_in: 3600 });
    const [call] = calls();
    expect(call?.headers).not.toHaveProperty("authorization");
    expect(call?.headers).toMatchObject({
      accept: "application/vnd.pulumi+8",
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": USER_AGENT,
    });
    expect(Object.fromEntries(new URLSearchParams(call?.body ?? ""))).toEqual(
      form,
    );
  });

  it("retries a 5xx and carries the OAuth error of a 4xx", async () => {
    const { pool, client, calls } = setup();
    pool.intercept({ path, method: "POST" }).reply(503, "");
    pool.intercept({ path, method: "POST" }).reply(400, {
      error: "invalid_request",
      error_description: "audience is not allowed",
    });

    const error = await client.exchangeToken(form).catch((e: unknown) => e);

    expect(calls()).toHaveLength(2);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).details.serverMessage).toBe(
      "invalid_request: audience is not allowed",
    );
  });

  it("raises ProtocolError without an access_token", async () => {
    const { pool, client } = setup();
    pool.intercept({ path, method: "POST" }).reply(200, { token: "x" });

    await expect(client.exchangeToken(form)).rejects.toThrow(ProtocolError);
  });
});

describe("error messages", () => {
  it("quote method, path, status, server message and request ID", async () => {
    const { pool, client } = setup();
    pool
      .intercept({ path: VERSIONS, method: "POST" })
      .reply(
        400,
        { code: 400, message: 'version "x" is not valid semver' },
        jsonHeaders("abc"),
      );

    const error = (await client
      .startPublish(PACKAGE, { version: "x" })
      .catch((e: unknown) => e)) as RegistryError;

    expect(error.message).toBe(
      `POST ${VERSIONS} failed: HTTP 400 Bad Request: ` +
        `version "x" is not valid semver (request ID abc)`,
    );
    expect(error.details).toEqual({
      method: "POST",
      path: VERSIONS,
      status: 400,
      serverCode: 400,
      serverMessage: 'version "x" is not valid semver',
      requestId: "abc",
    });
  });

  it("shortens a long server message and keeps the query out", async () => {
    const { pool, client } = setup();
    pool
      .intercept({ path: "/api/registry/packages?name=foo" })
      .reply(400, "x".repeat(5_000));

    const error = (await client
      .listPackages({ name: "foo" })
      .catch((e: unknown) => e)) as RegistryError;

    expect(error.details.path).toBe("/api/registry/packages");
    expect(error.details.serverMessage).toHaveLength(300);
    expect(error.message).not.toContain("name=foo");
  });

  it("tells what to do on 401 and 403", async () => {
    const { pool, client } = setup();
    pool.intercept({ path: `${VERSIONS}/1.0.0` }).reply(401, "");
    pool.intercept({ path: `${VERSIONS}/2.0.0` }).reply(403, "");

    await expect(client.getPackageVersion(PACKAGE, "1.0.0")).rejects.toThrow(
      "check that it is set, valid and not expired",
    );
    await expect(client.getPackageVersion(PACKAGE, "2.0.0")).rejects.toThrow(
      "lacks permission",
    );
  });
});

describe("redirects", () => {
  it("does not follow a redirect to another origin", async () => {
    const { agent, pool, client, calls } = setup();
    const other = agent.get("https://elsewhere.example.test");
    other.intercept({ path: "/steal" }).reply(200, packageMetadata("1.0.0"));
    pool.intercept({ path: `${VERSIONS}/1.0.0` }).reply(302, "", {
      headers: { location: "https://elsewhere.example.test/steal?x=1" },
    });

    const error = await client
      .getPackageVersion(PACKAGE, "1.0.0")
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toContain(
      "redirected to https://elsewhere.example.test/steal, which is not " +
        "followed; set cloud-url to the API's own address",
    );
    expect(calls().map((call) => call.origin)).toEqual([ORIGIN]);
    expect(agent.pendingInterceptors()).toHaveLength(1);
  });
});

describe("secrets", () => {
  it("never writes the token to a log line or an error", async () => {
    const { pool, client, logger } = setup();
    pool.intercept({ path: `${VERSIONS}/1.0.0` }).reply(503, "");
    pool
      .intercept({ path: `${VERSIONS}/1.0.0` })
      .replyWithError(networkError("ECONNRESET"));
    pool
      .intercept({ path: `${VERSIONS}/1.0.0` })
      .reply(401, { message: `token ${TOKEN} is revoked` });

    const error = (await client
      .getPackageVersion(PACKAGE, "1.0.0")
      .catch((e: unknown) => e)) as Error;

    expect(logger.lines.length).toBeGreaterThan(3);
    expect(logger.lines.join("\n")).not.toContain(TOKEN);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain("token *** is revoked");
  });

  it("logs one debug line per call with method, URL, status and time", async () => {
    const { pool, client, logger } = setup();
    pool.intercept({ path: "/api/registry/packages?name=foo" }).reply(200, {
      packages: [],
    });

    await client.listPackages({ name: "foo" });

    const calls = logger.lines.filter((line) => line.includes(" → "));
    expect(calls).toEqual([
      expect.stringMatching(
        new RegExp(
          `^debug: GET ${ORIGIN}/api/registry/packages → HTTP 200 ` +
            `\\(attempt 1/4, \\d+ ms\\)$`,
        ),
      ),
    ]);
  });
});

describe("proxy", () => {
  const names = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "NO_PROXY",
    "no_proxy",
  ];
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  const seen: string[] = [];

  afterEach(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("defaults to an EnvHttpProxyAgent, made at the first request", async () => {
    // undici stays unloaded until a request (the next test sends one).
    const dispatcher = createDefaultDispatcher();
    expect(dispatcher).not.toBeInstanceOf(EnvHttpProxyAgent);
    await expect(dispatcher.close()).resolves.toBeUndefined();
  });

  it("sends requests through HTTP_PROXY", async () => {
    const registry = await listen(
      createServer((request, response) => {
        seen.push(`${request.method} ${request.url}`);
        response.writeHead(404).end();
      }),
    );
    const proxy = await listen(createServer());
    proxy.server.on("connect", (request: IncomingMessage, socket: Duplex) => {
      seen.push(`CONNECT ${request.url}`);
      const upstream = connect(registry.port, "127.0.0.1", () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(socket).pipe(upstream);
      });
    });
    for (const name of names) delete process.env[name];
    process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;

    const client = new RegistryClient({
      cloudUrl: "http://registry.invalid",
      apiRoutes: "stable",
      maxAttempts: 1,
      requestTimeoutMs: 5_000,
      userAgent: USER_AGENT,
      logger: new MemoryLogger(),
    });
    const found = await client.getPackageVersion(PACKAGE, "1.0.0");
    await client.close();
    await Promise.all([registry.close(), proxy.close()]);

    expect(found).toBeUndefined();
    expect(seen).toEqual([
      "CONNECT registry.invalid:80",
      `GET ${VERSIONS}/1.0.0`,
    ]);
  });
});

async function listen(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { server, port, close };
}
