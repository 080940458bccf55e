// Our MSW handlers behind @mswjs/http-middleware: the way MSW is usually put on a port.
import { createServer } from "@mswjs/http-middleware";
import { createHandlers, Mock } from "../../packages/mock-server/src/index.js";

const app = createServer(...createHandlers(new Mock({ apis: ["epsilon3"], rateLimits: false }), { origin: "*" }));
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}\n`);
});
