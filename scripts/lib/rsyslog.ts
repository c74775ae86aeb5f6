import { ensureDebianPackage } from "./debian-package";

/** rsyslog and its Elasticsearch output, run in the foreground by the test that ships auth.log with deploy/rsyslog/ledgerline.conf. */
export const RSYSLOGD_PATH = "/usr/sbin/rsyslogd";

const MULTIARCH: Record<string, string> = { x64: "x86_64-linux-gnu", arm64: "aarch64-linux-gnu" };

export function ensureRsyslog(): void {
  ensureDebianPackage(RSYSLOGD_PATH, "rsyslog", "the rsyslog test");
  ensureDebianPackage(
    `/usr/lib/${MULTIARCH[process.arch] ?? `${process.arch}-linux-gnu`}/rsyslog/omelasticsearch.so`,
    "rsyslog-elasticsearch",
    "the rsyslog test",
  );
}
