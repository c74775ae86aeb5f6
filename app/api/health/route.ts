// GET /api/health – liveness of the app and its database (public by design)
import { checkDatabase } from "@/lib/db/health";

export const dynamic = "force-dynamic";

const RETRY_AFTER_SECONDS = "5";

export async function GET() {
  const database = await checkDatabase();
  if (database.up) {
    return Response.json({ status: "ok", db: "up" }, { headers: { "Cache-Control": "no-store" } });
  }
  return Response.json(
    { status: "unavailable", db: "down" },
    { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": RETRY_AFTER_SECONDS } },
  );
}
