/**
 * The child side of `MockProcess`: one API's standalone mock in a process of its own, so that a request which
 * makes the mock hang or run out of memory fails that process, not the fuzzer. Started with tsx by
 * `MockProcess.start`; answers `"reset"` messages; exits when the parent goes.
 */
import { type MockApiName, startMockServer } from "@keysmith/mock-server";

const api = process.argv[2] as MockApiName;
// the fuzzer judges the answers against the spec text itself; the mock's own check would turn misfits into 500s
const server = await startMockServer({ port: 0, apis: [api], validateResponses: false });
const endpoint = server.endpoints.find((candidate) => candidate.api === api);
process.on("message", (message) => {
  if (message === "reset") {
    server.mock.reset();
    process.send?.("reset");
  }
});
process.on("disconnect", () => {
  void server.close().finally(() => process.exit(0));
});
process.send?.({ url: server.url, baseUrl: endpoint?.baseUrl });
