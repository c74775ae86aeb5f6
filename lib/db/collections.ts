/** Every collection Ledgerline owns, by role; and the rollups, one collection per UTC day named rollups_YYYYMMDD (lib/rollups/rollups.ts). */
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
  derivedMarks: "derived_marks",
  purges: "purges",
  anomalyTail: "anomaly_tail",
  baselines: "baselines",
  alertChanges: "alert_changes",
  alertSnapshots: "alert_snapshots",
  searchParts: "search_parts",
  searchDays: "search_days",
  searchState: "search_state",
  misplacedLogs: "misplaced_logs",
  leases: "leases",
  skippedLines: "skipped_lines",
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];
