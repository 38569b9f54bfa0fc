import {
  callerOf,
  jsonBody,
  type IncomingCall,
  type RegistryContext,
} from "./context.js";
import { apiError, jsonReply, type Reply } from "./reply.js";
import type { FaultOptions } from "./types.js";

/** Whether `path` is one of the admin endpoints, which go unrecorded. */
export function isAdminPath(path: string): boolean {
  return path.startsWith("/_admin/");
}

/** POST /_admin/faults and GET /_admin/requests, for a valid token only. */
export function handleAdmin(call: IncomingCall, ctx: RegistryContext): Reply {
  if (callerOf(call, ctx) !== "authenticated") {
    return apiError(401, "the admin endpoints need a valid access token");
  }
  if (call.path === "/_admin/requests" && call.method === "GET") {
    return jsonReply(200, ctx.requests);
  }
  if (call.path === "/_admin/faults" && call.method === "POST") {
    const faults = jsonBody(call);
    if (!faults) return apiError(400, "faults must be a JSON object");
    ctx.faults.set(faults as FaultOptions);
    return jsonReply(200, faults);
  }
  return apiError(404, `no admin endpoint ${call.method} ${call.path}`);
}
