import { z } from "zod";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import * as route from "./route";

const Health = z.object({
  status: z.enum(["ok", "degraded", "unavailable"]),
  db: z.enum(["up", "down"]),
  storage: z.enum(["full"]).optional().meta({
    description:
      "Present while the database refuses writes for lack of disk space (seen by this instance within the last minute).",
  }),
});

export default defineRoute("/api/health", route, {
  GET: {
    operationId: "getHealth",
    summary: "Liveness of the app and its database",
    description: "Answers within DB_TIMEOUT_MS (2 s) even while the database hangs.",
    tag: "meta",
    responses: {
      200: {
        description:
          "The app and its database are up; `degraded` with `storage: full` while the database's disk is full (reads work, writes answer 503 storage_full).",
        content: json(Health, { status: "ok", db: "up" }),
      },
      503: {
        description: "The database cannot be reached.",
        headers: { "Retry-After": { description: "Seconds before asking again.", schema: z.string() } },
        content: json(Health, { status: "unavailable", db: "down" }),
      },
    },
  },
});
