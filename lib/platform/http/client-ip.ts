import { z } from "zod";
import { getConfig } from "@/lib/foundation/config";

const Ip = z.union([z.ipv4(), z.ipv6()]);

/**
 * The client's address when trusted proxies in front of Ledgerline report it
 * (TRUST_PROXY_HEADERS=true); otherwise undefined, since a client can write
 * any X-Forwarded-For it likes.
 */
export function clientIp(headers: Headers): string | undefined {
  const { trustProxyHeaders, trustedProxyHops } = getConfig();
  return trustProxyHeaders ? forwardedClientIp(headers.get("x-forwarded-for"), trustedProxyHops) : undefined;
}

/**
 * The address the outermost trusted proxy saw: `hops` entries from the right
 * of X-Forwarded-For, since each proxy appends the address it received the
 * request from and everything further left is whatever the client wrote.
 * Undefined when the header is missing, shorter than that, or any of those
 * entries is not a plain IP address (a proxy that adds ports is misconfigured
 * for us). X-Real-IP is never read: a proxy that does not overwrite it passes
 * the client's own value through.
 */
export function forwardedClientIp(header: string | null, hops: number): string | undefined {
  if (header === null) return undefined;
  const trusted = header
    .split(",")
    .slice(-hops)
    .map((entry) => entry.trim());
  if (trusted.length < hops || !trusted.every((entry) => Ip.safeParse(entry).success)) return undefined;
  return trusted[0];
}
