import { demoErathosWorkspaceId, demoKeys } from "@keysmith/mock-server";
import { expect } from "vitest";

export const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString("base64")}`;

/** The four APIs as any HTTP client sees them: a path, the documented header, and the error shape. */
export const apis = [
  {
    name: "epsilon3",
    path: "/epsilon3/v1/procedures/summary",
    auth: basic(demoKeys.epsilon3.workspace),
    otherStyle: `Bearer ${demoKeys.epsilon3.workspace}`,
    errorShape: (body: unknown) => expect(body).toEqual({ message: expect.any(String) }),
  },
  {
    name: "epoch",
    path: "/epoch/api/v1/events/",
    auth: `token ${demoKeys.epoch.token}`,
    otherStyle: `Api-Key ${demoKeys.epoch.token}`,
    errorShape: (body: unknown) =>
      expect(body).toEqual({
        error: { code: expect.any(String), message: expect.any(String), request_id: expect.any(String) },
      }),
  },
  {
    name: "getkeymanager",
    path: "/getkeymanager/api/v1/get-all-products",
    auth: `Bearer ${demoKeys.getkeymanager.production}`,
    otherStyle: basic(demoKeys.getkeymanager.production),
    errorShape: (body: unknown) =>
      expect(body).toMatchObject({
        response: { code: 100, message: expect.any(String), timestamp: expect.any(Number) },
        response_base64: expect.any(String),
        private_key_used: "global",
        signature: expect.any(String),
      }),
  },
  {
    name: "erathos",
    path: `/erathos/developers/workspaces/${demoErathosWorkspaceId}/jobs/`,
    auth: `Api-Key ${demoKeys.erathos.key}`,
    otherStyle: `token ${demoKeys.erathos.key}`,
    errorShape: (body: unknown) =>
      expect(body).toEqual({
        error: { code: expect.any(String), message: expect.any(String), request_id: expect.any(String) },
      }),
  },
];
