import { randomUUID } from "node:crypto";
import { valid as validSemver } from "semver";
import {
  jsonBody,
  type IncomingCall,
  type RegistryContext,
} from "./context.js";
import type { KindSpec } from "./kinds.js";
import { apiError, jsonReply, type Reply } from "./reply.js";
import type { EntryKey, Operation } from "./state.js";

const RFC3339 =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** POST .../versions: opens a publish and hands out upload URLs. */
export function startPublish(
  spec: KindSpec,
  key: EntryKey,
  call: IncomingCall,
  ctx: RegistryContext,
): Reply {
  const refused = spec.checkSource(key.source, true);
  if (refused) return refused;
  const body = jsonBody(call);
  if (!body) return apiError(400, "request body must be a JSON object");

  const { version, publishedAt } = body;
  if (version === undefined) return apiError(400, "version is required");
  if (typeof version !== "string" || !isStrictSemver(version)) {
    return apiError(400, `version ${quote(version)} is not a valid semver`);
  }
  if (publishedAt !== undefined && !isRfc3339(publishedAt)) {
    return apiError(
      400,
      `publishedAt ${quote(publishedAt)} is not an RFC 3339 timestamp`,
    );
  }
  if (ctx.state.find(key, version)) {
    return apiError(409, `version ${version} of ${key.name} already exists`);
  }
  const operation = openOperation(key, version, publishedAt, ctx);
  return jsonReply(202, startAnswer(spec, operation, ctx));
}

/** POST .../versions/{version}/complete: checks uploads and commits. */
export async function completePublish(
  spec: KindSpec,
  key: EntryKey,
  version: string,
  call: IncomingCall,
  ctx: RegistryContext,
): Promise<Reply> {
  const operationID = jsonBody(call)?.operationID;
  if (typeof operationID !== "string" || operationID === "") {
    return apiError(400, "operationID is required");
  }
  const operation = ctx.state.operations.get(operationID);
  if (!operation || !sameTarget(operation, key, version)) {
    return apiError(404, `publish operation "${operationID}" not found`);
  }
  if (ctx.state.find(key, version)) {
    return apiError(409, `version ${version} of ${key.name} already exists`);
  }
  if (operation.completed) {
    return apiError(400, `operation "${operationID}" was already completed`);
  }
  return commit(spec, operation, ctx);
}

async function commit(
  spec: KindSpec,
  operation: Operation,
  ctx: RegistryContext,
): Promise<Reply> {
  const missing = spec.required.filter((name) => !operation.uploads.has(name));
  if (missing.length > 0) {
    return apiError(400, `missing uploads: ${missing.join(", ")}`);
  }
  const accepted = await spec.accept(operation);
  if (typeof accepted === "string") return apiError(400, accepted);
  // Another complete may have committed while the archive was being read.
  if (operation.completed || ctx.state.find(operation, operation.version)) {
    return apiError(409, `version ${operation.version} already exists`);
  }

  const { id: _id, uploads: _uploads, completed: _done, ...target } = operation;
  const record = ctx.state.add(
    {
      ...target,
      timestamp: operation.publishedAt ?? new Date(ctx.now()).toISOString(),
      details: accepted.details,
    },
    accepted.artifacts,
  );
  operation.completed = true;
  operation.uploads.clear();
  return jsonReply(201, spec.describe(record, ctx));
}

function openOperation(
  key: EntryKey,
  version: string,
  publishedAt: string | undefined,
  ctx: RegistryContext,
): Operation {
  const operation: Operation = {
    kind: key.kind,
    source: key.source,
    publisher: key.publisher,
    name: key.name,
    version,
    publishedAt,
    id: randomUUID(),
    uploads: new Map(),
    completed: false,
  };
  ctx.state.operations.set(operation.id, operation);
  return operation;
}

function startAnswer(
  spec: KindSpec,
  operation: Operation,
  ctx: RegistryContext,
): Record<string, unknown> {
  const ttl = ctx.faults.uploadUrlTtlSeconds ?? ctx.uploadUrlTtlSeconds;
  const uploadURLs = Object.fromEntries(
    spec.uploads.map((artifact) => [
      artifact,
      ctx.signer.signUrl("PUT", `/uploads/${operation.id}/${artifact}`, ttl),
    ]),
  );
  const answer: Record<string, unknown> = {
    operationID: operation.id,
    uploadURLs,
  };
  if (ctx.requiredHeaders) answer.requiredHeaders = ctx.requiredHeaders;
  return answer;
}

function sameTarget(operation: Operation, key: EntryKey, version: string) {
  return (
    operation.kind === key.kind &&
    operation.source === key.source &&
    operation.publisher === key.publisher &&
    operation.name === key.name &&
    operation.version === version
  );
}

/** Semver as the spec writes it: no `v` prefix, no padding. */
export function isStrictSemver(version: string): boolean {
  return (
    /^\d/.test(version) && validSemver(version) !== null && !/\s/.test(version)
  );
}

function isRfc3339(value: unknown): value is string {
  return (
    typeof value === "string" &&
    RFC3339.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

function quote(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}
