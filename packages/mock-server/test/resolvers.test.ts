import { mockApis } from "@keysmith/mock-server";
import { expect, test } from "vitest";

test.each(Object.entries(mockApis))("%s has one resolver per operation of its spec, and no other", (_name, api) => {
  expect(Object.keys(api.resolvers).sort()).toEqual(api.spec.operations.map((op) => op.operationId).sort());
});

test("in tests, an answer the spec does not allow is a MockContractError, not a silent drift", async () => {
  const { MockApiRuntime, MockContractError, demoKeys } = await import("@keysmith/mock-server");
  const api = mockApis.epsilon3;
  const drifted = new MockApiRuntime({
    ...api,
    resolvers: { ...api.resolvers, listDictionaries: () => ({ body: { wrong: true } }) },
  });
  const route = api.spec.operations.find((op) => op.operationId === "listDictionaries");
  if (!route) throw new Error("no route");
  const request = new Request("https://api.epsilon3.io/v1/dictionaries", {
    headers: { Authorization: `Basic ${btoa(`${demoKeys.epsilon3.workspace}:`)}` },
  });
  await expect(drifted.answer(route, request, {})).rejects.toThrow(MockContractError);
  await expect(drifted.answer(route, request.clone(), {})).rejects.toThrow(
    /listDictionaries answered 200 with a body its spec rejects/,
  );
});
