"use client";

import { EmptyState } from "@/components/ui/EmptyState";
import { secondaryButton } from "@/components/ui/buttons";

/** Anything a page failed to load: say so, and offer to try again (the database may be back by then). */
export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState title="This page could not be loaded" tone="error">
      <p>
        Something went wrong while reading the data for this page, most often because the database was briefly
        unreachable.
      </p>
      <p>
        <button type="button" className={secondaryButton} onClick={reset}>
          Try again
        </button>
      </p>
    </EmptyState>
  );
}
