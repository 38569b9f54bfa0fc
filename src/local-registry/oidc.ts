import { randomBytes } from "node:crypto";
import {
  callerOf,
  type IncomingCall,
  type RegistryContext,
} from "./context.js";
import { apiError, jsonReply, type Reply } from "./reply.js";

const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
const SUBJECT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const REQUESTED_TOKEN_TYPE =
  /^urn:pulumi:token-type:access_token:(organization|team|personal)$/;
const DEFAULT_EXPIRES_IN = 7200;

/** POST /api/oauth/token: trades the configured ID token for a new token. */
export function exchangeToken(call: IncomingCall, ctx: RegistryContext): Reply {
  const form = readForm(call);
  const refusal = refuseExchange(form, ctx);
  if (refusal) return invalidRequest(refusal);

  const expiration = form.get("expiration");
  const expiresIn = expiration ? Number(expiration) : DEFAULT_EXPIRES_IN;
  if (!Number.isInteger(expiresIn) || expiresIn <= 0) {
    return invalidRequest("expiration must be a positive number of seconds");
  }
  const token = `pul-local-${randomBytes(16).toString("hex")}`;
  ctx.tokens.add(token);
  return jsonReply(200, {
    access_token: token,
    issued_token_type: form.get("requested_token_type"),
    token_type: "Bearer",
    expires_in: expiresIn,
  });
}

/** GET /api/user/organizations/default for the holder of a valid token. */
export function defaultOrganization(
  call: IncomingCall,
  ctx: RegistryContext,
): Reply {
  if (callerOf(call, ctx) !== "authenticated") {
    return apiError(401, "Unauthorized: a valid access token is required");
  }
  return jsonReply(200, {
    GitHubLogin: ctx.oidc?.defaultOrganization ?? "local-org",
    Name: ctx.oidc?.defaultOrganization ?? "local-org",
  });
}

function refuseExchange(
  form: URLSearchParams,
  ctx: RegistryContext,
): string | undefined {
  const oidc = ctx.oidc;
  if (!oidc) return "this local registry has no OIDC issuer configured";
  const audience = `urn:pulumi:org:${oidc.organization}`;
  if (form.get("audience") !== audience) {
    return `audience must be "${audience}"`;
  }
  if (form.get("grant_type") !== GRANT_TYPE) {
    return `grant_type must be "${GRANT_TYPE}"`;
  }
  if (form.get("subject_token_type") !== SUBJECT_TOKEN_TYPE) {
    return `subject_token_type must be "${SUBJECT_TOKEN_TYPE}"`;
  }
  if (!REQUESTED_TOKEN_TYPE.test(form.get("requested_token_type") ?? "")) {
    return (
      "requested_token_type must be an organization, team or personal " +
      "access token type"
    );
  }
  if (form.get("subject_token") !== oidc.idToken) {
    return "subject_token is not a valid ID token for this organization";
  }
  return undefined;
}

/** Reads a form-encoded or JSON body into one shape. */
function readForm(call: IncomingCall): URLSearchParams {
  const text = call.body.toString("utf8");
  const type = call.headers["content-type"] ?? "";
  if (!type.includes("json")) return new URLSearchParams(text);
  try {
    const value: unknown = JSON.parse(text);
    const entries = Object.entries(
      typeof value === "object" && value !== null ? value : {},
    ).map(([key, item]): [string, string] => [key, String(item)]);
    return new URLSearchParams(entries);
  } catch {
    return new URLSearchParams();
  }
}

function invalidRequest(description: string): Reply {
  return jsonReply(400, {
    error: "invalid_request",
    error_description: description,
  });
}
