import { MAX_NOTE_LENGTH } from "@/lib/derived/alerts/transitions";

/** The optional note of a status change. */
export function NoteInput({
  value,
  onChange,
  disabled,
  label,
}: {
  value: string;
  onChange: (note: string) => void;
  disabled: boolean;
  label: string;
}) {
  return (
    <input
      type="text"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      maxLength={MAX_NOTE_LENGTH}
      disabled={disabled}
      placeholder="Note (optional)"
      aria-label={label}
      className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm sm:w-56 sm:flex-none"
    />
  );
}
