import {
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { create as createTar } from "tar";
import { afterEach } from "vitest";
import {
  startLocalRegistry,
  type LocalRegistry,
  type LocalRegistryOptions,
} from "../../src/local-registry/index.js";

export const FIXTURES = "/work/shared/fixtures/real";

const running: LocalRegistry[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((registry) => registry.close()));
  for (const folder of folders.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
});

/** Starts a registry that is closed after the test. */
export async function startRegistry(
  options: LocalRegistryOptions = {},
): Promise<LocalRegistry> {
  const registry = await startLocalRegistry({ tokens: ["t0k"], ...options });
  running.push(registry);
  return registry;
}

/** A temporary folder removed after the test. */
export function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "local-registry-test-"));
  folders.push(folder);
  return folder;
}

interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls the API; `token: ""` sends no Authorization header. */
export async function call(
  registry: LocalRegistry,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  const token = options.token ?? registry.tokens[0];
  const headers: Record<string, string> = { ...options.headers };
  if (token) headers.authorization = `token ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${registry.apiUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

/** `/api/registry/<collection>/<source>/<publisher>/<name>/versions`. */
export function versionsPath(
  kind: "packages" | "templates",
  source: string,
  publisher: string,
  name: string,
): string {
  return `/api/registry/${kind}/${source}/${publisher}/${name}/versions`;
}

export interface StartAnswer {
  operationID: string;
  uploadURLs: Record<string, string>;
  requiredHeaders?: Record<string, string>;
}

/** Starts a publish and returns the 202 answer. */
export async function startPublish(
  registry: LocalRegistry,
  path: string,
  body: Record<string, unknown>,
): Promise<StartAnswer> {
  const response = await call(registry, "POST", path, { body });
  if (response.status !== 202) {
    throw new Error(`start: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as StartAnswer;
}

/** PUTs bytes to a pre-signed URL. */
export function upload(
  url: string,
  bytes: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, { method: "PUT", body: bytes, headers });
}

/** Artifacts of a package version. */
export interface PackageFiles {
  schema: Buffer | string;
  index: Buffer | string;
  installationConfiguration?: Buffer | string;
}

/** A tiny schema named `name`, with extra fields merged in. */
export function schemaOf(name: string, extra: object = {}): string {
  return JSON.stringify({ name, ...extra });
}

/** Starts, uploads every given artifact, completes; answers the complete. */
export async function publishPackage(
  registry: LocalRegistry,
  ref: { source: string; publisher: string; name: string; version: string },
  files: PackageFiles = { schema: schemaOf(ref.name), index: "# readme" },
): Promise<Response> {
  const path = versionsPath("packages", ref.source, ref.publisher, ref.name);
  const started = await startPublish(registry, path, { version: ref.version });
  for (const [artifact, bytes] of Object.entries(files)) {
    const response = await upload(started.uploadURLs[artifact], bytes);
    if (response.status !== 200) throw new Error(`upload ${artifact} failed`);
  }
  return call(registry, "POST", `${path}/${ref.version}/complete`, {
    body: { operationID: started.operationID },
  });
}

/** Start, upload the archive, complete; returns the complete answer. */
export async function publishTemplate(
  registry: LocalRegistry,
  ref: { publisher: string; name: string; version: string },
  archive: Buffer,
): Promise<Response> {
  const path = versionsPath("templates", "private", ref.publisher, ref.name);
  const started = await startPublish(registry, path, { version: ref.version });
  const uploaded = await upload(started.uploadURLs.archive, archive);
  if (uploaded.status !== 200) throw new Error("archive upload failed");
  return call(registry, "POST", `${path}/${ref.version}/complete`, {
    body: { operationID: started.operationID },
  });
}

/** A .tar.gz holding `files` (path to content). */
export async function tarGz(files: Record<string, string>): Promise<Buffer> {
  const folder = tempFolder();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  const chunks: Buffer[] = [];
  const stream = createTar({ gzip: true, cwd: folder }, Object.keys(files));
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** A minimal template project file. */
export const TEMPLATE_PROJECT = [
  "name: ${PROJECT}",
  "description: ${DESCRIPTION}",
  "runtime: yaml",
  "template:",
  "  description: A small test template",
  "",
].join("\n");

/** Reads a fixture file as bytes. */
export function fixture(path: string): Buffer {
  return readFileSync(join(FIXTURES, path));
}
