import type { RealtimeFacade } from "./emit-sdk.js";
import { refsOf, resolveRef, zodOf } from "./emit-zod.js";
import type { LoadedSpec } from "./load-spec.js";
import { isObject, type Json } from "./openapi-shapes.js";
import { SpecError, SpecErrors } from "./spec-error.js";

const SCHEMA_PREFIX = "#/components/schemas/";

/**
 * `realtime.ts` from an AsyncAPI 3 description of a Socket.IO API: a zod schema (and its type) per
 * component schema, and a table of channels (namespaces) with, per Socket.IO event, the direction, the
 * payload's schema and the acknowledgement's (`x-keysmith-ack`).
 */
export function emitRealtime(spec: LoadedSpec): string {
  const document = spec.document;
  checkAsyncApi(spec);
  const components = isObject(document.components) ? document.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const refName = (ref: string) => {
    if (!ref.startsWith(SCHEMA_PREFIX))
      throw new SpecError(spec.file, ref, "realtime schemas may refer only to #/components/schemas");
    return ref.slice(SCHEMA_PREFIX.length);
  };

  // constants in dependency order, so each refers only to ones already defined
  const ordered: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name)) return;
    if (path.includes(name))
      throw new SpecError(
        spec.file,
        `${SCHEMA_PREFIX}${name}`,
        "recursive schemas are not supported in realtime payloads",
      );
    for (const ref of refsOf(schemas[name])) visit(refName(ref), [...path, name]);
    ordered.push(name);
  };
  for (const name of Object.keys(schemas).sort()) visit(name, []);

  const out = [
    "",
    'import * as z from "zod/mini";',
    "",
    ...ordered.flatMap((name) => [
      `export const ${name} = ${zodOf(document, schemas[name], refName)};`,
      `export type ${name} = z.infer<typeof ${name}>;`,
      "",
    ]),
  ];

  const channels = realtimeChannelsOf(spec, refName);
  out.push(
    "/** The Socket.IO namespaces and, per event, who sends it, its payload's schema and its acknowledgement's. */",
    "export const realtimeChannels = {",
    ...channels.flatMap((channel) => [
      `  ${channel.name}: {`,
      `    namespace: ${JSON.stringify(channel.namespace)},`,
      "    events: {",
      ...channel.events.map(
        (event) =>
          `      ${JSON.stringify(event.event)}: { direction: "${event.direction}", payload: ${event.payload}${event.ack ? `, ack: ${event.ack}` : ""}${event.dedupeBy ? `, dedupeBy: ${JSON.stringify(event.dedupeBy)}` : ""} },`,
      ),
      "    },",
      "  },",
    ]),
    "} as const;",
    "",
  );
  return out.join("\n");
}

/**
 * What the mock needs of an AsyncAPI description: its Socket.IO namespaces and events with the spec's own JSON
 * Schemas (so the mock checks what clients send independently of the SDK's zod validators). Plain data:
 * `realtime.ts` holds it for Epsilon3, and `keysmith mock --asyncapi` builds it at start-up.
 */
export function mockRealtimeSpecOf(spec: LoadedSpec): Json {
  const document = spec.document;
  checkAsyncApi(spec);
  const components = isObject(document.components) ? document.components : {};
  const channels = realtimeChannelsOf(spec, (ref) => ref);
  // the handshake field a key travels in (`x-keysmith-socketio-auth` on a security scheme)
  const schemes = isObject(components.securitySchemes) ? Object.values(components.securitySchemes) : [];
  const authField = schemes
    .map((scheme) => (isObject(scheme) ? scheme["x-keysmith-socketio-auth"] : undefined))
    .find((field): field is string => typeof field === "string");
  return {
    channels: Object.fromEntries(
      channels.map((channel) => [
        channel.name,
        {
          namespace: channel.namespace,
          events: Object.fromEntries(
            channel.events.map(({ event, direction, payload, ack, dedupeBy }) => [
              event,
              {
                direction,
                payload: { $ref: payload },
                ...(ack ? { ack: { $ref: ack } } : {}),
                ...(dedupeBy ? { dedupeBy } : {}),
              },
            ]),
          ),
        },
      ]),
    ),
    schemas: isObject(components.schemas) ? components.schemas : {},
    ...(authField ? { auth: { field: authField } } : {}),
  };
}

/** `realtime.ts` for the mock server: `mockRealtimeSpecOf` as a typed constant. */
export function emitMockRealtime(spec: LoadedSpec, coreImport: string): string {
  const table = mockRealtimeSpecOf(spec);
  return [
    "",
    `import type { MockRealtimeSpec } from "${coreImport}";`,
    "",
    `export const realtimeSpec: MockRealtimeSpec = ${JSON.stringify(table, null, 2)};`,
    "",
  ].join("\n");
}

interface RealtimeEvent {
  readonly event: string;
  readonly direction: "toClient" | "toServer";
  readonly payload: string;
  readonly ack: string | undefined;
  /** `x-keysmith-dedupe-key` of the message: the payload field that identifies a delivery. */
  readonly dedupeBy: string | undefined;
}

interface RealtimeChannel {
  readonly name: string;
  readonly namespace: string;
  readonly events: RealtimeEvent[];
}

/** The channels (namespaces) in the order the operations name them, with their events. */
function realtimeChannelsOf(spec: LoadedSpec, refName: (ref: string) => string): RealtimeChannel[] {
  const document = spec.document;
  const channels = new Map<string, RealtimeChannel>();
  const operations = isObject(document.operations) ? document.operations : {};
  for (const [id, raw] of Object.entries(operations)) {
    if (!isObject(raw)) continue;
    const channelRef = isObject(raw.channel) ? String(raw.channel.$ref ?? "") : "";
    const channelName = channelRef.split("/").at(-1) ?? "";
    const channel = resolveRef(document, channelRef);
    if (!isObject(channel))
      throw new SpecError(spec.file, `#/operations/${id}/channel`, `channel ${channelRef} does not resolve`);
    const messages = Array.isArray(raw.messages) ? raw.messages : [];
    for (const messageRef of messages) {
      const message = follow(document, messageRef);
      const event = message["x-keysmith-event"] ?? message.name;
      const payload =
        isObject(message.payload) && typeof message.payload.$ref === "string"
          ? refName(message.payload.$ref)
          : undefined;
      if (typeof event !== "string" || !payload) {
        throw new SpecError(
          spec.file,
          `#/operations/${id}/messages`,
          "each message needs x-keysmith-event (or name) and a payload $ref",
        );
      }
      const ack =
        isObject(raw["x-keysmith-ack"]) && typeof raw["x-keysmith-ack"].$ref === "string"
          ? refName(raw["x-keysmith-ack"].$ref)
          : undefined;
      const dedupe = message["x-keysmith-dedupe-key"];
      const entry = channels.get(channelName) ?? { name: channelName, namespace: String(channel.address), events: [] };
      channels.set(channelName, entry);
      entry.events.push({
        event,
        direction: raw.action === "send" ? "toServer" : "toClient",
        payload,
        ack,
        dedupeBy: typeof dedupe === "string" ? dedupe : undefined,
      });
    }
  }
  return [...channels.values()];
}

function follow(document: Json, node: unknown): Json {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string" && hops < 10; hops++)
    current = resolveRef(document, current.$ref);
  return isObject(current) ? current : {};
}

function checkAsyncApi(spec: LoadedSpec): void {
  const version = spec.document.asyncapi;
  if (typeof version !== "string" || !/^3\.\d+\.\d+$/.test(version)) {
    throw new SpecErrors([
      new SpecError(
        spec.file,
        "#/asyncapi",
        `expected an AsyncAPI 3 version, found ${JSON.stringify(version ?? null)}`,
      ),
    ]);
  }
  const missing: SpecError[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, `${path}/${index}`);
    } else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref" && typeof value === "string" && resolveRef(spec.document, value) === undefined) {
          missing.push(
            new SpecError(spec.file, `${path}/$ref`, `$ref "${value}" does not resolve`, spec.lineOf(`${path}/$ref`)),
          );
        } else walk(value, `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`);
      }
    }
  };
  walk(spec.document, "#");
  if (missing.length > 0) throw new SpecErrors(missing);
}

/**
 * The facade a client exposes as `realtime`: the class named by `info.x-keysmith-client-name`, from
 * `packages/sdk/src/realtime/<kebab-case name>.ts`.
 */
export function realtimeFacade(spec: LoadedSpec): RealtimeFacade {
  const info = isObject(spec.document.info) ? spec.document.info : {};
  const className = info["x-keysmith-client-name"];
  if (typeof className !== "string" || !/^[A-Z][A-Za-z0-9]*$/.test(className)) {
    throw new SpecErrors([
      new SpecError(spec.file, "#/info/x-keysmith-client-name", "name the realtime client class (PascalCase)"),
    ]);
  }
  const file = className.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
  return { className, module: `../../realtime/${file}.js` };
}
