import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The driver is server-only and must not be bundled into client code.
  serverExternalPackages: ["mongodb"],
  typedRoutes: true,
};

export default nextConfig;
