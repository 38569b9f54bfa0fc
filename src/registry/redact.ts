/**
 * URLs without their secrets. Pre-signed storage URLs carry their signature
 * in the query string, so only the origin and path may be shown or logged.
 */

/**
 * Returns `url` without its query string and fragment, keeping the origin
 * and path. A value that does not parse as a URL is cut at the first `?` or
 * `#` instead, so nothing after it can leak.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/, 1)[0] ?? "";
  }
}

/**
 * The parts of a URL's query string that may be secret (the whole query and
 * each longer value, raw and decoded), for scrubbing from messages.
 */
export function querySecrets(url: string): string[] {
  const query = url.split("#", 1)[0]?.split("?").slice(1).join("?") ?? "";
  if (query === "") return [];
  const values = query.split("&").map((pair) => pair.split("=")[1] ?? "");
  const decoded = values.map(safeDecode);
  return [query, ...values, ...decoded].filter((value) => value.length >= 8);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

/**
 * `text` with the query string of every http(s) URL in it removed: a last
 * guard for messages that did not come through the registry client.
 */
export function redactUrlsIn(text: string): string {
  return text.replace(/(https?:\/\/[^\s?#"'<>]+)[?#][^\s"'<>]*/gi, "$1");
}
