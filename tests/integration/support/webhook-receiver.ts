// An alert webhook receiver on loopback for tests of checkpoints: answers 204
// and keeps each delivery's JSON body; closed when the test file ends.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after } from "node:test";

export async function startWebhookReceiver<Body = unknown>(): Promise<{ url: string; received: Body[] }> {
  const received: Body[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push(JSON.parse(body) as Body);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}
