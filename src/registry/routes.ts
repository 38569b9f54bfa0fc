/**
 * Registry paths, and the choice between the stable routes
 * (`/api/registry/...`) and the older preview ones (`/api/preview/...`).
 */
import type { Logger } from "../logger.js";
import type { ApiRoutes, EntryKind, EntryRef } from "./types.js";

/** A route family the client can call. */
export type RouteFamily = "stable" | "preview";

/** The list endpoint probed to learn whether the stable routes exist. */
export const STABLE_PROBE_PATH = "/api/registry/packages";

const FAMILY_PREFIX: Record<RouteFamily, string> = {
  stable: "/api/registry",
  preview: "/api/preview/registry",
};

const KIND_SEGMENT: Record<EntryKind, string> = {
  package: "packages",
  template: "templates",
};

/** The list path for packages or templates. */
export function listPath(family: RouteFamily, kind: EntryKind): string {
  return `${FAMILY_PREFIX[family]}/${KIND_SEGMENT[kind]}`;
}

/**
 * The path of an entry's versions, of one version when `version` is given,
 * and of that version's completion when `complete` is set. Every segment is
 * percent-encoded.
 */
export function versionsPath(
  family: RouteFamily,
  ref: EntryRef,
  version?: string,
  complete = false,
): string {
  const segments = [ref.source, ref.publisher, ref.name, "versions"];
  if (version !== undefined) segments.push(version);
  if (complete) segments.push("complete");
  const encoded = segments.map((segment) => encodeURIComponent(segment));
  return `${listPath(family, ref.kind)}/${encoded.join("/")}`;
}

/**
 * Picks the route family once per client. With `auto`, `probe` calls the
 * stable list endpoint: 404 means the stable routes are missing, so the
 * preview ones are used; any other answer it returns means stable. Errors
 * propagate, and the next call probes again.
 */
export class RouteSelector {
  private chosen: RouteFamily | undefined;
  private pending: Promise<RouteFamily> | undefined;

  constructor(
    private readonly mode: ApiRoutes,
    private readonly probe: () => Promise<number>,
    private readonly logger: Logger,
  ) {}

  /** The family chosen so far, if any. */
  get family(): RouteFamily | undefined {
    return this.chosen;
  }

  /** The family to use, choosing it on first use. */
  async resolve(): Promise<RouteFamily> {
    if (this.chosen !== undefined) return this.chosen;
    this.pending ??= this.choose().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async choose(): Promise<RouteFamily> {
    if (this.mode !== "auto") {
      this.logger.debug(`Registry routes: ${this.mode} (set by api-routes)`);
      return (this.chosen = this.mode);
    }
    const status = await this.probe();
    if (status === 404) {
      this.logger.info(
        `The registry has no stable routes (GET ${STABLE_PROBE_PATH} ` +
          `answered 404); using the preview routes under /api/preview`,
      );
      return (this.chosen = "preview");
    }
    this.logger.debug(
      `Registry routes: stable (GET ${STABLE_PROBE_PATH} answered ${status})`,
    );
    return (this.chosen = "stable");
  }
}
