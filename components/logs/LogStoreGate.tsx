import { connection } from "next/server";
import { getDb } from "@/lib/platform/db/client";
import { getLogStoreState } from "@/lib/features/explorer/log-pages";
import { DatabaseUnavailable } from "./DatabaseUnavailable";
import { NoLogsYet } from "./NoLogsYet";

/** Renders children only when logs exist; otherwise the empty or database-down state. */
export async function LogStoreGate({ emptyText, children }: { emptyText: string; children: React.ReactNode }) {
  await connection();
  const state = await getLogStoreState(getDb());
  if (state === "unavailable") return <DatabaseUnavailable />;
  if (state === "empty") return <NoLogsYet what={emptyText} />;
  return children;
}
