// Runs once when a Next.js server starts: validate the configuration and the
// signing keys (a bad variable stops the server, naming it), connect (which
// creates indexes) and start the checkpoint timer (lib/features/startup.ts).
export async function register() {
  // NEXT_RUNTIME and NEXT_PHASE are set by Next.js itself, not by operators,
  // so they are read here rather than through lib/foundation/config.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { prepareAtStartup } = await import("@/lib/features/startup");
  prepareAtStartup();
}
