// Anomaly detection (issue 7): pure rules over a time-ordered stream of logs,
// no database. Feed a detector from a sorted cursor (CLI, GET /api/anomalies)
// or keep one alive and push accepted batches (ingestion); see detector.ts.
export { createDetector, detectAnomalies, type Detector, type DetectorStats } from "./detector";
export { baselineRange, createBaselineBuilder, type BaselineBuilder, type UserBaseline, type UserHistory } from "./baseline";
export {
  DETECTION_ENV,
  DetectionConfigError,
  DetectionConfigSchema,
  detectionConfigFromEnv,
  parseDetectionConfig,
  type DetectionConfig,
  type DetectionConfigInput,
} from "./config";
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
