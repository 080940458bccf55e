import type { IncomingMessage, ServerResponse } from "node:http";
import type { MockApiName } from "./apis.js";
import type { FaultRule } from "./core/faults.js";
import { MockProblem } from "./core/mock-problem.js";
import type { Mock } from "./mock.js";
import { readBody, writeJson } from "./node-http.js";
import { realtimeAdmin } from "./realtime-admin.js";

/** Where the admin endpoints live on the standalone server. */
export const ADMIN_PREFIX = "/__keysmith/";

/**
 * The admin endpoints, guarded by their own key: `POST /__keysmith/faults` (a fault rule as JSON),
 * `DELETE /__keysmith/faults`, `POST /__keysmith/reset` (optionally `{"seed":"empty"}`) and
 * `GET /__keysmith/logs?api=<api>&key=<key id>` (a key's request log). They send no CORS headers: no web
 * page may drive them.
 */
export async function admin(
  mock: Mock,
  adminKey: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (req.headers.authorization !== `Bearer ${adminKey}`) {
    return writeJson(
      res,
      401,
      { error: { code: "admin_key_required", message: "Send Authorization: Bearer <admin key>" } },
      { "WWW-Authenticate": 'Bearer realm="Keysmith mock admin"' },
    );
  }
  const action = `${req.method} ${url.pathname.slice(ADMIN_PREFIX.length)}`;
  const body = async () => {
    const text = await readBody(req, mock.bodyLimit);
    return text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  try {
    if (action.startsWith(`${req.method} realtime/`)) {
      const answer = await realtimeAdmin(
        mock,
        req.method ?? "GET",
        url.pathname.slice(ADMIN_PREFIX.length + "realtime/".length),
        body,
      );
      if (answer) return writeJson(res, answer.status, answer.body);
    }
    switch (action) {
      case "POST faults":
        mock.inject((await body()) as FaultRule);
        return writeJson(res, 201, { faults: mock.faults.size });
      case "DELETE faults":
        mock.faults.clear();
        return writeJson(res, 200, { faults: 0 });
      case "POST reset": {
        const seed = (await body()).seed;
        mock.reset(seed === "empty" ? "empty" : undefined);
        return writeJson(res, 200, { reset: true });
      }
      case "GET logs": {
        const api = url.searchParams.get("api") as MockApiName | null;
        const runtime = api && mock.enabled.includes(api) ? mock.apis[api] : undefined;
        if (!runtime)
          return writeJson(res, 404, {
            error: { code: "no_such_api", message: `api must be one of ${mock.enabled.join(", ")}` },
          });
        return writeJson(res, 200, { entries: runtime.requestLog(url.searchParams.get("key") ?? "") });
      }
      default:
        return writeJson(res, 404, { error: { code: "not_found", message: `No admin action ${action}` } });
    }
  } catch (error) {
    return writeJson(res, error instanceof MockProblem ? error.status : 422, {
      error: { code: "invalid", message: error instanceof Error ? error.message : String(error) },
    });
  }
}
