/** Every collection Ledgerline owns, by role. */
export const COLLECTIONS = {
  logs: "logs",
  users: "users",
  apiKeys: "api_keys",
  checkpoints: "checkpoints",
  alerts: "alerts",
  counters: "counters",
  sequenceBlocks: "sequence_blocks",
  sequenceSettlements: "sequence_settlements",
  sessions: "sessions",
  rateLimitEvents: "rate_limit_events",
  integrityReports: "integrity_reports",
  /** Rollups by UTC day, hour and quarter (lib/rollups); "rollups" held the per-checkpoint documents before. */
  periods: "periods",
  derivedMarks: "derived_marks",
  purges: "purges",
  anomalyTail: "anomaly_tail",
  alertChanges: "alert_changes",
  alertSnapshots: "alert_snapshots",
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];
