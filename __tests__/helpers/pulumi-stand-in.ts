/**
 * A stand-in for the Pulumi CLI and for the server of its releases: a shell
 * script that answers `pulumi package get-schema` with a real schema, packed
 * as a release archive and served from 127.0.0.1.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { create as createTar } from "tar";
import { REAL_PACKAGES } from "./paths.js";

/** The provider and parameters the stand-in knows. */
export const STAND_IN = {
  plain: "random",
  parameterized: "terraform-provider",
  parameter: "hashicorp/random",
  /** Makes the stand-in print a schema without `parameterization`. */
  unparameterized: "random-flat",
};

/**
 * The script: `package get-schema random` prints the random schema;
 * `package get-schema terraform-provider -- hashicorp/random` the
 * parameterized one. Each call's arguments and folder are appended to
 * `$PULUMI_STAND_IN_LOG` when set.
 */
const SCRIPT = `#!/bin/sh
here=$(dirname "$0")
if [ -n "$PULUMI_STAND_IN_LOG" ]; then
  echo "$PWD|$*" >> "$PULUMI_STAND_IN_LOG"
fi
if [ "$1 $2" != "package get-schema" ]; then
  echo "stand-in pulumi: unsupported command: $*" >&2
  exit 2
fi
echo "Loading the provider $3..." >&2
case "$3|$4|$5" in
  "${STAND_IN.plain}||") cat "$here/random.json" ;;
  "${STAND_IN.unparameterized}|--|${STAND_IN.parameter}") cat "$here/random.json" ;;
  "${STAND_IN.parameterized}|--|${STAND_IN.parameter}")
    cat "$here/random-parameterized.json" ;;
  *) echo "error: could not load provider $3" >&2; exit 1 ;;
esac
`;

/** Writes the stand-in and its schemas into `dir`; returns the script. */
export function writeStandIn(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const script = path.join(dir, "pulumi");
  writeFileSync(script, SCRIPT, { mode: 0o755 });
  copyFileSync(
    path.join(REAL_PACKAGES, "random", "schema.json"),
    path.join(dir, "random.json"),
  );
  copyFileSync(
    path.join(REAL_PACKAGES, "random-parameterized", "schema.json"),
    path.join(dir, "random-parameterized.json"),
  );
  return script;
}

/**
 * A release archive holding the stand-in at `pulumi/bin/pulumi` (as the
 * issue describes releases) or `pulumi/pulumi` (as Linux and macOS
 * releases are laid out).
 */
export async function buildStandInArchive(
  layout: "pulumi/bin" | "pulumi" = "pulumi/bin",
): Promise<Buffer> {
  const root = mkdtempSync(path.join(tmpdir(), "pulumi-release-"));
  writeStandIn(path.join(root, ...layout.split("/")));
  const file = path.join(root, "release.tar.gz");
  await createTar({ gzip: true, cwd: root, file, portable: true }, ["pulumi"]);
  return readFileSync(file);
}

/** A 127.0.0.1 server of release files, recording what was asked. */
export interface ReleaseServer {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `files` (path → body) and answers 404 for anything else. */
export async function startReleaseServer(
  files: Record<string, string | Buffer>,
): Promise<ReleaseServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const pathname = new URL(request.url ?? "/", "http://x").pathname;
    requests.push(pathname);
    const body = files[pathname];
    if (body === undefined) {
      response.writeHead(404).end("not found");
      return;
    }
    response
      .writeHead(200, { "content-length": Buffer.byteLength(body) })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/releases`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The archive's path on the server for `version` on this runner. */
export function archivePath(version: string): string {
  const os = { linux: "linux", darwin: "darwin", win32: "windows" }[
    process.platform as "linux" | "darwin" | "win32"
  ];
  return `/releases/pulumi-v${version}-${os}-${process.arch}.tar.gz`;
}
