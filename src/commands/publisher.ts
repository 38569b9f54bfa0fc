/** Works out the publishing organization when `publisher` is not given. */
import type { Settings } from "../inputs.js";
import type { Logger } from "../logger.js";
import type { RegistryClient } from "../registry/client.js";

/**
 * The `publisher` input, else `oidc-organization`, else the default
 * organization of the token's owner. Undefined when none is known (no
 * token, as in a dry run without credentials): the caller then asks for
 * the input. `command: list` takes no default: there a missing publisher
 * means no publisher filter.
 */
export async function resolvePublisher(
  settings: Settings,
  client: Pick<RegistryClient, "getDefaultOrganization">,
  logger: Logger,
): Promise<string | undefined> {
  if (settings.publisher) return settings.publisher;
  if (settings.command === "list") return undefined;
  const organization = settings.oidc?.organization;
  if (organization) {
    logger.info(`Publisher "${organization}" (from "oidc-organization").`);
    return organization;
  }
  if (!settings.token) return undefined;
  const fallback = await client.getDefaultOrganization();
  if (fallback) {
    logger.info(`Publisher "${fallback}" (the token's default organization).`);
  }
  return fallback;
}
