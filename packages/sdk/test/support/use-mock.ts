import { createHandlers, Mock } from "@keysmith/mock-server";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

/**
 * The mock behind MSW for one test file: real URLs intercepted, anything unmocked is an error, and every
 * test starts from the seed data.
 */
export function useMock(): { mock: Mock; requests: Request[]; server: ReturnType<typeof setupServer> } {
  const mock = new Mock();
  const server = setupServer(...createHandlers(mock));
  const requests: Request[] = [];
  server.events.on("request:start", ({ request }) => {
    requests.push(request.clone());
  });
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    server.resetHandlers();
    mock.reset();
    requests.length = 0;
  });
  afterAll(() => server.close());
  return { mock, requests, server };
}
