// The findings page's URL: `range` (one of FINDINGS_RANGES) is how far back
// detection looks, `run=1` that it was asked to; without it nothing runs.
import { z } from "zod";
import type { FieldProblem } from "@/lib/platform/http/validation";
import { parsePageParams } from "@/lib/platform/http/page-params";
import { FINDINGS_RANGES, FindingsRangeName, type FindingsRange } from "./page-params";

const FindingsPageParams = z.strictObject({
  range: FindingsRangeName,
  run: z.literal("1", { message: "must be 1 (run detection now) or left out" }).optional(),
});

export type FindingsPageView = { range: FindingsRange; run: boolean };

export function parseFindingsPageParams(
  params: URLSearchParams,
): { view: FindingsPageView } | { problems: FieldProblem[] } {
  const parsed = parsePageParams(FindingsPageParams, params);
  if ("problems" in parsed) return parsed;
  return {
    view: {
      range: FINDINGS_RANGES.find((preset) => preset.value === parsed.values.range)!,
      run: parsed.values.run === "1",
    },
  };
}
