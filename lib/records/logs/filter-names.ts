// The names of the explorer's repeatable parameters, free of dependencies so
// that the filter form in the browser reads them as the server does.

export const LIST_FIELDS = ["status", "ip", "user", "action", "source", "ingested_by"] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export const EXCLUDE_PREFIX = "exclude_";
export const META_PREFIX = "meta.";

/** What a list parameter filters on: a field, or a metadata key (`meta.host.name`: host.name), and whether its values are excluded. */
export type ListParameter = { excluded: boolean } & ({ field: ListField } | { metaKey: string });

/** The list a parameter name feeds, or undefined when the parameter is not repeatable. */
export function readListParameter(name: string): ListParameter | undefined {
  const excluded = name.startsWith(EXCLUDE_PREFIX);
  const rest = excluded ? name.slice(EXCLUDE_PREFIX.length) : name;
  if ((LIST_FIELDS as readonly string[]).includes(rest)) return { excluded, field: rest as ListField };
  if (rest.startsWith(META_PREFIX)) return { excluded, metaKey: rest.slice(META_PREFIX.length) };
  return undefined;
}

export function isListParameter(name: string): boolean {
  return readListParameter(name) !== undefined;
}
