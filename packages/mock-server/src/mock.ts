import { type MockApiName, mockApis } from "./apis.js";
import { MockApiRuntime, type MockRuntimeOptions } from "./core/api-runtime.js";
import type { SeedMode } from "./core/mock-api.js";
import type { EpochState } from "./epoch/index.js";
import type { Epsilon3State } from "./epsilon3/index.js";
import type { ErathosState } from "./erathos/index.js";
import type { GetKeyManagerState } from "./getkeymanager/index.js";

export interface MockRuntimes {
  readonly epsilon3: MockApiRuntime<Epsilon3State>;
  readonly epoch: MockApiRuntime<EpochState>;
  readonly getkeymanager: MockApiRuntime<GetKeyManagerState>;
  readonly erathos: MockApiRuntime<ErathosState>;
}

export interface MockOptions extends MockRuntimeOptions {
  /** Which APIs to mock; all four by default. */
  readonly apis?: readonly MockApiName[];
}

/** The four APIs' live state, shared by the MSW handlers and the standalone server built from it. */
export class Mock {
  readonly apis: MockRuntimes;
  readonly enabled: readonly MockApiName[];

  constructor(options: MockOptions = {}) {
    this.enabled = options.apis ?? (Object.keys(mockApis) as MockApiName[]);
    this.apis = {
      epsilon3: new MockApiRuntime(mockApis.epsilon3, options),
      epoch: new MockApiRuntime(mockApis.epoch, options),
      getkeymanager: new MockApiRuntime(mockApis.getkeymanager, options),
      erathos: new MockApiRuntime(mockApis.erathos, options),
    };
  }

  /** Every enabled API back to its seed (or to `seed`), with fresh rate-limit windows: call it between tests. */
  reset(seed?: SeedMode): void {
    for (const name of this.enabled) this.apis[name].reset(seed);
  }

  runtimes(): MockApiRuntime[] {
    return this.enabled.map((name) => this.apis[name] as MockApiRuntime);
  }
}
