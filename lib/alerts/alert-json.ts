import type { Alert } from "./alerts";

/** An alert as API clients and the webhook see it: its id as `id`, no internal fields. */
export function alertJson({ _id, subject_key: _subjectKey, ...alert }: Alert) {
  return { id: _id, ...alert };
}
