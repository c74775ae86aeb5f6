"use client";

import { setTimeDisplay, useTimeDisplay } from "./time-display";

export function TimeDisplayToggle() {
  const display = useTimeDisplay() ?? "local";
  return (
    <fieldset className="flex items-center gap-2 text-sm text-slate-700">
      <legend className="sr-only">Show times in</legend>
      <span aria-hidden>Times:</span>
      {(["local", "utc"] as const).map((option) => (
        <label key={option} className="flex items-center gap-1">
          <input
            type="radio"
            name="time-display"
            value={option}
            checked={display === option}
            onChange={() => setTimeDisplay(option)}
          />
          {option === "local" ? "your time zone" : "UTC"}
        </label>
      ))}
    </fieldset>
  );
}
