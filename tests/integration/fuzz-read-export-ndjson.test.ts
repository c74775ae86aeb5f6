// Property fuzz of GET /api/logs/export's query string, asking for the
// verifiable NDJSON export: the other 1,000 of the route's 2,000 runs
// (support/export-fuzz.ts says what they check).
import { FUZZ_RUNS } from "./support/hostile";
import { fuzzExportQueries } from "./support/export-fuzz";

fuzzExportQueries("fuzz_read_export_ndjson", ["ndjson"], FUZZ_RUNS / 2, 1);
