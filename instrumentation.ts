// Runs once when a Next.js server starts: validate the configuration (a bad
// variable stops the server with a message naming it) and create indexes.
export async function register() {
  // NEXT_RUNTIME and NEXT_PHASE are set by Next.js itself, not by operators,
  // so they are read here rather than through lib/config.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { prepareDatabaseInBackground } = await import("@/lib/db/startup");
  prepareDatabaseInBackground();
}
