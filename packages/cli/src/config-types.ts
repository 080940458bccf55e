// The shape of a config file; keysmith.config.schema.json says the same for JSON configs and editors.

/** One API in a config file. Paths are relative to the config file's folder. */
export interface ApiConfig {
  /** Names the client class, its environment variables and the generated identifiers. */
  readonly name: string;
  /** The OpenAPI 3.x or Swagger 2.0 description, YAML or JSON. */
  readonly spec: string;
  /** The folder the client is written to. */
  readonly out: string;
  /** Where generated code imports the SDK runtime from (default `@keysmith/sdk/core`). */
  readonly coreImport?: string;
  /** Keysmith's own APIs: the AsyncAPI description of the Socket.IO side (its class lives in `@keysmith/sdk`). */
  readonly asyncapi?: string;
  /** Keysmith's own APIs: where `@keysmith/mock-server`'s route table goes. */
  readonly mockRoutes?: { readonly out: string; readonly coreImport: string };
  /** Refuse an operation without `x-keysmith-source`. */
  readonly requireSource?: boolean;
}

/** What `keysmith.config.json`, `.mjs` or `.ts` holds. */
export interface KeysmithConfig {
  readonly $schema?: string;
  /** The command written into generated headers (default `npx keysmith generate`). */
  readonly regenerate?: string;
  /** Folders only Keysmith writes: files there that no API produces are reported, and fail `--check`. */
  readonly generatedDirs?: readonly string[];
  readonly apis: readonly ApiConfig[];
}
