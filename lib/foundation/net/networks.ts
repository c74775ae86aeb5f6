// CIDR ranges of the allowlist and the canonical form of addresses, for
// anomaly detection (ip.ts holds the address keys the database compares).
// node:net's BlockList matches IPv4-mapped IPv6 addresses (::ffff:10.0.0.1)
// against IPv4 ranges, as long as each address is checked with its own family.
import { BlockList, SocketAddress, isIPv4, isIPv6 } from "node:net";

export type Cidr = { address: string; prefix: number; family: "ipv4" | "ipv6" };

/** "10.0.0.0/16", "2001:db8::/32", or a lone address (a /32 or /128 range). */
export function parseCidr(text: string): Cidr | string {
  const [address = "", prefixText, ...rest] = text.trim().split("/");
  if (rest.length > 0) return `"${text}" has more than one "/"`;
  const family = isIPv4(address) ? "ipv4" : isIPv6(address) ? "ipv6" : undefined;
  if (family === undefined) return `"${address}" is not an IPv4 or IPv6 address`;
  const bits = family === "ipv4" ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: bits, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return `"${text}" needs a prefix length from 0 to ${bits} after "/"`;
  }
  return { address, prefix: Number(prefixText), family };
}

export function formatCidr(cidr: Cidr): string {
  return `${cidr.address}/${cidr.prefix}`;
}

/**
 * One textual form per address: lower-case, compressed IPv6, and IPv4-mapped
 * IPv6 as plain IPv4, so that "::FFFF:a00:1" and "10.0.0.1" share their
 * windows. Anything that is not an address is kept as it is.
 */
export function canonicalIp(ip: string): string {
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const compressed = new SocketAddress({ address: ip, family: "ipv6" }).address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(compressed);
  return mapped ? mapped[1]! : compressed;
}

export type IpClass = { key: string; isAllowed: boolean };

const CACHE_LIMIT = 65_536;
const UNSPECIFIED = new Set(["0.0.0.0", "::"]);

/**
 * Classifies addresses against the allowlist, caching the answer per
 * textual address (logs repeat a few addresses many times).
 */
export function createIpClassifier(allowed: readonly Cidr[]): (ip: string) => IpClass {
  const list = new BlockList();
  for (const cidr of allowed) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  const cache = new Map<string, IpClass>();
  return (ip) => {
    let known = cache.get(ip);
    if (known === undefined) {
      const key = canonicalIp(ip);
      const family = isIPv4(key) ? "ipv4" : isIPv6(key) ? "ipv6" : undefined;
      // The unspecified address stands for "not known" (Ledgerline's own audit
      // events use it when no client address reached the app): not an outsider.
      known = { key, isAllowed: UNSPECIFIED.has(key) || (family !== undefined && list.check(key, family)) };
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(ip, known);
    }
    return known;
  };
}
