/** Shared set-up for the registry tests: a client on a MockAgent. */
import { MockAgent } from "undici";

import { MemoryLogger } from "../../src/logger.js";
import {
  RegistryClient,
  type RegistryClientOptions,
} from "../../src/registry/client.js";
import type { EntryRef } from "../../src/registry/types.js";

export const ORIGIN = "https://api.example.test";
export const TOKEN = "pul-secret-token-0123456789";
export const USER_AGENT = "pulumi-registry-publish/0.0.0-test";

export const PACKAGE: EntryRef = {
  kind: "package",
  source: "private",
  publisher: "acme",
  name: "foo",
};

export const TEMPLATE: EntryRef = {
  kind: "template",
  source: "private",
  publisher: "acme",
  name: "starter",
};

/** A client wired to a MockAgent, with a fake clock and recorded waits. */
export function setup(overrides: Partial<RegistryClientOptions> = {}) {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  const logger = new MemoryLogger();
  const waits: number[] = [];
  let clock = Date.parse("2025-01-01T00:00:00Z");
  const client = new RegistryClient({
    cloudUrl: ORIGIN,
    token: TOKEN,
    apiRoutes: "stable",
    maxAttempts: 4,
    requestTimeoutMs: 5_000,
    userAgent: USER_AGENT,
    logger,
    dispatcher: agent,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    now: () => clock,
    ...overrides,
  });
  const calls = () => agent.getCallHistory()?.calls() ?? [];
  return { agent, pool: agent.get(ORIGIN), client, logger, waits, calls };
}

/** A network error as Node raises it, with its `code`. */
export function networkError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

/** JSON reply options, with a request ID header. */
export function jsonHeaders(requestId = "req-123") {
  return {
    headers: {
      "content-type": "application/json",
      "x-pulumi-request-id": requestId,
    },
  };
}

/** A minimal package version, as the get endpoint answers. */
export function packageMetadata(version: string) {
  return {
    name: "foo",
    publisher: "acme",
    source: "private",
    version,
    isFeatured: false,
    packageStatus: "ga",
    readmeURL: "https://storage.example.test/readme",
    schemaURL: "https://storage.example.test/schema",
    createdAt: "2025-01-01T00:00:00Z",
    visibility: "private",
  };
}

/** A valid start answer for a package. */
export function startAnswer() {
  return {
    operationID: "op-1",
    uploadURLs: {
      schema: "https://storage.example.test/s?X-Signature=abc",
      index: "https://storage.example.test/i?X-Signature=abc",
      installationConfiguration: "https://storage.example.test/c?sig=abc",
    },
  };
}
