// Anomaly detection: pure rules over a time-ordered stream of logs; nothing
// here reads or writes the database. Its callers feed it: each checkpoint's
// derivation (lib/derived/alerts/detect.ts) and the on-demand findings over a
// range (lib/derived/alerts/find-anomalies.ts); see detector.ts.
export { createDetector, detectAnomalies, type Detector, type DetectorStats } from "./detector";
export {
  baselineRange,
  createBaselineBuilder,
  type BaselineBuilder,
  type UserBaseline,
  type UserHistory,
} from "./baseline";
export {
  DETECTION_ENV,
  DetectionConfigError,
  DetectionConfigSchema,
  detectionConfigFromEnv,
  parseDetectionConfig,
  type DetectionConfig,
  type DetectionConfigInput,
} from "@/lib/foundation/detection-config";
export {
  FINDING_TYPES,
  MAX_LOG_IDS,
  SEVERITIES,
  compareFindings,
  detectableLogOf,
  type Counting,
  type DetectableLog,
  type Finding,
  type FindingType,
  type Severity,
} from "./finding";
