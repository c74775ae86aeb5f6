// POST /<index>/_bulk – the Elasticsearch bulk API with a default index (docs/shippers.md)
import { bulkPost } from "@/lib/features/elasticsearch/bulk-request";

export const POST = bulkPost;
