// GET /api/integrity/head – the latest signed checkpoint, for auditors to keep (public by design)
import { getDb } from "@/lib/platform/db/client";
import { ApiError } from "@/lib/platform/http/errors";
import { apiHandler } from "@/lib/features/requests/handler";
import { latestCheckpoint } from "@/lib/records/integrity/checkpoints";

export const GET = apiHandler({ public: true }, async () => {
  const head = await latestCheckpoint(await getDb());
  if (!head) throw new ApiError("not_found", "No checkpoint has been written yet.");
  return Response.json(head);
});
