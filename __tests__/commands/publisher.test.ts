import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolvePublisher } from "../../src/commands/publisher.js";
import { parseSettings } from "../../src/inputs.js";
import { MemoryLogger } from "../../src/logger.js";

const workspace = mkdtempSync(path.join(tmpdir(), "publisher-test-"));

function settingsOf(inputs: Record<string, string>) {
  return parseSettings((name) => inputs[name] ?? "", {
    GITHUB_WORKSPACE: workspace,
  });
}

/** A client whose token's owner belongs by default to `organization`. */
function clientOf(organization?: string) {
  const calls: string[] = [];
  return {
    calls,
    getDefaultOrganization: async () => {
      calls.push("GET /api/user/organizations/default");
      return organization;
    },
  };
}

describe("resolvePublisher", () => {
  it("takes the publisher input first", async () => {
    const client = clientOf("from-token");
    const settings = settingsOf({
      publisher: "acme",
      "oidc-organization": "oidc-org",
      "access-token": "t",
    });
    expect(await resolvePublisher(settings, client, new MemoryLogger())).toBe(
      "acme",
    );
    expect(client.calls).toEqual([]);
  });

  it("falls back to oidc-organization without asking the registry", async () => {
    const client = clientOf("from-token");
    const logger = new MemoryLogger();
    const settings = settingsOf({ "oidc-organization": "oidc-org" });
    expect(await resolvePublisher(settings, client, logger)).toBe("oidc-org");
    expect(client.calls).toEqual([]);
    expect(logger.lines).toEqual([
      'Publisher "oidc-org" (from "oidc-organization").',
    ]);
  });

  it("then asks for the token's default organization", async () => {
    const client = clientOf("from-token");
    const logger = new MemoryLogger();
    const settings = settingsOf({ "access-token": "t" });
    expect(await resolvePublisher(settings, client, logger)).toBe("from-token");
    expect(client.calls).toHaveLength(1);
    expect(logger.lines).toEqual([
      `Publisher "from-token" (the token's default organization).`,
    ]);
  });

  it("gives none without a token, so a dry run can still ask for it", async () => {
    const client = clientOf("from-token");
    expect(
      await resolvePublisher(settingsOf({}), client, new MemoryLogger()),
    ).toBeUndefined();
    expect(client.calls).toEqual([]);
  });

  it("gives none for list, where no publisher means no filter", async () => {
    const client = clientOf("from-token");
    const settings = settingsOf({
      command: "list",
      "oidc-organization": "oidc-org",
      "access-token": "t",
    });
    expect(
      await resolvePublisher(settings, client, new MemoryLogger()),
    ).toBeUndefined();
    expect(client.calls).toEqual([]);
  });

  it("gives none when the token's owner has no default organization", async () => {
    const settings = settingsOf({ "access-token": "t" });
    expect(
      await resolvePublisher(settings, clientOf(), new MemoryLogger()),
    ).toBeUndefined();
  });
});
