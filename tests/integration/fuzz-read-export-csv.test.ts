// Property fuzz of GET /api/logs/export's query string, asking for CSV and XLSX
// (the default format, format=csv, format=xlsx): 1,000 of the route's 2,000 runs
// (support/export-fuzz.ts says what they check).
import { FUZZ_RUNS } from "./support/hostile";
import { fuzzExportQueries } from "./support/export-fuzz";

fuzzExportQueries("fuzz_read_export_csv", ["", "csv", "xlsx"], FUZZ_RUNS / 2, 0);
