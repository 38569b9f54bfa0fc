import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  planUnpublish,
  runUnpublish,
  unpublishVersion,
  type UnpublishClient,
  type UnpublishRequest,
} from "../../src/commands/unpublish.js";
import { InputError, ProtocolError, RegistryError } from "../../src/errors.js";
import { MemoryLogger } from "../../src/logger.js";
import type { PackageMetadata } from "../../src/registry/types.js";
import { settingsFor } from "./helpers.js";

const packageRequest: UnpublishRequest = {
  ref: { kind: "package", source: "private", publisher: "acme", name: "pkg" },
  version: "1.2.3",
  force: false,
};
const templateRequest: UnpublishRequest = {
  ref: { kind: "template", source: "private", publisher: "acme", name: "tpl" },
  version: "1.0.0",
  force: false,
};
const stored = {
  name: "pkg",
  version: "1.2.3",
  createdAt: "2024-01-02T03:04:05Z",
} as PackageMetadata;

/** A client whose reads answer `reads` in turn (undefined: absent). */
function client(
  deleteResult: () => Promise<"deleted" | "absent">,
  reads: (PackageMetadata | undefined)[] = [undefined],
) {
  let read = 0;
  // Either kind's read: the stub serves both getters.
  const get = vi.fn(
    async () => reads[Math.min(read++, reads.length - 1)] as never,
  );
  return {
    deleteVersion: vi.fn(deleteResult),
    getPackageVersion: get,
    getTemplateVersion: get,
  } satisfies UnpublishClient;
}

function refusal(status: number): RegistryError {
  return new RegistryError(`DELETE ... answered ${status}`, {
    method: "DELETE",
    path: "/api/registry/templates/private/acme/tpl/versions/1.0.0",
    status,
    serverMessage: "last version: pass force=true",
  });
}

describe("unpublishVersion", () => {
  it("deletes, then reads the version back to confirm it is gone", async () => {
    const stub = client(async () => "deleted");
    const logger = new MemoryLogger();
    const outcome = await unpublishVersion(stub, packageRequest, logger);
    expect(outcome).toEqual({
      status: "unpublished",
      message: "Unpublished package private/acme/pkg@1.2.3.",
    });
    expect(stub.deleteVersion).toHaveBeenCalledWith(
      packageRequest.ref,
      "1.2.3",
      { force: false },
    );
    expect(stub.getPackageVersion).toHaveBeenCalledTimes(1);
    expect(logger.lines).toContain(
      "Deleted package private/acme/pkg@1.2.3; reading it back to confirm.",
    );
  });

  it("reports an absent version without reading it back", async () => {
    const stub = client(async () => "absent");
    const outcome = await unpublishVersion(
      stub,
      packageRequest,
      new MemoryLogger(),
    );
    expect(outcome.status).toBe("absent");
    expect(outcome.message).toContain("is not in the registry");
    expect(stub.getPackageVersion).not.toHaveBeenCalled();
  });

  it("waits for a stale read, then passes once the version is gone", async () => {
    const stub = client(async () => "deleted", [stored, undefined]);
    const sleep = vi.fn(async () => {});
    const outcome = await unpublishVersion(
      stub,
      packageRequest,
      new MemoryLogger(),
      { sleep },
    );
    expect(outcome.status).toBe("unpublished");
    expect(sleep).toHaveBeenCalledWith(1_000);
  });

  it("fails when the version is still there after every read", async () => {
    const stub = client(async () => "deleted", [stored]);
    const sleep = vi.fn(async () => {});
    const error = await unpublishVersion(
      stub,
      packageRequest,
      new MemoryLogger(),
      { attempts: 3, sleep },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain(
      "still returns the version after 3 reads",
    );
    expect(stub.getPackageVersion).toHaveBeenCalledTimes(3);
    expect(sleep.mock.calls).toEqual([[1_000], [2_000]]);
  });

  it("explains a 400 on a template delete without force as its last version", async () => {
    const stub = client(() => Promise.reject(refusal(400)));
    const error = await unpublishVersion(
      stub,
      templateRequest,
      new MemoryLogger(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location.input).toBe("force");
    expect((error as Error).message).toBe(
      "The registry refused to delete template private/acme/tpl@1.0.0 " +
        "(HTTP 400: last version: pass force=true). A template's last " +
        'version can only be deleted with "force: true", which deletes the ' +
        'template as well. Set "force: true" if that is what you want.',
    );
  });

  it.each([
    ["a template delete with force", { ...templateRequest, force: true }, 400],
    ["a package delete", packageRequest, 400],
    ["another status", templateRequest, 403],
  ])("passes the registry's error on for %s", async (_, request, status) => {
    const refused = refusal(status);
    const stub = client(() => Promise.reject(refused));
    await expect(
      unpublishVersion(stub, request, new MemoryLogger()),
    ).rejects.toBe(refused);
  });
});

describe("planUnpublish", () => {
  it("says what would be deleted without credentials, sending nothing", async () => {
    const stub = client(async () => "deleted");
    const outcome = await planUnpublish(stub, packageRequest, false);
    expect(outcome).toEqual({
      status: "dry-run",
      message:
        "Dry run: package private/acme/pkg@1.2.3 would be deleted. No " +
        "credentials were given, so whether it exists was not checked.",
    });
    expect(stub.getPackageVersion).not.toHaveBeenCalled();
    expect(stub.deleteVersion).not.toHaveBeenCalled();
  });

  it("names the publish time of an existing version", async () => {
    const stub = client(async () => "deleted", [stored]);
    const outcome = await planUnpublish(stub, packageRequest, true);
    expect(outcome.message).toBe(
      "Dry run: package private/acme/pkg@1.2.3 (published " +
        "2024-01-02T03:04:05Z) would be deleted.",
    );
    expect(stub.deleteVersion).not.toHaveBeenCalled();
  });

  it("warns that a template's last version needs force", async () => {
    const stub = client(async () => "deleted", [stored]);
    const outcome = await planUnpublish(stub, templateRequest, true);
    expect(outcome.message).toContain(
      'If it is the template\'s last version, the delete needs "force: true".',
    );
  });

  it("says nothing would be deleted when the version is absent", async () => {
    const stub = client(async () => "deleted");
    const outcome = await planUnpublish(stub, packageRequest, true);
    expect(outcome.message).toBe(
      "Dry run: package private/acme/pkg@1.2.3 is not in the registry; " +
        "nothing would be deleted.",
    );
  });
});

describe("runUnpublish", () => {
  it("needs the version input, never the tag or package.json", async () => {
    const settings = settingsFor(
      { command: "unpublish", publisher: "acme", name: "pkg" },
      { PULUMI_ACCESS_TOKEN: "pul-test-token", GITHUB_REF: "refs/tags/v1.2.3" },
    );
    writeFileSync(
      path.join(settings.workingDirectory, "package.json"),
      '{"version":"1.2.3"}',
    );
    const error = await runUnpublish(settings, new MemoryLogger()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location).toEqual({ input: "version" });
    expect((error as InputError).message).toBe(
      'Input "version" is required by "command: unpublish", which needs ' +
        "the exact version to delete. It is never taken from the tag or a " +
        'version file. Set it, such as "1.2.3".',
    );
  });

  it("refuses a version input that is not exact semver", async () => {
    const settings = settingsFor({
      command: "unpublish",
      publisher: "acme",
      name: "pkg",
      version: "1.2",
    });
    const error = await runUnpublish(settings, new MemoryLogger()).catch(
      (e: unknown) => e,
    );
    expect((error as InputError).location).toEqual({ input: "version" });
    expect((error as InputError).message).toContain("not a semantic version");
  });
});
