import { createHash } from "node:crypto";
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Artifact } from "../src/artifacts/files.js";
import {
  ActionError,
  ConflictError,
  ProtocolError,
  RegistryError,
} from "../src/errors.js";
import { MemoryLogger } from "../src/logger.js";
import {
  publishVersion,
  type PublishClient,
  type PublishRequest,
} from "../src/publish.js";
import type { PackageMetadata } from "../src/registry/types.js";

const dir = mkdtempSync(path.join(tmpdir(), "publish-test-"));
function artifact(name: Artifact["name"], content: string): Artifact {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  const sha256 = createHash("sha256").update(content).digest("hex");
  return {
    name,
    path: file,
    bytes: content.length,
    sha256,
    contentType: "text/plain",
  };
}

const schema = artifact("schema", '{"name":"acme","resources":{}}');
const index = artifact("index", "# acme\n");

function request(overrides: Partial<PublishRequest> = {}): PublishRequest {
  return {
    ref: {
      kind: "package",
      source: "private",
      publisher: "acme-org",
      name: "acme",
    },
    version: "1.2.3",
    artifacts: [schema, index],
    ifExists: "fail",
    tempDir: dir,
    ...overrides,
  };
}

const stored: PackageMetadata = {
  name: "acme",
  publisher: "acme-org",
  source: "private",
  version: "1.2.3",
  isFeatured: false,
  packageStatus: "ga",
  readmeURL: "https://storage.test/readme?sig=1",
  schemaURL: "https://storage.test/schema?sig=1",
  createdAt: "2024-01-02T03:04:05Z",
  visibility: "private",
};

type Step = () => unknown;

/** The answers of each call, in order; the last one repeats. */
interface Script {
  starts: Step[];
  uploads: Step[];
  completes: Step[];
  gets: Step[];
  downloads: Record<string, string>;
}

/** A client whose answers are scripted per call, recording every call. */
class ScriptedClient implements PublishClient {
  calls: string[] = [];
  starts: Step[] = [];
  uploads: Step[] = [];
  completes: Step[] = [];
  gets: Step[] = [];
  downloads: Record<string, string> = {};

  constructor(script: Partial<Script> = {}) {
    Object.assign(this, script);
  }

  private next(queue: Step[], name: string) {
    this.calls.push(name);
    const step = queue.length > 1 ? queue.shift()! : queue[0];
    if (!step) throw new Error(`no scripted answer for ${name}`);
    return step();
  }
  async startPublish() {
    return this.next(this.starts, "start") as never;
  }
  async upload(url: string) {
    this.next(this.uploads, `upload ${url}`);
  }
  async completePublish() {
    this.next(this.completes, "complete");
  }
  async getPackageVersion() {
    return this.next(this.gets, "get") as never;
  }
  async getTemplateVersion() {
    return this.next(this.gets, "get") as never;
  }
  async download(url: string, dest: string) {
    this.calls.push(`download ${url}`);
    copyFileSync(this.downloads[url], dest);
    const content = readFileSync(dest);
    return {
      bytes: content.length,
      sha256: createHash("sha256").update(content).digest("hex"),
    };
  }
}

const started = () => ({
  operationID: "op-1",
  uploadURLs: {
    schema: "u/schema",
    index: "u/index",
    installationConfiguration: "u/ic",
  },
});
const ok = () => undefined;
const fail = (error: Error) => () => {
  throw error;
};
const lost502 = new RegistryError("HTTP 502", {
  method: "POST",
  path: "/c",
  status: 502,
});

async function errorOf(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as Error,
  );
}

describe("publishVersion", () => {
  it("starts, uploads every artifact, completes and reads the version back", async () => {
    const client = new ScriptedClient({
      starts: [started],
      uploads: [ok],
      completes: [ok],
      gets: [() => stored],
    });
    const outcome = await publishVersion(client, request(), new MemoryLogger());
    expect(outcome).toEqual({
      status: "published",
      operationId: "op-1",
      publishedAt: "2024-01-02T03:04:05Z",
      message: "Published package private/acme-org/acme@1.2.3.",
    });
    expect(client.calls.sort()).toEqual([
      "complete",
      "get",
      "start",
      "upload u/index",
      "upload u/schema",
    ]);
  });

  it("fails on a 409 at start with if-exists fail, saying the version exists", async () => {
    const client = new ScriptedClient({
      starts: [fail(new ConflictError("409"))],
    });
    const error = await errorOf(
      publishVersion(client, request(), new MemoryLogger()),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(
      /package private\/acme-org\/acme@1.2.3 already exists/,
    );
    expect(client.calls).toEqual(["start"]);
  });

  it("skips on a 409 at start with if-exists skip, uploading nothing", async () => {
    const client = new ScriptedClient({
      starts: [fail(new ConflictError("409"))],
      gets: [() => stored],
    });
    const logger = new MemoryLogger();
    const outcome = await publishVersion(
      client,
      request({ ifExists: "skip" }),
      logger,
    );
    expect(outcome.status).toBe("skipped");
    expect(outcome.publishedAt).toBe(stored.createdAt);
    expect(client.calls).toEqual(["start", "get"]);
    expect(logger.lines).toContain(
      "warning: package private/acme-org/acme@1.2.3 already exists; skipping (if-exists: skip).",
    );
  });

  it("does not report a skip when the existing version cannot be read", async () => {
    const client = new ScriptedClient({
      starts: [fail(new ConflictError("409"))],
      gets: [() => undefined],
    });
    const error = await errorOf(
      publishVersion(client, request({ ifExists: "skip" }), new MemoryLogger()),
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/does not return it when asked for it/);
  });

  it("treats a first-try 409 at complete as a conflict", async () => {
    const client = new ScriptedClient({
      starts: [started],
      uploads: [ok],
      completes: [fail(new ConflictError("409", false))],
    });
    const error = await errorOf(
      publishVersion(client, request(), new MemoryLogger()),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(client.calls.filter((c) => c === "get")).toEqual([]);
  });

  it("confirms a 409 after a lost complete answer by reading the version", async () => {
    const client = new ScriptedClient({
      starts: [started],
      uploads: [ok],
      completes: [fail(new ConflictError("409", true))],
      gets: [() => stored],
    });
    const logger = new MemoryLogger();
    const outcome = await publishVersion(client, request(), logger);
    expect(outcome.status).toBe("published");
    expect(outcome.message).toMatch(/confirmed by reading it back/);
    expect(logger.lines).toContain(
      "Confirmed: the registry holds package private/acme-org/acme@1.2.3.",
    );
  });

  it("fails when a lost complete answer left no version behind", async () => {
    const client = new ScriptedClient({ starts: [started], uploads: [ok] });
    const notFound = new RegistryError("HTTP 404", {
      method: "POST",
      path: "/c",
      status: 404,
      afterLostAnswer: true,
    });
    client.completes = [fail(notFound)];
    client.gets = [() => undefined];
    const error = await errorOf(
      publishVersion(client, request(), new MemoryLogger()),
    );
    expect(error).toBe(notFound);
  });

  it("reports published when complete kept failing but the version is there", async () => {
    const client = new ScriptedClient({
      starts: [started],
      uploads: [ok],
      completes: [fail(lost502)],
      gets: [() => stored],
    });
    expect(
      (await publishVersion(client, request(), new MemoryLogger())).status,
    ).toBe("published");
  });

  it("reports the failure when complete kept failing and the version is absent", async () => {
    const client = new ScriptedClient({
      starts: [started],
      uploads: [ok],
      completes: [fail(lost502)],
      gets: [() => undefined],
    });
    expect(
      await errorOf(publishVersion(client, request(), new MemoryLogger())),
    ).toBe(lost502);
  });

  it("reads back when a final 429 followed a lost answer", async () => {
    const client = new ScriptedClient({ starts: [started], uploads: [ok] });
    const limited = new RegistryError("HTTP 429", {
      method: "POST",
      path: "/c",
      status: 429,
      afterLostAnswer: true,
    });
    client.completes = [fail(limited)];
    client.gets = [() => stored];
    const outcome = await publishVersion(client, request(), new MemoryLogger());
    expect(outcome.status).toBe("published");
  });

  it.each([500, 408])(
    "reads back after complete kept answering %i",
    async (status) => {
      const lost = new RegistryError(`HTTP ${status}`, {
        method: "POST",
        path: "/c",
        status,
      });
      const client = new ScriptedClient({
        starts: [started],
        uploads: [ok],
        completes: [fail(lost)],
        gets: [() => stored],
      });
      const outcome = await publishVersion(
        client,
        request(),
        new MemoryLogger(),
      );
      expect(outcome.status).toBe("published");
    },
  );

  it("says the outcome is unknown when the read-back fails as well", async () => {
    const client = new ScriptedClient({
      starts: [started],
      uploads: [ok],
      completes: [fail(lost502)],
      gets: [fail(new RegistryError("reset", { method: "GET", path: "/g" }))],
    });
    const error = await errorOf(
      publishVersion(client, request(), new MemoryLogger()),
    );
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).code).toBe("unknown-outcome");
    expect(error.message).toMatch(
      /^Whether package private\/acme-org\/acme@1\.2\.3 was published is unknown: .*rerun the job with "if-exists: verify"/,
    );
  });

  it("does not read back after a 400 at complete", async () => {
    const client = new ScriptedClient({ starts: [started], uploads: [ok] });
    const bad = new RegistryError("HTTP 400", {
      method: "POST",
      path: "/c",
      status: 400,
    });
    client.completes = [fail(bad)];
    expect(
      await errorOf(publishVersion(client, request(), new MemoryLogger())),
    ).toBe(bad);
    expect(client.calls).not.toContain("get");
  });

  it("restarts from the start call when storage refuses an upload, at most twice", async () => {
    const client = new ScriptedClient({ starts: [started] });
    const refused = new RegistryError("HTTP 403", {
      method: "PUT",
      path: "/u",
      status: 403,
      storage: true,
    });
    client.uploads = [fail(refused)];
    const error = await errorOf(
      publishVersion(client, request(), new MemoryLogger()),
    );
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toMatch(
      /^Storage refused the uploads of 3 publish attempts, each with fresh upload URLs \(last: HTTP 403\)/,
    );
    expect((error as RegistryError).status).toBe(403);
    expect(client.calls.filter((c) => c === "start")).toHaveLength(3);
    expect(client.calls).not.toContain("complete");
  });

  it("publishes after one refused upload once a fresh start gives new URLs", async () => {
    const client = new ScriptedClient({ starts: [started] });
    const refused = new RegistryError("HTTP 403", {
      method: "PUT",
      path: "/u",
      status: 403,
      storage: true,
    });
    client.uploads = [fail(refused), ok];
    client.completes = [ok];
    client.gets = [() => stored];
    expect(
      (await publishVersion(client, request(), new MemoryLogger())).status,
    ).toBe("published");
    expect(client.calls.filter((c) => c === "start")).toHaveLength(2);
  });

  it("fails when complete succeeded but the version cannot be read", async () => {
    const client = new ScriptedClient({
      starts: [started],
      uploads: [ok],
      completes: [ok],
      gets: [() => undefined],
    });
    expect(
      await errorOf(publishVersion(client, request(), new MemoryLogger())),
    ).toBeInstanceOf(ProtocolError);
  });

  it("rejects a start answer without a needed upload URL", async () => {
    const client = new ScriptedClient();
    client.starts = [
      () => ({ operationID: "op", uploadURLs: { schema: "u/s" } }),
    ];
    const error = await errorOf(
      publishVersion(client, request(), new MemoryLogger()),
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/no upload URL for index/);
  });
});

describe("if-exists: verify", () => {
  const published = mkdtempSync(path.join(tmpdir(), "published-"));
  function servedCopy(name: string, content: string) {
    const file = path.join(published, name);
    writeFileSync(file, content);
    return file;
  }

  it("skips when the published files are identical", async () => {
    const client = new ScriptedClient({
      starts: [fail(new ConflictError("409"))],
      gets: [() => stored],
    });
    client.downloads = {
      [stored.schemaURL]: schema.path,
      [stored.readmeURL]: index.path,
    };
    const outcome = await publishVersion(
      client,
      request({ ifExists: "verify" }),
      new MemoryLogger(),
    );
    expect(outcome.status).toBe("skipped");
    expect(outcome.message).toBe(
      "package private/acme-org/acme@1.2.3 already exists with identical schema, index; skipped.",
    );
  });

  it("accepts a schema stored re-serialized with the same value", async () => {
    const client = new ScriptedClient({
      starts: [fail(new ConflictError("409"))],
      gets: [() => stored],
    });
    client.downloads = {
      [stored.schemaURL]: servedCopy(
        "reserialized.json",
        '{\n  "resources": {},\n  "name": "acme"\n}',
      ),
      [stored.readmeURL]: index.path,
    };
    const outcome = await publishVersion(
      client,
      request({ ifExists: "verify" }),
      new MemoryLogger(),
    );
    expect(outcome.status).toBe("skipped");
  });

  it("says which artifact it could not compare", async () => {
    const client = new ScriptedClient({
      starts: [fail(new ConflictError("409"))],
      gets: [() => stored],
    });
    client.downloads = {
      [stored.schemaURL]: schema.path,
      [stored.readmeURL]: index.path,
    };
    const installation = artifact("installationConfiguration", "# install\n");
    const logger = new MemoryLogger();
    const outcome = await publishVersion(
      client,
      request({ ifExists: "verify", artifacts: [schema, index, installation] }),
      logger,
    );
    expect(outcome.message).toMatch(
      /identical schema, index \(installationConfiguration not compared: the registry offers no download of it\)/,
    );
    expect(
      logger.lines.some((l) =>
        l.startsWith("warning: installationConfiguration"),
      ),
    ).toBe(true);
  });

  it("fails when the registry gives no URL to compare with", async () => {
    const client = new ScriptedClient({
      starts: [fail(new ConflictError("409"))],
      gets: [() => ({ ...stored, readmeURL: "" })],
      downloads: { [stored.schemaURL]: schema.path },
    });
    const error = await errorOf(
      publishVersion(
        client,
        request({ ifExists: "verify" }),
        new MemoryLogger(),
      ),
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/no download URL for its index/);
  });

  it("fails naming the artifact whose content differs", async () => {
    const client = new ScriptedClient({
      starts: [fail(new ConflictError("409"))],
      gets: [() => stored],
    });
    client.downloads = {
      [stored.schemaURL]: schema.path,
      [stored.readmeURL]: servedCopy("other-index.md", "# other\n"),
    };
    const error = await errorOf(
      publishVersion(
        client,
        request({ ifExists: "verify" }),
        new MemoryLogger(),
      ),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/different content \(index differ\)/);
  });
});
