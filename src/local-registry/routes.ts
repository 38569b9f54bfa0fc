import { handleAdmin, isAdminPath } from "./admin.js";
import {
  callerOf,
  type IncomingCall,
  type RegistryContext,
} from "./context.js";
import { PACKAGES, TEMPLATES, type KindSpec } from "./kinds.js";
import { listPackages, listTemplates } from "./list-handlers.js";
import { defaultOrganization, exchangeToken } from "./oidc.js";
import { completePublish, startPublish } from "./publish-handlers.js";
import { apiError, type Reply } from "./reply.js";
import type { EntryKey } from "./state.js";
import type { FaultRoute } from "./types.js";
import { deleteVersion, getVersion } from "./version-handlers.js";

type Handler = (
  call: IncomingCall,
  ctx: RegistryContext,
) => Reply | Promise<Reply>;

/** A matched API request: its handler, and its name for faults. */
export interface ApiRoute {
  fault?: FaultRoute;
  handle: Handler;
}

/** Which route families answer. */
export interface RouteFamilies {
  stable: boolean;
  preview: boolean;
}

const STABLE_PREFIX = "/api/registry/";
const PREVIEW_PREFIX = "/api/preview/registry/";

/** Finds the handler for one API request. */
export function routeApi(
  call: IncomingCall,
  families: RouteFamilies,
): ApiRoute {
  if (isAdminPath(call.path)) return { handle: handleAdmin };
  if (call.path === "/api/oauth/token") {
    return only("POST", call, { handle: exchangeToken });
  }
  if (call.path === "/api/user/organizations/default") {
    return only("GET", call, { handle: defaultOrganization });
  }
  const rest = registryPath(call.path, families);
  if (rest === undefined) return fixed(apiError(404, "not found"));
  let segments: string[];
  try {
    segments = rest.split("/").map(decodeURIComponent);
  } catch {
    return fixed(apiError(400, "malformed path encoding"));
  }
  return withAuth(matchRegistry(call, segments));
}

function registryPath(
  path: string,
  families: RouteFamilies,
): string | undefined {
  if (families.stable && path.startsWith(STABLE_PREFIX)) {
    return path.slice(STABLE_PREFIX.length);
  }
  if (families.preview && path.startsWith(PREVIEW_PREFIX)) {
    return path.slice(PREVIEW_PREFIX.length);
  }
  return undefined;
}

function matchRegistry(call: IncomingCall, segments: string[]): ApiRoute {
  const [collection, source, publisher, name, versions, version, complete] =
    segments;
  const spec = specOf(collection);
  if (!spec) return fixed(apiError(404, "not found"));
  if (segments.length === 1) {
    const list = spec === PACKAGES ? listPackages : listTemplates;
    return only("GET", call, { fault: "list", handle: list });
  }
  if (versions !== "versions" || segments.some((s) => s === "")) {
    return fixed(apiError(404, "not found"));
  }
  const key: EntryKey = { kind: spec.kind, source, publisher, name };
  if (segments.length === 5) {
    return only("POST", call, {
      fault: "start",
      handle: (c, ctx) => startPublish(spec, key, c, ctx),
    });
  }
  if (segments.length === 6) return versionRoute(spec, key, version, call);
  if (segments.length === 7 && complete === "complete") {
    return only("POST", call, {
      fault: "complete",
      handle: (c, ctx) => completePublish(spec, key, version, c, ctx),
    });
  }
  return fixed(apiError(404, "not found"));
}

function versionRoute(
  spec: KindSpec,
  key: EntryKey,
  version: string,
  call: IncomingCall,
): ApiRoute {
  if (call.method === "DELETE") {
    return {
      fault: "delete",
      handle: (c, ctx) => deleteVersion(spec, key, version, c, ctx),
    };
  }
  return only("GET", call, {
    fault: "get",
    handle: (c, ctx) => getVersion(spec, key, version, c, ctx),
  });
}

/** Writes need a valid token; a token that is not valid is refused. */
function withAuth(route: ApiRoute): ApiRoute {
  return {
    fault: route.fault,
    handle(call, ctx) {
      const caller = callerOf(call, ctx);
      const write = call.method !== "GET" && call.method !== "HEAD";
      if (caller === "invalid" || (write && caller === "anonymous")) {
        return apiError(401, "Unauthorized: a valid access token is required");
      }
      return route.handle(call, ctx);
    },
  };
}

function specOf(collection: string | undefined): KindSpec | undefined {
  if (collection === "packages") return PACKAGES;
  if (collection === "templates") return TEMPLATES;
  return undefined;
}

function only(method: string, call: IncomingCall, route: ApiRoute): ApiRoute {
  if (call.method === method) return route;
  const reply = apiError(405, `method ${call.method} not allowed`);
  return fixed({ ...reply, headers: { ...reply.headers, allow: method } });
}

function fixed(reply: Reply): ApiRoute {
  return { handle: () => reply };
}
