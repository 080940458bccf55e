// The floor for mock throughput: plain node:http answering Epsilon3's dictionary list, with the same auth check.
import { createServer } from "node:http";

const expected = `Basic ${Buffer.from(`${process.argv[2]}:`).toString("base64")}`;
const body = JSON.stringify([
  { id: 1, name: "Flight" },
  { id: 2, name: "Ground" },
]);
const server = createServer((req, res) => {
  if (req.headers.authorization !== expected) {
    res.writeHead(401, { "Content-Type": "application/json" });
    res.end('{"message":"Invalid API key"}');
    return;
  }
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`http://127.0.0.1:${server.address().port}\n`));
