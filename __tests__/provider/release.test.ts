import { describe, expect, it } from "vitest";
import { ProviderError } from "../../src/errors.js";
import {
  archiveUrl,
  DOWNLOAD_BASE_VARIABLE,
  latestVersionUrl,
  parseLatestVersion,
  platformOf,
} from "../../src/provider/release.js";

describe("platformOf", () => {
  it.each([
    ["linux", "x64", { os: "linux", arch: "x64" }],
    ["linux", "arm64", { os: "linux", arch: "arm64" }],
    ["darwin", "arm64", { os: "darwin", arch: "arm64" }],
    ["win32", "x64", { os: "windows", arch: "x64" }],
  ])("names %s/%s as Pulumi's releases do", (platform, arch, expected) => {
    expect(platformOf(platform, arch)).toEqual(expected);
  });

  it("refuses a platform Pulumi does not release for", () => {
    expect(() => platformOf("freebsd", "x64")).toThrow(ProviderError);
    expect(() => platformOf("linux", "ia32")).toThrow(
      /no CLI release for linux\/ia32.*`pulumi` is on PATH/,
    );
  });
});

describe("archiveUrl", () => {
  const env = {};

  it("points at get.pulumi.com, tar.gz for Linux and macOS", () => {
    expect(archiveUrl("3.150.0", { os: "linux", arch: "x64" }, env)).toBe(
      "https://get.pulumi.com/releases/sdk/pulumi-v3.150.0-linux-x64.tar.gz",
    );
    expect(archiveUrl("3.150.0", { os: "darwin", arch: "arm64" }, env)).toBe(
      "https://get.pulumi.com/releases/sdk/pulumi-v3.150.0-darwin-arm64.tar.gz",
    );
  });

  it("uses a zip for Windows", () => {
    expect(archiveUrl("3.150.0", { os: "windows", arch: "x64" }, env)).toBe(
      "https://get.pulumi.com/releases/sdk/pulumi-v3.150.0-windows-x64.zip",
    );
  });

  it("takes both URLs from a mirror when one is set", () => {
    const mirror = { [DOWNLOAD_BASE_VARIABLE]: "http://127.0.0.1:9/sdk/" };
    expect(archiveUrl("3.1.0", { os: "linux", arch: "x64" }, mirror)).toBe(
      "http://127.0.0.1:9/sdk/pulumi-v3.1.0-linux-x64.tar.gz",
    );
    expect(latestVersionUrl(mirror)).toBe(
      "http://127.0.0.1:9/sdk/latest-version",
    );
    expect(latestVersionUrl(env)).toBe("https://www.pulumi.com/latest-version");
  });
});

describe("parseLatestVersion", () => {
  it("reads a version with or without a v and a newline", () => {
    expect(parseLatestVersion("3.150.0\n", "u")).toBe("3.150.0");
    expect(parseLatestVersion("v3.150.0", "u")).toBe("3.150.0");
  });

  it("says what it got when it is no version", () => {
    expect(() =>
      parseLatestVersion("<html>", "https://www.pulumi.com/latest-version"),
    ).toThrow(
      'https://www.pulumi.com/latest-version did not give a version (it gave "<html>"). ' +
        'Set "pulumi-version" to a version such as "3.150.0".',
    );
  });
});
