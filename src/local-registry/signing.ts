import { createHmac, timingSafeEqual } from "node:crypto";

/** The result of checking a pre-signed URL. */
export type SignatureCheck = "valid" | "bad-signature" | "expired";

/** Signs and checks storage URLs with one secret, like S3 query auth. */
export interface UrlSigner {
  /** A full URL for `method` on `path`, valid for `ttlSeconds`. */
  signUrl(method: string, path: string, ttlSeconds: number): string;
  check(method: string, path: string, query: URLSearchParams): SignatureCheck;
}

/** Creates a signer for URLs under the origin `origin()` answers. */
export function createUrlSigner(
  origin: () => string,
  secret: string,
  now: () => number,
): UrlSigner {
  const mac = (method: string, path: string, expires: string): string =>
    createHmac("sha256", secret)
      .update(`${method}\n${path}\n${expires}`)
      .digest("hex");

  return {
    signUrl(method, path, ttlSeconds) {
      const expires = String(Math.floor(now() / 1000) + ttlSeconds);
      const query = new URLSearchParams({
        "X-Expires": expires,
        "X-Signature": mac(method, path, expires),
      });
      return `${origin()}${path}?${query}`;
    },
    check(method, path, query) {
      const expires = query.get("X-Expires") ?? "";
      const given = query.get("X-Signature") ?? "";
      if (!/^\d+$/.test(expires)) return "bad-signature";
      if (!sameHex(given, mac(method, path, expires))) return "bad-signature";
      // S3 checks the signature first, so a forged URL never learns expiry.
      if (Number(expires) * 1000 < now()) return "expired";
      return "valid";
    },
  };
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
