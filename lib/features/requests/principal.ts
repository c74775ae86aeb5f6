// Who a request is authenticated as: an API key, or a signed-in user.
import type { ApiKeySummary } from "@/lib/records/auth/api-keys";
import type { UserSummary } from "@/lib/records/auth/users";

export type Principal = { kind: "api_key"; apiKey: ApiKeySummary } | { kind: "user"; user: UserSummary };
