// GET /api/health – liveness of the app and its database (public by design)
import { apiHandler } from "@/lib/features/requests/handler";
import { checkDatabase } from "@/lib/platform/db/health";
import { isStorageFullNow } from "@/lib/platform/db/storage-full";

const RETRY_AFTER_SECONDS = "5";

export const GET = apiHandler({ public: true }, async () => {
  const database = await checkDatabase();
  if (database.up) {
    // Reads still work on a full disk, so the instance stays in service: 200, degraded.
    const body = isStorageFullNow() ? { status: "degraded", db: "up", storage: "full" } : { status: "ok", db: "up" };
    return Response.json(body);
  }
  return Response.json(
    { status: "unavailable", db: "down" },
    { status: 503, headers: { "Retry-After": RETRY_AFTER_SECONDS } },
  );
});
