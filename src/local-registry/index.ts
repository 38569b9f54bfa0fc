import { randomBytes } from "node:crypto";
import type { RegistryContext } from "./context.js";
import { FaultInjector } from "./faults.js";
import { routeApi } from "./routes.js";
import { startOrigin, type OriginServer } from "./server.js";
import { createUrlSigner } from "./signing.js";
import { RegistryState } from "./state.js";
import { routeStorage } from "./storage-handlers.js";
import type {
  EntryKind,
  LocalRegistry,
  LocalRegistryOptions,
} from "./types.js";

export type {
  FaultOptions,
  FaultRoute,
  LocalRegistry,
  LocalRegistryOptions,
  OidcOptions,
  RecordedRequest,
} from "./types.js";

/**
 * Starts a loopback registry: an API origin that behaves like the Pulumi
 * registry service and a second origin for pre-signed artifact storage.
 */
export async function startLocalRegistry(
  options: LocalRegistryOptions = {},
): Promise<LocalRegistry> {
  const host = options.host ?? "127.0.0.1";
  let storageUrl = "";
  const ctx = createContext(options, () => storageUrl);
  const storage = await startOrigin(
    "storage",
    host,
    options.storagePort ?? 0,
    ctx,
    (call) => {
      const route = routeStorage(call);
      return { fault: route.upload ? "upload" : undefined, ...route };
    },
  );
  storageUrl = storage.url;

  const families = {
    stable: options.routes?.stable ?? true,
    preview: options.routes?.preview ?? true,
  };
  let api: OriginServer;
  try {
    api = await startOrigin("api", host, options.apiPort ?? 0, ctx, (call) =>
      routeApi(call, families),
    );
  } catch (error) {
    await storage.close();
    throw error;
  }
  return describeRegistry(ctx, api, storage);
}

function createContext(
  options: LocalRegistryOptions,
  storageUrl: () => string,
): RegistryContext {
  const state = RegistryState.open(options.dataDir);
  const now = options.now ?? Date.now;
  const tokens = options.tokens?.length
    ? options.tokens
    : [`pul-local-${randomBytes(16).toString("hex")}`];
  return {
    state,
    signer: createUrlSigner(storageUrl, state.secret, now),
    tokens: new Set(tokens),
    faults: new FaultInjector(options.faults),
    requests: [],
    now,
    pageSize: options.pageSize ?? 100,
    uploadUrlTtlSeconds: options.uploadUrlTtlSeconds ?? 900,
    requiredHeaders: options.requiredHeaders,
    oidc: options.oidc,
  };
}

function describeRegistry(
  ctx: RegistryContext,
  api: OriginServer,
  storage: OriginServer,
): LocalRegistry {
  return {
    apiUrl: api.url,
    storageUrl: storage.url,
    get tokens() {
      return [...ctx.tokens];
    },
    requests: ctx.requests,
    storedArtifact(
      kind: EntryKind,
      source: string,
      publisher: string,
      name: string,
      version: string,
      artifact: string,
    ) {
      const key = { kind, source, publisher, name };
      const digest = ctx.state.find(key, version)?.artifacts[artifact];
      return digest === undefined ? undefined : ctx.state.blobs.get(digest);
    },
    setFaults: (faults) => ctx.faults.set(faults),
    close: async () => {
      await Promise.all([api.close(), storage.close()]);
    },
  };
}
