import { epochMock } from "./epoch/index.js";
import { epsilon3Mock } from "./epsilon3/index.js";
import { erathosMock } from "./erathos/index.js";
import { getKeyManagerMock } from "./getkeymanager/index.js";

/** Every mocked API, by the name used in URLs (`/epsilon3/...`) and in `mock.apis`. */
export const mockApis = {
  epsilon3: epsilon3Mock,
  epoch: epochMock,
  getkeymanager: getKeyManagerMock,
  erathos: erathosMock,
} as const;

export type MockApiName = keyof typeof mockApis;
