/**
 * Checks that the registry's JSON answers have the shape the action relies
 * on; anything else is a `ProtocolError` naming the call and the gap.
 */
import { ProtocolError } from "../errors.js";
import type { ApiResult } from "./api.js";
import type {
  EntryKind,
  ListPackagesResponse,
  ListTemplatesResponse,
  PackageMetadata,
  StartPublishResponse,
  TemplateMetadata,
} from "./types.js";

/** The upload URLs a start answer must hold, by entry kind. */
export const UPLOAD_KEYS: Record<EntryKind, string[]> = {
  package: ["schema", "index", "installationConfiguration"],
  template: ["archive"],
};

type JsonObject = Record<string, unknown>;

/** Reads the answer to a start call, checking its operation and URLs. */
export function readStartAnswer(
  result: ApiResult,
  kind: EntryKind,
): StartPublishResponse {
  const body = readObject(result);
  if (typeof body.operationID !== "string" || body.operationID === "") {
    throw protocolError(result, "has no operationID");
  }
  const urls = stringRecord(body.uploadURLs);
  const missing = UPLOAD_KEYS[kind].filter((key) => !urls?.[key]);
  if (urls === undefined || missing.length > 0) {
    const keys = (missing.length > 0 ? missing : UPLOAD_KEYS[kind]).join(", ");
    throw protocolError(result, `lacks the upload URLs for ${keys}`);
  }
  const requiredHeaders = stringRecord(body.requiredHeaders);
  if (body.requiredHeaders !== undefined && requiredHeaders === undefined) {
    throw protocolError(result, "has requiredHeaders that are not strings");
  }
  return {
    operationID: body.operationID,
    uploadURLs: urls,
    ...(requiredHeaders === undefined ? {} : { requiredHeaders }),
  };
}

/** Reads a package list page. */
export function readPackageList(result: ApiResult): ListPackagesResponse {
  const body = readObject(result);
  if (!Array.isArray(body.packages)) {
    throw protocolError(result, "has no packages list");
  }
  return body as unknown as ListPackagesResponse;
}

/** Reads a template list page. */
export function readTemplateList(result: ApiResult): ListTemplatesResponse {
  const body = readObject(result);
  if (!Array.isArray(body.templates)) {
    throw protocolError(result, "has no templates list");
  }
  return body as unknown as ListTemplatesResponse;
}

/** Reads one package or template version. */
export function readEntry<T extends PackageMetadata | TemplateMetadata>(
  result: ApiResult,
): T {
  const body = readObject(result);
  if (typeof body.name !== "string") {
    throw protocolError(result, "has no name");
  }
  return body as unknown as T;
}

/** Reads a named string field of an object answer. */
export function readStringField(result: ApiResult, field: string): string {
  const value = readObject(result)[field];
  if (typeof value !== "string" || value === "") {
    throw protocolError(result, `has no ${field}`);
  }
  return value;
}

/** Parses the answer as a JSON object. */
export function readObject(result: ApiResult): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.body);
  } catch {
    throw protocolError(result, "is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw protocolError(result, "is not a JSON object");
  }
  return parsed as JsonObject;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return undefined;
  }
  const entries = Object.entries(value);
  if (!entries.every(([, item]) => typeof item === "string")) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

function protocolError(result: ApiResult, problem: string): ProtocolError {
  const { method, path } = result.call;
  return new ProtocolError(
    `The answer to ${method} ${path} (HTTP ${result.status}) ${problem}; ` +
      `the registry does not speak the API this action expects, so check ` +
      `cloud-url and api-routes`,
  );
}
