export * from "./browser.js";
export { LOOPBACK_ORIGINS } from "./cors.js";
export {
  type MockEndpoint,
  type MockServerOptions,
  type RequestLogLine,
  type RunningMockServer,
  startMockServer,
} from "./server.js";
