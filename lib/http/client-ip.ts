import { z } from "zod";
import { getConfig } from "@/lib/config";

const Ip = z.union([z.ipv4(), z.ipv6()]);

/**
 * The client's address when a trusted proxy in front of Ledgerline reports it
 * (TRUST_PROXY_HEADERS=true); otherwise undefined, since a client can write
 * any X-Forwarded-For it likes.
 */
export function clientIp(headers: Headers): string | undefined {
  if (!getConfig().trustProxyHeaders) return undefined;
  const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? headers.get("x-real-ip")?.trim();
  return Ip.safeParse(first).success ? first : undefined;
}
