// Every route's OpenAPI declaration (the openapi.ts next to its route.ts).
// The test next to this file fails when a route file or method has none.
import indexBulk from "@/app/[index]/%5Fbulk/openapi";
import bulk from "@/app/%5Fbulk/openapi";
import catHealth from "@/app/%5Fcat/health/openapi";
import clusterHealth from "@/app/%5Fcluster/health/openapi";
import indexTemplate from "@/app/%5Findex_template/[name]/openapi";
import license from "@/app/%5Flicense/openapi";
import xpack from "@/app/%5Fxpack/openapi";
import alertStatus from "@/app/api/alerts/[id]/status/openapi";
import alerts from "@/app/api/alerts/openapi";
import alertStatuses from "@/app/api/alerts/status/openapi";
import anomalies from "@/app/api/anomalies/openapi";
import anomalyStream from "@/app/api/anomalies/stream/openapi";
import login from "@/app/api/auth/login/openapi";
import logout from "@/app/api/auth/logout/openapi";
import totpConfirm from "@/app/api/auth/totp/confirm/openapi";
import totpDisable from "@/app/api/auth/totp/disable/openapi";
import totp from "@/app/api/auth/totp/openapi";
import recoveryCodes from "@/app/api/auth/totp/recovery-codes/openapi";
import elasticsearchRoot from "@/app/api/elasticsearch/openapi";
import health from "@/app/api/health/openapi";
import importLogs from "@/app/api/import/openapi";
import integrityHead from "@/app/api/integrity/head/openapi";
import integrity from "@/app/api/integrity/openapi";
import publicKey from "@/app/api/integrity/public-key/openapi";
import verify from "@/app/api/integrity/verify/openapi";
import key from "@/app/api/keys/[id]/openapi";
import keys from "@/app/api/keys/openapi";
import logExport from "@/app/api/logs/export/openapi";
import logs from "@/app/api/logs/openapi";
import syslog from "@/app/api/logs/syslog/openapi";
import openApi from "@/app/api/openapi.json/openapi";
import suppression from "@/app/api/suppressions/[id]/openapi";
import suppressions from "@/app/api/suppressions/openapi";
import userDisable from "@/app/api/users/[id]/disable/openapi";
import users from "@/app/api/users/openapi";
import otlpLogs from "@/app/v1/logs/openapi";
import type { RouteDeclaration } from "@/lib/features/openapi/define-route";

/** In the document's order. */
export const ROUTES: readonly RouteDeclaration[] = [
  logs,
  syslog,
  otlpLogs,
  bulk,
  indexBulk,
  elasticsearchRoot,
  catHealth,
  clusterHealth,
  license,
  xpack,
  indexTemplate,
  logExport,
  alerts,
  alertStatus,
  alertStatuses,
  suppressions,
  suppression,
  anomalies,
  anomalyStream,
  integrity,
  integrityHead,
  publicKey,
  verify,
  login,
  logout,
  totp,
  totpConfirm,
  totpDisable,
  recoveryCodes,
  keys,
  key,
  users,
  userDisable,
  importLogs,
  health,
  openApi,
];
