// Merkle Tree Hash of RFC 9162 §2.1.1 (Certificate Transparency v2) with
// SHA-256, over one leaf per sequence number: a log's leaf encoding (its
// summary and content digest), or a void leaf for a number that carries no log. Leaf and node hashes carry
// different prefixes (0x00, 0x01), so a leaf can never pass for a subtree.
import { createHash, hash } from "node:crypto";
import {
  encodeCanonicalVoid,
  encodeLogLeaf,
  withEncodedLog,
  type EncodedLog,
  type LeafSummary,
  type SignedLogFields,
} from "./canonical";

const HASH_BYTES = 32;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function leafHash(data: Buffer): Buffer {
  return sha256(Buffer.concat([LEAF_PREFIX, data]));
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest();
}

/** The root of a tree with no leaves: SHA-256 of the empty string. */
export function emptyRoot(): Buffer {
  return createHash("sha256").digest();
}

export function logLeafHash(fields: SignedLogFields): Buffer {
  return withEncodedLog(fields, fields.key_id, logLeafHashOfEncoded);
}

/** The same leaf hash from a log already encoded (signing encodes one). */
export function logLeafHashOfEncoded(encoded: EncodedLog): Buffer {
  return leafHash(encoded.leaf(hash("sha256", encoded.canonical, "hex")));
}

/** The leaf hash of a log known only by its summary and content digest (an `omitted` export line). */
export function summaryLeafHash(summary: LeafSummary, contentDigest: Buffer): Buffer {
  return leafHash(encodeLogLeaf(summary, contentDigest));
}

// One-shot hashing to hex costs half of createHash (or of hash() to a Buffer) on Node 20.
export function sha256(bytes: Buffer): Buffer {
  return Buffer.from(hash("sha256", bytes, "hex"), "hex");
}

export function voidLeafHash(sequence: number): Buffer {
  return leafHash(encodeCanonicalVoid(sequence));
}

/** The recursive definition, straight from the RFC: for tests and small inputs (it holds every leaf). */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  for (const hash of leafHashes) assertLeafHash(hash);
  return subtreeRoot(leafHashes);
}

function subtreeRoot(leafHashes: readonly Buffer[]): Buffer {
  const n = leafHashes.length;
  if (n === 0) return emptyRoot();
  if (n === 1) return Buffer.from(leafHashes[0]!);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(subtreeRoot(leafHashes.slice(0, k)), subtreeRoot(leafHashes.slice(k)));
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The same root, built as leaves stream in, holding O(log n) hashes: a stack
 * of perfect subtrees whose sizes are the binary digits of n, largest first.
 * The RFC splits n at the largest power of two below it, which is exactly the
 * bottom subtree when n is not a power of two; so folding the stack from the
 * right gives the recursive root for every n.
 */
export class MerkleRootBuilder {
  readonly #stack: { hash: Buffer; size: number }[] = [];
  #size = 0;

  add(leafHash: Buffer): void {
    assertLeafHash(leafHash);
    let top: { hash: Buffer; size: number } = { hash: Buffer.from(leafHash), size: 1 };
    for (let below = this.#stack.at(-1); below?.size === top.size; below = this.#stack.at(-1)) {
      this.#stack.pop();
      top = { hash: nodeHash(below.hash, top.hash), size: below.size * 2 };
    }
    this.#stack.push(top);
    this.#size++;
  }

  get size(): number {
    return this.#size;
  }

  /** Does not consume the builder: more leaves may be added afterwards. */
  root(): Buffer {
    if (this.#stack.length === 0) return emptyRoot();
    let root = this.#stack.at(-1)!.hash;
    for (let i = this.#stack.length - 2; i >= 0; i--) root = nodeHash(this.#stack[i]!.hash, root);
    return Buffer.from(root);
  }
}

function assertLeafHash(hash: unknown): asserts hash is Buffer {
  if (!Buffer.isBuffer(hash) || hash.length !== HASH_BYTES) {
    throw new TypeError(`a Merkle leaf hash must be a ${HASH_BYTES}-byte Buffer`);
  }
}
