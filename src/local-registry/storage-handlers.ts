import { createHash } from "node:crypto";
import type { IncomingCall, RegistryContext } from "./context.js";
import { storageError, type Reply } from "./reply.js";

/** Routes one storage request; `upload` marks the PUTs faults may target. */
export function routeStorage(call: IncomingCall): {
  upload: boolean;
  handle: (call: IncomingCall, ctx: RegistryContext) => Reply;
} {
  const upload = /^\/uploads\/[^/]+\/[^/]+$/.test(call.path);
  const download = /^\/objects\/[^/]+$/.test(call.path);
  if (upload && call.method === "PUT") return { upload, handle: putUpload };
  if (download && (call.method === "GET" || call.method === "HEAD")) {
    return { upload: false, handle: getObject };
  }
  const status = upload || download ? 405 : 404;
  const code = status === 405 ? "MethodNotAllowed" : "NoSuchKey";
  return {
    upload: false,
    handle: () => storageError(status, code, `no such resource`),
  };
}

/** PUT to a pre-signed upload URL, refused the way S3 refuses. */
function putUpload(call: IncomingCall, ctx: RegistryContext): Reply {
  const refused =
    checkQueryAuth(call, ctx) ??
    checkContentLength(call) ??
    checkRequiredHeaders(call, ctx);
  if (refused) return refused;

  const [, , operationId, artifact] = call.path.split("/");
  const operation = ctx.state.operations.get(operationId);
  if (!operation) {
    return storageError(404, "NoSuchUpload", "the upload does not exist");
  }
  // A second PUT to the same URL replaces the object, as in S3.
  operation.uploads.set(artifact, call.body);
  return { status: 200, headers: { etag: etagOf(call.body) } };
}

/** GET or HEAD of a pre-signed download URL. */
function getObject(call: IncomingCall, ctx: RegistryContext): Reply {
  const refused = checkQueryAuth(call, ctx);
  if (refused) return refused;
  const bytes = ctx.state.blobs.get(call.path.slice("/objects/".length));
  if (!bytes) {
    return storageError(404, "NoSuchKey", "The specified key does not exist.");
  }
  return {
    status: 200,
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(bytes.length),
      etag: etagOf(bytes),
    },
    body: call.method === "HEAD" ? undefined : bytes,
  };
}

function checkQueryAuth(
  call: IncomingCall,
  ctx: RegistryContext,
): Reply | undefined {
  if (call.headers.authorization !== undefined) {
    return storageError(
      400,
      "InvalidArgument",
      "Only one auth mechanism allowed; only the X-Signature query " +
        "parameter or the Authorization header should be specified",
    );
  }
  const method = call.method === "HEAD" ? "GET" : call.method;
  const check = ctx.signer.check(method, call.path, call.query);
  if (check === "bad-signature") {
    return storageError(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature " +
        "you provided.",
    );
  }
  if (check === "expired") {
    return storageError(403, "AccessDenied", "Request has expired");
  }
  return undefined;
}

function checkContentLength(call: IncomingCall): Reply | undefined {
  if (call.headers["content-length"] !== undefined) return undefined;
  return storageError(
    411,
    "MissingContentLength",
    "You must provide the Content-Length HTTP header.",
  );
}

function checkRequiredHeaders(
  call: IncomingCall,
  ctx: RegistryContext,
): Reply | undefined {
  for (const [name, value] of Object.entries(ctx.requiredHeaders ?? {})) {
    const given = call.headers[name.toLowerCase()];
    if (given !== value) {
      return storageError(
        403,
        "AccessDenied",
        `The upload must carry the header ${name}: ${value}` +
          (given === undefined ? "" : ` (got ${JSON.stringify(given)})`),
      );
    }
  }
  return undefined;
}

function etagOf(bytes: Buffer): string {
  return `"${createHash("md5").update(bytes).digest("hex")}"`;
}
