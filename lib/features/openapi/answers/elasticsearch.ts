// The Elasticsearch-compatible answers: the bulk API's per-item result and the
// root's version, as log shippers read them.
import { z } from "zod";
import { OPERATIONS } from "@/lib/features/elasticsearch/bulk-body";
import type { BulkAnswer, ItemAnswer } from "@/lib/features/elasticsearch/bulk-ingest";
import { rootAnswer } from "@/lib/features/elasticsearch/probes";
import { component } from "@/lib/features/openapi/components";
import { answerSchema } from "@/lib/features/openapi/wire";

const BulkItemAnswer = answerSchema<ItemAnswer>()(
  z.object({
    _index: z.string().optional(),
    _id: z
      .string()
      .nullable()
      .meta({ description: "The log_id (the action's _id, or one made from the document's content)." }),
    status: z.int().meta({
      description:
        "201 stored, 200 already stored or a line that records no event (noop), 409 stored with other content, 400 not a log, 403 refused by the key's bindings.",
    }),
    result: z.enum(["created", "noop"]).optional(),
    error: z.object({ type: z.string(), reason: z.string() }).optional(),
  }),
);

export const BulkAnswerSchema = component(
  "BulkAnswer",
  answerSchema<BulkAnswer>()(
    z.object({
      took: z.int().min(0).meta({ description: "Milliseconds the request took." }),
      errors: z.boolean().meta({ description: "Whether any item failed (a noop is not a failure)." }),
      items: z
        .array(
          z.object({
            index: BulkItemAnswer.optional(),
            create: BulkItemAnswer.optional(),
            update: BulkItemAnswer.optional(),
            delete: BulkItemAnswer.optional(),
          }),
        )
        .meta({ description: `One per action line, in order, under its operation (${OPERATIONS.join(", ")}).` }),
    }),
  ),
);

export const ElasticsearchRoot = component(
  "ElasticsearchRoot",
  answerSchema<ReturnType<typeof rootAnswer>>()(
    z.object({
      name: z.string(),
      cluster_name: z.string(),
      version: z.object({
        number: z.string(),
        build_flavor: z.string(),
        build_type: z.string(),
        minimum_wire_compatibility_version: z.string(),
        minimum_index_compatibility_version: z.string(),
      }),
      tagline: z.string(),
    }),
  ),
);

/** The other probes' answers: just enough of Elasticsearch's for a shipper to go on. */
export const ProbeAnswer = z
  .record(z.string(), z.unknown())
  .meta({ description: "An Elasticsearch-shaped answer a shipper checks before sending." });
