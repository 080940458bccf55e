// A loopback JSON server for the per-call benchmark: any path answers the same small body.
import { createServer } from "node:http";

const body = JSON.stringify({
  data: [{ _id: "A1b2C3d4E5f6G7h8I9j0K1", code: "OPS-101", name: "Pre-launch checklist", version: "1.0" }],
});
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
