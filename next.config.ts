import type { NextConfig } from "next";
import { apiSecurityHeaderRules } from "./lib/platform/http/api-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-only packages, loaded from node_modules rather than bundled: the
  // driver, and protobufjs (OTLP/HTTP), whose code generation and optional requires run at run time.
  serverExternalPackages: ["mongodb", "protobufjs"],
  typedRoutes: true,
  // The request proxy does not run for API paths; their answers get the security headers here.
  headers: async () => apiSecurityHeaderRules(),
};

export default nextConfig;
