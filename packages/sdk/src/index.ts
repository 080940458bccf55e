export * from "./core/index.js";
export { Epoch } from "./generated/epoch/client.js";
export type * as EpochTypes from "./generated/epoch/types.js";
export { Epsilon3 } from "./generated/epsilon3/client.js";
export type * as Epsilon3Types from "./generated/epsilon3/types.js";
export { Erathos } from "./generated/erathos/client.js";
export type * as ErathosTypes from "./generated/erathos/types.js";
export { GetKeyManager } from "./generated/getkeymanager/client.js";
export type * as GetKeyManagerTypes from "./generated/getkeymanager/types.js";
