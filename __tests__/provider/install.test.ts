/**
 * The real install path: a release archive built here, served from
 * 127.0.0.1, downloaded, extracted and cached by @actions/tool-cache.
 */
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from "vitest";
import { ProviderError } from "../../src/errors.js";
import { MemoryLogger } from "../../src/logger.js";
import { findOnPath, findOrInstallPulumi } from "../../src/provider/install.js";
import { DOWNLOAD_BASE_VARIABLE } from "../../src/provider/release.js";
import {
  archivePath,
  buildStandInArchive,
  startReleaseServer,
  writeStandIn,
  type ReleaseServer,
} from "../helpers/pulumi-stand-in.js";

const VERSION = "3.150.0";
const saved = { ...process.env };
let server: ReleaseServer;

beforeAll(async () => {
  server = await startReleaseServer({
    "/releases/latest-version": `v${VERSION}\n`,
    [archivePath(VERSION)]: await buildStandInArchive("pulumi/bin"),
    [archivePath("3.151.0")]: await buildStandInArchive("pulumi"),
    [archivePath("3.152.0")]: Buffer.from("not an archive"),
  });
});
afterAll(() => server.close());

/** A runner with an empty tool cache and no `pulumi` on PATH. */
function freshRunner() {
  const root = mkdtempSync(path.join(tmpdir(), "install-test-"));
  process.env.RUNNER_TOOL_CACHE = path.join(root, "tool-cache");
  process.env.RUNNER_TEMP = path.join(root, "temp");
  process.env.PATH = "/usr/bin:/bin";
  process.env[DOWNLOAD_BASE_VARIABLE] = server.url;
  return process.env.RUNNER_TOOL_CACHE;
}

beforeEach(() => {
  server.requests.length = 0;
});
afterEach(() => {
  process.env = { ...saved };
});

function install(version: string, added: string[] = []) {
  const logger = new MemoryLogger();
  const result = findOrInstallPulumi({
    version,
    addPath: (dir) => added.push(dir),
    logger,
  });
  return { result, logger, added };
}

describe("findOrInstallPulumi", () => {
  it("downloads the latest release, caches it and adds it to PATH", async () => {
    const toolCache = freshRunner();
    const { result, logger, added } = install("latest");
    const cli = await result;

    const cached = path.join(toolCache, "pulumi", VERSION, process.arch);
    expect(cli).toEqual({
      path: path.join(cached, "pulumi"),
      origin: "download",
      version: VERSION,
    });
    expect(added).toEqual([cached]);
    expect(existsSync(`${cached}.complete`)).toBe(true);
    expect(statSync(cli.path).mode & 0o111).not.toBe(0);
    expect(readdirSync(cached).sort()).toEqual([
      "pulumi",
      "random-parameterized.json",
      "random.json",
    ]);
    expect(server.requests).toEqual([
      "/releases/latest-version",
      archivePath(VERSION),
    ]);
    expect(logger.lines).toContain(
      `The latest Pulumi CLI is ${VERSION} (from ${server.url}/latest-version).`,
    );
  });

  it("uses the tool cache on the second run, without downloading", async () => {
    const toolCache = freshRunner();
    await install(VERSION).result;
    server.requests.length = 0;

    const { result, logger, added } = install(VERSION);
    const cli = await result;

    const cached = path.join(toolCache, "pulumi", VERSION, process.arch);
    expect(cli.origin).toBe("tool cache");
    expect(added).toEqual([cached]);
    expect(server.requests).toEqual([]);
    expect(logger.lines).toContain(
      `Using the Pulumi CLI ${VERSION} from the tool cache: ${cached}`,
    );
  });

  it("accepts the pulumi/pulumi layout of Linux and macOS releases", async () => {
    const toolCache = freshRunner();
    const cli = await install("3.151.0").result;
    expect(cli.path).toBe(
      path.join(toolCache, "pulumi", "3.151.0", process.arch, "pulumi"),
    );
    expect(existsSync(cli.path)).toBe(true);
  });

  it("prefers the pulumi already on PATH and downloads nothing", async () => {
    freshRunner();
    const bin = mkdtempSync(path.join(tmpdir(), "path-"));
    const script = writeStandIn(bin);
    process.env.PATH = `${bin}${path.delimiter}/usr/bin`;

    const { result, added, logger } = install("latest");
    expect(await result).toEqual({ path: script, origin: "PATH" });
    expect(added).toEqual([]);
    expect(server.requests).toEqual([]);
    expect(logger.lines).toEqual([`Using the Pulumi CLI on PATH: ${script}`]);
  });

  it("names the version and URL when the release does not exist", async () => {
    freshRunner();
    const error = await install("9.9.9").result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe(
      `Could not download the Pulumi CLI 9.9.9 from ${server.url}` +
        `${archivePath("9.9.9").replace("/releases", "")} (HTTP 404). ` +
        'Check "pulumi-version": it must be a released version.',
    );
  });

  it("fails clearly off a runner, where there is no tool cache", async () => {
    freshRunner();
    delete process.env.RUNNER_TOOL_CACHE;
    await expect(install(VERSION).result).rejects.toThrow(
      /not on PATH, and RUNNER_TOOL_CACHE or RUNNER_TEMP is not set/,
    );
    expect(server.requests).toEqual([]);
  });

  it("does not cache an archive that cannot be extracted", async () => {
    const toolCache = freshRunner();
    await expect(install("3.152.0").result).rejects.toThrow(
      `Could not extract the Pulumi CLI archive from ${server.url}` +
        `${archivePath("3.152.0").replace("/releases", "")}: `,
    );
    expect(existsSync(path.join(toolCache, "pulumi", "3.152.0"))).toBe(false);
  });
});

describe("findOnPath", () => {
  it("finds only executable files", () => {
    const bin = mkdtempSync(path.join(tmpdir(), "path-"));
    const script = writeStandIn(bin);
    expect(findOnPath("pulumi", { PATH: `/nowhere:${bin}` }, "linux")).toBe(
      script,
    );
    expect(findOnPath("random.json", { PATH: bin }, "linux")).toBeUndefined();
    expect(findOnPath("pulumi", { PATH: "" }, "linux")).toBeUndefined();
  });
});
