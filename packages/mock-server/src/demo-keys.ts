import { epochDemoKeys } from "./epoch/index.js";
import { epsilon3DemoKeys } from "./epsilon3/index.js";
import { erathosDemoKeys, erathosDemoWorkspaceId } from "./erathos/index.js";
import { getKeyManagerDemoKeys } from "./getkeymanager/index.js";

/**
 * The credentials every fresh mock accepts (and a few it refuses on purpose: expired, read-only, other
 * environments). They are demo values, public by design: never a real key.
 */
export const demoKeys = {
  epsilon3: epsilon3DemoKeys,
  epoch: epochDemoKeys,
  getkeymanager: getKeyManagerDemoKeys,
  erathos: erathosDemoKeys,
} as const;

/** The Erathos workspace the demo key belongs to. */
export const demoErathosWorkspaceId = erathosDemoWorkspaceId;
