// CIDR ranges of the allowlist and the canonical form of addresses, for
// anomaly detection. Ranges are checked as ip.ts's keys, where an IPv4-mapped
// IPv6 address (::ffff:10.0.0.1) is the IPv4 address it maps.
import { SocketAddress, isIPv4, isIPv6 } from "node:net";
import { InvalidIpError, ipKey, ipKeyRange, type IpKeyRange } from "./ip";

/** A range as written, and the keys of its first and last address. */
export type Cidr = { address: string; prefix: number; range: IpKeyRange };

/** "10.0.0.0/16", "2001:db8::/32", or a lone address (a /32 or /128 range); otherwise what is wrong with it. */
export function parseCidr(text: string): Cidr | string {
  const trimmed = text.trim();
  let range: IpKeyRange;
  try {
    range = ipKeyRange(trimmed);
  } catch (error) {
    if (error instanceof InvalidIpError) return error.message;
    throw error;
  }
  const [address = "", prefixText] = trimmed.split("/");
  return { address, prefix: prefixText === undefined ? (isIPv4(address) ? 32 : 128) : Number(prefixText), range };
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
  const ranges = allowed.map((cidr) => cidr.range);
  const cache = new Map<string, IpClass>();
  return (ip) => {
    let known = cache.get(ip);
    if (known === undefined) {
      const key = canonicalIp(ip);
      // The unspecified address stands for "not known" (Ledgerline's own audit
      // events use it when no client address reached the app): not an outsider.
      known = { key, isAllowed: UNSPECIFIED.has(key) || isInRanges(key, ranges) };
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(ip, known);
    }
    return known;
  };
}

function isInRanges(address: string, ranges: readonly IpKeyRange[]): boolean {
  let key: string;
  try {
    key = ipKey(address);
  } catch (error) {
    if (error instanceof InvalidIpError) return false;
    throw error;
  }
  return ranges.some(({ low, high }) => low <= key && key <= high);
}
