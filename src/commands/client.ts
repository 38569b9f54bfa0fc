/** Builds the registry client a run uses, from its settings. */
import { USER_AGENT } from "../action-version.js";
import type { Settings } from "../inputs.js";
import type { Logger } from "../logger.js";
import { RegistryClient } from "../registry/client.js";

/** A client for `settings.cloudUrl`, with the run's token and retry policy. */
export function createClient(
  settings: Settings,
  logger: Logger,
): RegistryClient {
  return new RegistryClient({
    cloudUrl: settings.cloudUrl,
    token: settings.token,
    apiRoutes: settings.apiRoutes,
    maxAttempts: settings.maxAttempts,
    requestTimeoutMs: settings.requestTimeoutMs,
    userAgent: USER_AGENT,
    logger,
  });
}
