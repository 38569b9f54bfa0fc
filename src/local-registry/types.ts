/** Public shapes of the local registry (see `index.ts`). */

/** Faults injected into answers, for the fault-injection tests. */
export interface FaultOptions {
  /** PRNG seed: the same seed and request sequence give the same faults. */
  seed?: number;
  /** Share (0..1) of answers replaced by 500, 502 or 503. */
  errorRate?: number;
  /** Restrict faults to these route names; default all of them. */
  routes?: FaultRoute[];
  /** Share answered 429 with a small `Retry-After`. */
  rateLimitRate?: number;
  /** Share of connections destroyed before answering. */
  resetRate?: number;
  /** Latency added to each request, in milliseconds. */
  latencyMs?: number;
  /** Lifetime of upload URLs, overriding the registry option. */
  uploadUrlTtlSeconds?: number;
  /** Share of completes that store the version, then drop the connection. */
  commitThenDropRate?: number;
}

/** The routes faults can target. */
export type FaultRoute =
  "start" | "upload" | "complete" | "get" | "list" | "delete";

/** The identity the OIDC token exchange accepts. */
export interface OidcOptions {
  /** The only ID token the exchange accepts. */
  idToken: string;
  /** The audience must be `urn:pulumi:org:<organization>`. */
  organization: string;
  /** Answered by `GET /api/user/organizations/default`. */
  defaultOrganization?: string;
}

/** How to start a local registry; every field has a default. */
export interface LocalRegistryOptions {
  host?: string;
  apiPort?: number;
  storagePort?: number;
  tokens?: string[];
  routes?: { stable?: boolean; preview?: boolean };
  pageSize?: number;
  uploadUrlTtlSeconds?: number;
  requiredHeaders?: Record<string, string>;
  dataDir?: string;
  faults?: FaultOptions;
  oidc?: OidcOptions;
  /** Clock in milliseconds since the epoch; tests inject one. */
  now?: () => number;
}

/** One request the registry received. */
export interface RecordedRequest {
  origin: "api" | "storage";
  method: string;
  /** The path without its query string. */
  path: string;
  /** The status sent, or 0 when the connection was dropped unanswered. */
  status: number;
  /** Whether an Authorization header was present. */
  authorized: boolean;
  /** POST, PUT, DELETE or PATCH. */
  write: boolean;
}

/** Package or template. */
export type EntryKind = "package" | "template";

/** A running local registry. */
export interface LocalRegistry {
  apiUrl: string;
  storageUrl: string;
  tokens: string[];
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Stored bytes of an artifact of a completed version, or undefined. */
  storedArtifact(
    kind: EntryKind,
    source: string,
    publisher: string,
    name: string,
    version: string,
    artifact: string,
  ): Buffer | undefined;
  /** Replaces the faults in force and reseeds their PRNG. */
  setFaults(faults: FaultOptions): void;
  /** Stops both servers. */
  close(): Promise<void>;
}
