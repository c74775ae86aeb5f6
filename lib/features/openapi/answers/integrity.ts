// Checkpoints, their keys and verification reports in the document.
import { z } from "zod";
import type { PublicKeyInfo } from "@/lib/records/integrity/checkpoint-keys";
import type { SignedCheckpoint } from "@/lib/records/integrity/checkpoint-record";
import type { StoredReport } from "@/lib/records/integrity/reports";
import type { VerifyReport } from "@/lib/records/integrity/verify";
import { component } from "@/lib/features/openapi/components";
import { answerSchema, WireDate } from "@/lib/features/openapi/wire";

const HexDigest = z.string().regex(/^[0-9a-f]{64}$/);

export const CheckpointAnswer = component(
  "Checkpoint",
  answerSchema<SignedCheckpoint>()(
    z.object({
      number: z.int().min(1),
      start_sequence: z.int().min(0).meta({ description: "Inclusive." }),
      end_sequence: z.int().min(0).meta({ description: "Exclusive; equal to start_sequence for an empty checkpoint." }),
      log_count: z.int().min(0),
      voids: z.array(z.int()).meta({ description: "Sequences of the range that carry no log." }),
      root: HexDigest.meta({ description: "Merkle root over the range's leaves in sequence order." }),
      previous_digest: HexDigest.nullable().meta({
        description: "Digest of the checkpoint before; null only for number 1.",
      }),
      created_at: WireDate,
      key_id: z.string(),
      signature: z.string().meta({ description: "Ed25519, base64url." }),
      digest: HexDigest,
    }),
  ),
);

export const PublicKeyAnswer = component(
  "CheckpointPublicKey",
  answerSchema<PublicKeyInfo>()(
    z.object({
      key_id: z.string(),
      pem: z.string(),
      active: z.boolean().meta({ description: "Whether it signs new checkpoints." }),
    }),
  ),
);

const PROBLEM_KINDS = [
  "edited",
  "deleted",
  "inserted",
  "reordered",
  "copied",
  "truncated",
  "bad-checkpoint",
  "unverifiable",
] as const;

export const VerifyReportAnswer = component(
  "VerifyReport",
  answerSchema<VerifyReport>()(
    z.object({
      ok: z.boolean(),
      checked: z.int().min(0),
      valid: z.int().min(0),
      pending: z
        .int()
        .min(0)
        .meta({ description: "Logs newer than the last checkpoint: MACs checked, completeness not yet." }),
      checkpoints: z.int().min(0),
      problem_count: z.int().min(0),
      problems: z
        .array(
          z.object({
            kind: z.enum(PROBLEM_KINDS),
            sequence: z.int().optional(),
            log_id: z.string().optional(),
            checkpoint: z.int().optional(),
            line: z.int().optional(),
            detail: z.string(),
          }),
        )
        .meta({ description: "The first 1,000 problems." }),
      window: z.object({ from: WireDate.nullable(), to: WireDate.nullable() }),
      purged_through_sequence: z.int().nullable(),
      started_at: WireDate,
      finished_at: WireDate,
    }),
  ),
);

export const StoredReportAnswer = component(
  "StoredVerifyReport",
  answerSchema<Omit<StoredReport, "_id"> & { id: string }>()(
    VerifyReportAnswer.extend({ id: z.string(), run_by: z.string() }),
  ),
);

export const EXAMPLE_CHECKPOINT: z.input<typeof CheckpointAnswer> = {
  number: 57,
  start_sequence: 1001,
  end_sequence: 1043,
  log_count: 41,
  voids: [1017],
  root: "a3f1c9e0b7d5f2a8c6e4b2d0f8a6c4e2b0d8f6a4c2e0b8d6f4a2c0e8b6d4f2a0",
  previous_digest: "0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d",
  created_at: "2026-01-31T12:01:00.000Z",
  key_id: "ck2026",
  signature: "q3Zk0v1qkYH0l3m7c2N8uFhR6yA5pW9tE4sD1gB0xJ2nL7oK8iM3vC6zQ5rT9wU4eY1aS0dF2gH8jK7lZ3xC6vB",
  digest: "7c4a8d09ca3762af61e59520943dc26494f8941b7c4a8d09ca3762af61e59520",
};

export const EXAMPLE_PUBLIC_KEY: z.input<typeof PublicKeyAnswer> = {
  key_id: "ck2026",
  pem: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n",
  active: true,
};

export const EXAMPLE_VERIFY_REPORT: z.input<typeof VerifyReportAnswer> = {
  ok: true,
  checked: 1042,
  valid: 1042,
  pending: 0,
  checkpoints: 57,
  problem_count: 0,
  problems: [],
  window: { from: null, to: null },
  purged_through_sequence: null,
  started_at: "2026-01-31T12:05:00.000Z",
  finished_at: "2026-01-31T12:05:01.250Z",
};
