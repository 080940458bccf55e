import { type MockApiName, mockApis } from "./apis.js";
import { MockApiRuntime, type MockRuntimeOptions } from "./core/api-runtime.js";
import { DEFAULT_BODY_LIMIT } from "./core/body-limit.js";
import { FaultInjector, type FaultRule } from "./core/faults.js";
import { randomSecret } from "./core/ids.js";
import { KeyRing } from "./core/key-record.js";
import type { SeedMode } from "./core/mock-api.js";
import type { MockApiSpec, MockRealtimeSpec } from "./core/mock-api-spec.js";
import type { EpochState } from "./epoch/index.js";
import type { Epsilon3State } from "./epsilon3/index.js";
import { Epsilon3RealtimeMock } from "./epsilon3/realtime-mock.js";
import type { ErathosState } from "./erathos/index.js";
import { type GenericState, genericMockApi } from "./generic/generic-api.js";
import { GenericRealtimeMock } from "./generic/realtime-mock.js";
import type { GetKeyManagerState } from "./getkeymanager/index.js";

export interface MockRuntimes {
  readonly epsilon3: MockApiRuntime<Epsilon3State>;
  readonly epoch: MockApiRuntime<EpochState>;
  readonly getkeymanager: MockApiRuntime<GetKeyManagerState>;
  readonly erathos: MockApiRuntime<ErathosState>;
}

/**
 * Data to start from, per API: each named collection of the API's store is replaced by the given list (keys
 * are added to the demo keys). Applied after the seed, and again on every `reset()`.
 *
 * @example new Mock({ seed: "empty", fixtures: { epsilon3: { dictionaries: [{ id: 1, name: "Flight" }] } } })
 */
export type Fixtures = { readonly [api in MockApiName]?: Readonly<Record<string, unknown>> } & {
  /** An API mocked from its description (`specs`): items by resource name. */
  readonly [api: string]: Readonly<Record<string, unknown>> | undefined;
};

export interface MockOptions extends Omit<MockRuntimeOptions, "faults"> {
  /** Which of the four APIs to mock: all four by default, none by default when `specs` are given. */
  readonly apis?: readonly MockApiName[];
  readonly fixtures?: Fixtures;
  /**
   * Descriptions of other APIs to mock from their spec alone (what `keysmith mock --spec` serves): resources
   * inferred from the paths, the spec's security enforced with `keys`, answers generated from its schemas.
   * `keysmith mock --spec <file>` builds them from description files.
   */
  readonly specs?: readonly MockApiSpec[];
  /**
   * The Socket.IO side of `specs` APIs, by API name: each AsyncAPI description's channels served at
   * `/<name>/socket.io` by the standalone server (`keysmith mock --spec x.yaml --asyncapi x.asyncapi.yaml`).
   */
  readonly realtimeSpecs?: Readonly<Record<string, MockRealtimeSpec>>;
  /** The credentials the `specs` APIs accept, in whichever scheme each operation requires. Default: one random key. */
  readonly keys?: readonly string[];
  /** Seeds the answers generated for `specs` APIs (default 1). */
  readonly generatorSeed?: number;
}

/** The four APIs' live state, shared by the MSW handlers and the standalone server built from it. */
export class Mock {
  readonly apis: MockRuntimes;
  readonly enabled: readonly MockApiName[];
  /** Fault rules shared by every API; see `inject`. */
  readonly faults = new FaultInjector();
  /**
   * Epsilon3's Socket.IO side: raise notifications, open and end telemetry streams, send commands, search,
   * drop connections. Served by `startMockServer()`; REST actions feed it (starting a run notifies `run_started`).
   */
  readonly realtime: Epsilon3RealtimeMock;
  /** The largest request body any API reads, in bytes (`bodyLimit`, default 1 MiB). */
  readonly bodyLimit: number;
  /** The APIs mocked from their description (`specs`), by name. */
  readonly described: ReadonlyMap<string, MockApiRuntime<GenericState>>;
  /** The credentials the described APIs accept. */
  readonly keys: readonly string[];
  /** The Socket.IO side of described APIs, by name (`realtimeSpecs`): emit events, read what clients sent. */
  readonly describedRealtime: ReadonlyMap<string, GenericRealtimeMock>;
  readonly #fixtures: Fixtures | undefined;

  constructor(options: MockOptions = {}) {
    this.enabled = options.apis ?? (options.specs?.length ? [] : (Object.keys(mockApis) as MockApiName[]));
    this.bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const runtimeOptions = { ...options, faults: this.faults };
    this.apis = {
      epsilon3: new MockApiRuntime(mockApis.epsilon3, runtimeOptions),
      epoch: new MockApiRuntime(mockApis.epoch, runtimeOptions),
      getkeymanager: new MockApiRuntime(mockApis.getkeymanager, runtimeOptions),
      erathos: new MockApiRuntime(mockApis.erathos, runtimeOptions),
    };
    this.realtime = new Epsilon3RealtimeMock(this.apis.epsilon3, options.now);
    this.keys = options.keys ?? (options.specs?.length ? [`ks_${randomSecret(24)}`] : []);
    const described = new Map<string, MockApiRuntime<GenericState>>();
    for (const spec of options.specs ?? []) {
      if (this.enabled.some((name) => name === spec.name) || described.has(spec.name)) {
        throw new TypeError(`specs: two APIs named "${spec.name}"; give each description its own name`);
      }
      const fixtures = options.fixtures?.[spec.name];
      const definition = genericMockApi(spec, {
        keys: this.keys,
        seed: options.generatorSeed ?? 1,
        ...(fixtures ? { fixtures } : {}),
      });
      described.set(spec.name, new MockApiRuntime(definition, runtimeOptions));
    }
    this.described = described;
    const realtime = new Map<string, GenericRealtimeMock>();
    for (const [name, spec] of Object.entries(options.realtimeSpecs ?? {})) {
      const runtime = described.get(name);
      if (!runtime) throw new TypeError(`realtimeSpecs.${name}: no API of \`specs\` is named "${name}"`);
      // the API's own key ring: fixture keys, revoked and expired ones, and tokens from its token endpoint count
      realtime.set(name, new GenericRealtimeMock(name, spec, runtime, options.now));
    }
    this.describedRealtime = realtime;
    this.#fixtures = options.fixtures;
    this.#applyFixtures();
  }

  /**
   * Injects a fault for the tests that follow, until removed (the returned function), `reset()` or
   * `faults.clear()`.
   * @example const heal = mock.inject({ api: "erathos", operationId: "runJob", status: 503, times: 2 })
   */
  inject(rule: FaultRule): () => void {
    return this.faults.inject(rule);
  }

  /** Every enabled API back to its seed (or to `seed`) and fixtures, with fresh rate-limit windows and no faults. */
  reset(seed?: SeedMode): void {
    for (const name of this.enabled) this.apis[name].reset(seed);
    for (const runtime of this.described.values()) runtime.reset(seed);
    for (const realtime of this.describedRealtime.values()) realtime.reset();
    this.faults.clear();
    this.realtime.reset();
    this.#applyFixtures();
  }

  runtimes(): MockApiRuntime[] {
    return [
      ...this.enabled.map((name) => this.apis[name] as MockApiRuntime),
      ...[...this.described.values()].map((runtime) => runtime as MockApiRuntime),
    ];
  }

  #applyFixtures(): void {
    for (const [api, collections] of Object.entries(this.#fixtures ?? {})) {
      // a described API's fixtures are its own store's seed (applied by its runtime on every reset)
      if (this.described.has(api)) continue;
      const runtime = this.apis[api as MockApiName];
      if (!runtime) throw new TypeError(`fixtures: no mocked API named "${api}"`);
      const state = runtime.state as unknown as Record<string, unknown>;
      for (const [name, value] of Object.entries(collections ?? {})) {
        const target = state[name];
        if (target instanceof KeyRing && Array.isArray(value)) {
          for (const key of value) target.add(key as never);
        } else if (Array.isArray(target) && Array.isArray(value)) {
          target.splice(0, target.length, ...structuredClone(value));
        } else if (target instanceof Map && Array.isArray(value)) {
          target.clear();
          for (const [key, entry] of value as [unknown, unknown][]) target.set(key, structuredClone(entry));
        } else {
          const known = Object.keys(state).filter(
            (field) => Array.isArray(state[field]) || state[field] instanceof Map || state[field] instanceof KeyRing,
          );
          throw new TypeError(`fixtures.${api}.${name}: expected a list for one of ${known.join(", ")}`);
        }
      }
    }
  }
}
