/** The action's own version, sent in the User-Agent (kept equal to package.json by a test). */
export const ACTION_VERSION = "0.1.0";

/** The User-Agent of every registry call. */
export const USER_AGENT = `pulumi-registry-publish/${ACTION_VERSION}`;
