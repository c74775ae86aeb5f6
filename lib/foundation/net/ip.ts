// IP addresses and CIDR ranges as fixed-width keys: 32 lowercase hex digits of
// the 128-bit value, IPv4 mapped into ::ffff:0:0/96. Keys sort as the
// addresses do, so a CIDR range is a string range [low, high] that any
// database can compare, and ::ffff:10.0.0.1 is the same address as 10.0.0.1.
import { isIPv4, isIPv6 } from "node:net";

/** The keys of the first and last address of a range (equal for one address). */
export type IpKeyRange = { low: string; high: string };

export class InvalidIpError extends Error {
  override name = "InvalidIpError";
}

const BITS = 128;
const IPV4_MAPPED = 0xffffn << 32n;
const ALL_ONES = (1n << 128n) - 1n;

/** The key of one IPv4 or IPv6 address; throws InvalidIpError for anything else. */
export function ipKey(address: string): string {
  if (isIPv4(address)) return ipv4Key(address);
  return keyOf(parseAddress(address));
}

// Nearly every log has an IPv4 address; its key needs no 128-bit arithmetic.
const IPV4_KEY_PREFIX = keyOf(IPV4_MAPPED).slice(0, (BITS - 32) / 4);
const DOT = 0x2e;
const ZERO = 0x30;

// Only for what isIPv4 accepted: four decimal octets with dots between.
function ipv4Key(address: string): string {
  let value = 0;
  let octet = 0;
  for (let i = 0; i < address.length; i++) {
    const unit = address.charCodeAt(i);
    if (unit === DOT) {
      value = value * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + unit - ZERO;
  }
  return IPV4_KEY_PREFIX + (value * 256 + octet).toString(16).padStart(8, "0");
}

/** The key range of a CIDR range such as 10.0.3.0/24 or 2001:db8::/32. */
export function cidrKeyRange(cidr: string): IpKeyRange {
  const slash = cidr.indexOf("/");
  if (slash < 0) throw new InvalidIpError(`'${cidr}' is not a CIDR range (expected address/prefix, e.g. 10.0.3.0/24)`);
  return rangeOf(cidr.slice(0, slash), cidr.slice(slash + 1));
}

/** An address (a range of one) or a CIDR range. */
export function ipKeyRange(addressOrCidr: string): IpKeyRange {
  if (addressOrCidr.includes("/")) return cidrKeyRange(addressOrCidr);
  const key = ipKey(addressOrCidr);
  return { low: key, high: key };
}

export function isInCidr(address: string, cidr: string): boolean {
  const key = ipKey(address);
  const { low, high } = cidrKeyRange(cidr);
  return low <= key && key <= high;
}

function rangeOf(address: string, prefixText: string): IpKeyRange {
  const cidr = `${address}/${prefixText}`;
  const value = parseAddress(address);
  const familyBits = isIPv4(address) ? 32 : BITS;
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > familyBits) {
    throw new InvalidIpError(`'${cidr}' has an invalid prefix length (expected 0 to ${familyBits})`);
  }
  const hostBits = BigInt(familyBits - Number(prefixText));
  const hostMask = (1n << hostBits) - 1n;
  if ((value & hostMask) !== 0n) {
    const network = value & (ALL_ONES ^ hostMask);
    throw new InvalidIpError(
      `'${cidr}' has bits set after the prefix; did you mean ${formatLike(address, network)}/${prefixText}?`,
    );
  }
  return { low: keyOf(value), high: keyOf(value | hostMask) };
}

function parseAddress(address: string): bigint {
  if (isIPv4(address)) return IPV4_MAPPED | ipv4Value(address);
  // node accepts a zone (fe80::1%eth0); a zone is not part of the address.
  if (isIPv6(address) && !address.includes("%")) return ipv6Value(address);
  throw new InvalidIpError(`'${address}' is not an IPv4 or IPv6 address`);
}

function ipv4Value(address: string): bigint {
  return address.split(".").reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

function ipv6Value(address: string): bigint {
  const [head = "", tail] = address.split("::");
  const groups = (part: string | undefined) => (part ? part.split(":").flatMap(groupValues) : []);
  const left = groups(head);
  const right = groups(tail);
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<bigint>(missing).fill(0n), ...right].reduce((value, group) => (value << 16n) | group, 0n);
}

// A trailing dotted quad is two 16-bit groups.
function groupValues(group: string): bigint[] {
  if (!group.includes(".")) return [BigInt(`0x${group}`)];
  const value = ipv4Value(group);
  return [value >> 16n, value & 0xffffn];
}

function keyOf(value: bigint): string {
  return value.toString(16).padStart(BITS / 4, "0");
}

function formatLike(address: string, value: bigint): string {
  if (isIPv4(address)) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
  return groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}
