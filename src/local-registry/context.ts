import type { IncomingHttpHeaders } from "node:http";
import type { FaultInjector } from "./faults.js";
import type { UrlSigner } from "./signing.js";
import type { RegistryState } from "./state.js";
import type { OidcOptions, RecordedRequest } from "./types.js";

/** Everything a handler may use; one per running registry. */
export interface RegistryContext {
  state: RegistryState;
  signer: UrlSigner;
  tokens: Set<string>;
  faults: FaultInjector;
  requests: RecordedRequest[];
  now: () => number;
  pageSize: number;
  uploadUrlTtlSeconds: number;
  requiredHeaders?: Record<string, string>;
  oidc?: OidcOptions;
}

/** A request with its body read. */
export interface IncomingCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Who is calling: no token, a token we accept, or one we do not. */
export type Caller = "anonymous" | "authenticated" | "invalid";

/** Reads `Authorization: token <t>` against the accepted tokens. */
export function callerOf(call: IncomingCall, ctx: RegistryContext): Caller {
  const header = call.headers.authorization;
  if (header === undefined) return "anonymous";
  const match = /^token\s+(\S+)\s*$/i.exec(header);
  return match && ctx.tokens.has(match[1]) ? "authenticated" : "invalid";
}

/** Parses a JSON request body; undefined when it is not a JSON object. */
export function jsonBody(
  call: IncomingCall,
): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(call.body.toString("utf8") || "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
