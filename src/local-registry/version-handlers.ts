import {
  callerOf,
  type IncomingCall,
  type RegistryContext,
} from "./context.js";
import type { KindSpec } from "./kinds.js";
import { apiError, jsonReply, type Reply } from "./reply.js";
import type { EntryKey, VersionRecord } from "./state.js";

/** GET .../versions/{version}, where version may be `latest`. */
export function getVersion(
  spec: KindSpec,
  key: EntryKey,
  version: string,
  call: IncomingCall,
  ctx: RegistryContext,
): Reply {
  const refused = spec.checkSource(key.source, false);
  if (refused) return refused;
  if (isVcsTemplate(spec, key) && version !== "latest") {
    return apiError(
      400,
      "version cannot be specified for VCS-backed templates",
    );
  }
  const record =
    version === "latest"
      ? ctx.state.versionsOf(key)[0]
      : ctx.state.find(key, version);
  if (!record || !visibleTo(spec, record, call, ctx)) {
    return notFound(key, version);
  }
  return jsonReply(200, spec.describe(record, ctx));
}

/** DELETE .../versions/{version}; a template's last version needs force. */
export function deleteVersion(
  spec: KindSpec,
  key: EntryKey,
  version: string,
  call: IncomingCall,
  ctx: RegistryContext,
): Reply {
  const refused = spec.checkSource(key.source, false);
  if (refused) return refused;
  const force = call.query.get("force");
  if (force !== null && force !== "true" && force !== "false") {
    return apiError(
      400,
      `invalid query parameter force=${JSON.stringify(force)}: ` +
        "use true or false",
    );
  }
  const record = ctx.state.find(key, version);
  if (!record) return notFound(key, version);
  if (spec.kind === "template" && isLast(record, ctx) && force !== "true") {
    return apiError(
      400,
      `${version} is the last version of template ${key.name}; ` +
        "deleting it deletes the template: pass force=true to do so",
    );
  }
  ctx.state.remove(record);
  return { status: 204 };
}

/** Whether the caller may see `record`: private entries need a token. */
export function visibleTo(
  spec: KindSpec,
  record: VersionRecord,
  call: IncomingCall,
  ctx: RegistryContext,
): boolean {
  return !spec.isPrivate(record) || callerOf(call, ctx) === "authenticated";
}

// github and gitlab templates live in a repository, not in versions here.
function isVcsTemplate(spec: KindSpec, key: EntryKey): boolean {
  return spec.kind === "template" && key.source !== "private";
}

function isLast(record: VersionRecord, ctx: RegistryContext): boolean {
  return ctx.state.versionsOf(record).length === 1;
}

function notFound(key: EntryKey, version: string): Reply {
  const entry = `${key.source}/${key.publisher}/${key.name}`;
  return apiError(404, `${key.kind} version ${entry}@${version} not found`);
}
