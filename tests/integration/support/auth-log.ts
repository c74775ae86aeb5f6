// auth.log lines as rsyslog writes them on Debian (RFC 3164 without PRI, times in UTC), for the syslog tests,
// and the check those tests end on: the brute force they ship raises its alert.
import assert from "node:assert/strict";
import type { Db } from "mongodb";
import { alertsCollection } from "@/lib/derived/alerts/alert-record";
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Dec  7 10:00:01": month, space-padded day and time, in UTC. */
export function bsdTime(time: Date): string {
  const day = String(time.getUTCDate()).padStart(2, " ");
  return `${MONTHS[time.getUTCMonth()]} ${day} ${time.toISOString().slice(11, 19)}`;
}

export function authLogLine(time: Date, host: string, tag: string, message: string): string {
  return `${bsdTime(time)} ${host} ${tag}: ${message}`;
}

/** `count` failed sshd passwords from one address, a second apart from `start`, with sshd's and PAM's lines beside them. */
export function bruteForceLines(start: Date, host: string, ip: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const time = new Date(start.getTime() + index * 1_000);
    const tag = `sshd[${2000 + index}]`;
    const port = 40000 + index;
    return [
      authLogLine(time, host, tag, `Invalid user admin from ${ip} port ${port}`),
      authLogLine(
        time,
        host,
        tag,
        `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`,
      ),
      authLogLine(time, host, tag, `Failed password for invalid user admin from ${ip} port ${port} ssh2`),
    ];
  }).flat();
}

/** Writes the next checkpoint and checks that it raised one failure_burst alert for `ip` counting `count` failures. */
export async function assertCheckpointRaisesBurst(db: Db, ip: string, count: number): Promise<void> {
  await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
  const burst = await alertsCollection(db).findOne({ type: "failure_burst", ip });
  assert.ok(burst, `a failure_burst alert for ${ip}`);
  assert.equal(burst.count, count);
}
