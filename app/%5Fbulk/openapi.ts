import { bulkOperation } from "@/lib/features/openapi/bulk-operation";
import { defineRoute } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/_bulk", route, { POST: bulkOperation(false) });
