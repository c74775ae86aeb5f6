import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-only packages, loaded from node_modules rather than bundled: the
  // driver, and protobufjs (OTLP/HTTP), whose code generation and optional requires run at run time.
  serverExternalPackages: ["mongodb", "protobufjs"],
  typedRoutes: true,
};

export default nextConfig;
