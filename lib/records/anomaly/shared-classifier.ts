// One IP classifier per allowlist, shared by the detector and the tally
// counter that every checkpoint creates anew: canonicalising an address and
// checking it against the allowlist cost more than the rest of a log's
// detection, and a checkpoint's addresses are mostly those of the last one.
import { createIpClassifier, type Cidr, type IpClass } from "@/lib/foundation/net/networks";

const classifiers = new WeakMap<readonly Cidr[], (ip: string) => IpClass>();

/** The classifier of `allowed` (the same array: a configuration's), made once. */
export function sharedIpClassifier(allowed: readonly Cidr[]): (ip: string) => IpClass {
  let classify = classifiers.get(allowed);
  if (classify === undefined) classifiers.set(allowed, (classify = createIpClassifier(allowed)));
  return classify;
}
