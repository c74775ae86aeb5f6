/** Request header in which the proxy passes a page its own path, for sign-in redirects. */
export const PATH_HEADER = "x-ledgerline-path";
