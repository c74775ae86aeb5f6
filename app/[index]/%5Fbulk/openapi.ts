import { bulkOperation } from "@/lib/openapi/bulk-operation";
import { defineRoute } from "@/lib/openapi/define-route";
import * as route from "./route";

export default defineRoute("/{index}/_bulk", route, { POST: bulkOperation(true) });
