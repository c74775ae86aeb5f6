// What log shippers ask an Elasticsearch server before they send
// (docs/shippers.md): just enough for them to go on, nothing stored.

/** The version shippers are told: one whose bulk API (no _type) this speaks. */
const ELASTICSEARCH_VERSION = "8.17.0";

/** Elasticsearch's own clients refuse an 8.x answer without the product header. */
export const ELASTIC_HEADERS = { "X-Elastic-Product": "Elasticsearch" } as const;

export function rootAnswer() {
  return {
    name: "ledgerline",
    cluster_name: "ledgerline",
    version: {
      number: ELASTICSEARCH_VERSION,
      build_flavor: "default",
      build_type: "ledgerline",
      minimum_wire_compatibility_version: "7.17.0",
      minimum_index_compatibility_version: "7.0.0",
    },
    tagline: "You Know, for Search",
  };
}

export function clusterHealthAnswer() {
  return { cluster_name: "ledgerline", status: "green", timed_out: false, number_of_nodes: 1, number_of_data_nodes: 1 };
}

/** GET /_cat/health as text, as Elasticsearch answers without ?format=json. */
export function catHealthText(now: Date): string {
  const seconds = Math.floor(now.getTime() / 1000);
  return `${seconds} ${now.toISOString().slice(11, 19)} ledgerline green 1 1 - - - - - - - -\n`;
}

const LICENSE = { status: "active", type: "basic", mode: "basic" } as const;

export function licenseAnswer() {
  return { license: LICENSE };
}

export function xpackAnswer() {
  return { build: {}, license: LICENSE, features: {} };
}
