// POST /_bulk – the Elasticsearch bulk API, for the log shippers people already run (docs/shippers.md)
import { bulkPost } from "@/lib/features/elasticsearch/bulk-request";

export const POST = bulkPost;
