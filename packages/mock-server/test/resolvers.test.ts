import { mockApis } from "@keysmith/mock-server";
import { expect, test } from "vitest";

test.each(Object.entries(mockApis))("%s has one resolver per operation of its spec, and no other", (_name, api) => {
  expect(Object.keys(api.resolvers).sort()).toEqual(api.spec.operations.map((op) => op.operationId).sort());
});
