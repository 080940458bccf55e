import type { ListPaging } from "@keysmith/mock-server/paging";
import { docComment } from "./header.js";
import { type ApiModel, IDEMPOTENCY_HEADER, type OperationModel } from "./model.js";
import { instanceName, propertyKey } from "./naming.js";

/** `api.ts`: the runtime table the SDK core drives (servers, env vars, auth, one entry per operation). */
export function emitApiDefinition(
  model: ApiModel,
  coreImport: string,
  paging: ReadonlyMap<string, ListPaging> = new Map(),
): string {
  const operations: Record<string, unknown> = {};
  const paramEnv: Record<string, string> = {};
  for (const op of model.operations) {
    const headerParams = op.params.header.filter((param) => param.name.toLowerCase() !== IDEMPOTENCY_HEADER);
    for (const param of [...op.params.path, ...op.params.query]) if (param.env) paramEnv[param.name] = param.env;
    // Path parameters are not listed: the runtime reads them from the path template.
    operations[op.operationId] = {
      method: op.method,
      // a `#fragment` some descriptions add to tell operations apart is never sent
      path: op.path.split("#")[0],
      group: op.group,
      name: op.name,
      ...(op.security ? { security: op.security } : {}),
      ...(op.permission ? { permission: op.permission } : {}),
      ...(op.idempotencyKey ? { idempotencyKey: true } : {}),
      ...(paging.has(op.operationId) ? { pagination: paging.get(op.operationId) } : {}),
      ...(op.source ? { source: op.source.kind } : {}),
      ...(op.successCodes ? { successCodes: op.successCodes } : {}),
      ...(op.params.query.length ? { queryParams: op.params.query.map((param) => param.name) } : {}),
      ...(op.params.query.some((param) => param.serialization)
        ? {
            queryStyles: Object.fromEntries(
              op.params.query.flatMap((param) => (param.serialization ? [[param.name, param.serialization]] : [])),
            ),
          }
        : {}),
      ...(headerParams.length ? { headerParams: headerParams.map((param) => param.name) } : {}),
      ...(op.params.cookie.length ? { cookieParams: op.params.cookie.map((param) => param.name) } : {}),
      ...(op.body ? { body: op.body.mode } : {}),
      ...(op.body && !/json/i.test(op.body.mediaType) ? { bodyType: op.body.mediaType } : {}),
      ...(op.success.emptyToo ? { emptySuccess: true } : {}),
      ...(op.success.kind !== "json" ? { response: op.success.kind } : {}),
      ...(op.success.accept ? { accept: op.success.accept.join(", ") } : {}),
    };
  }
  const definition = {
    name: model.className,
    servers: model.servers.map(({ description: _, ...server }) => server),
    env: model.env,
    securitySchemes: model.securitySchemes,
    security: model.security,
    ...(model.error ? { error: model.error } : {}),
    ...(model.resultCode ? { resultCode: model.resultCode } : {}),
    ...(model.keyFormat ? { keyFormat: model.keyFormat } : {}),
    ...(model.extensions.hints ? { hints: model.extensions.hints } : {}),
    ...(model.extensions.signature ? { signature: model.extensions.signature } : {}),
    ...(model.extensions.introspection ? { introspection: model.extensions.introspection } : {}),
    ...(Object.keys(paramEnv).length ? { paramEnv } : {}),
    operations,
  };
  const constName = instanceName(model.className, "Api");
  return [
    "",
    `import type { ApiDefinition } from "${coreImport}";`,
    "",
    `export const ${constName}: ApiDefinition = ${JSON.stringify(definition, null, 2)};`,
    "",
  ].join("\n");
}

/**
 * `resources.d.ts`: one interface per tag, one typed method per operation. A declaration file, so projects
 * with `skipLibCheck` (nearly all) do not re-check a thousand signatures on every build; Keysmith's own
 * `npm run typecheck` checks them without it.
 */
export function emitResources(
  model: ApiModel,
  coreImport: string,
  paging: ReadonlyMap<string, ListPaging> = new Map(),
): string {
  const out: string[] = [
    "",
    `import type { APIPromise, BinaryBody, MultipartFields, PagePromise, RequestOptions, WithOptional } from "${coreImport}";`,
    'import type { operations } from "./types.js";',
    "",
  ];
  for (const group of model.groups) {
    out.push(
      `${docComment([group.description ?? `The ${group.property} operations.`])}export interface ${group.typeName} {`,
    );
    for (const op of model.operations.filter((candidate) => candidate.group === group.property)) {
      out.push(methodSignature(op, paging.get(op.operationId)));
    }
    out.push("}", "");
  }
  return out.join("\n");
}

/** The type of one item of a list answer `result`, whose items are at the JSON pointer `items`. */
function itemType(result: string, items: string): string {
  let type = result;
  for (const segment of items.split("/").slice(1)) {
    type = `NonNullable<${type}>[${JSON.stringify(segment.replaceAll("~1", "/").replaceAll("~0", "~"))}]`;
  }
  return `NonNullable<${type}>[number]`;
}

/** `client.ts`: the typed client class, one property per tag, its methods typed by `resources.d.ts`. */
/** The hand-written realtime facade a client exposes as `realtime`, named by the AsyncAPI description. */
export interface RealtimeFacade {
  /** `x-keysmith-client-name` of the AsyncAPI description, such as `Epsilon3Realtime`. */
  readonly className: string;
  /** Its module, from the generated directory: `../../realtime/epsilon3-realtime.js`. */
  readonly module: string;
}

export function emitClient(model: ApiModel, coreImport: string, realtime?: RealtimeFacade): string {
  const constName = instanceName(model.className, "Api");
  // only clients of APIs that need them pull these into a bundle
  const capabilities = [
    ...(model.resultCode ? ["apiErrorFromResultCode"] : []),
    ...(Object.values(model.securitySchemes).some((scheme) => scheme.type === "oauth2" && scheme.tokenUrl)
      ? ["OAuthTokens"]
      : []),
    ...(model.operations.some((op) => op.body && !/json/i.test(op.body.mediaType)) ? ["encodeBody"] : []),
    ...(model.operations.some((op) => op.params.query.some((param) => param.serialization)) ? ["serializeQuery"] : []),
    // schemes with credentials of their own (several schemes, Basic pairs, OAuth2 clients)
    ...(Object.values(model.securitySchemes).some((scheme) => scheme.type !== "unsupported" && scheme.env)
      ? ["schemeCredentials"]
      : []),
    ...(model.extensions.signature ? ["SignatureVerifier"] : []),
    // servers that need choosing: several environments, variables, a relative or scheme-less URL (the rule of
    // `needsChoosing` in the SDK's base-url.ts; scripts/test/server-capabilities.test.ts keeps the two in step)
    ...(model.servers.some(
      (server) =>
        server.environment !== undefined ||
        server.variables !== undefined ||
        server.url.includes("{") ||
        !/^[a-z][a-z0-9+.-]*:/i.test(server.url),
    )
      ? ["chooseServer"]
      : []),
    ...(model.keyFormat || model.servers.some((server) => server.keyPrefix) ? ["checkKeyRules"] : []),
    ...(model.extensions.introspection ? ["introspectKey"] : []),
  ];
  const out: string[] = [
    "",
    `import { ${["type ClientOptions", "KeysmithClient", ...capabilities].sort((a, b) => a.replace("type ", "").localeCompare(b.replace("type ", ""))).join(", ")} } from "${coreImport}";`,
    ...(realtime ? [`import { ${realtime.className}, type RealtimeOptions } from "${realtime.module}";`] : []),
    `import { ${constName} } from "./api.js";`,
    `import type { ${model.groups.map((group) => group.typeName).join(", ")} } from "./resources.js";`,
    'import type { paths } from "./types.js";',
    "",
  ];
  const classDoc = docComment([
    `A typed client for the ${model.title}.`,
    "",
    `The key comes from the \`apiKey\` option or the \`${model.env.apiKey}\` environment variable; the base URL from`,
    `\`baseUrl\`, \`${model.env.baseUrl}\` or the description's first server.`,
    ...schemeLines(model),
    "",
    "@example",
    "```ts",
    `const client = new ${model.className}();`,
    ...exampleCall(model),
    "```",
  ]);
  out.push(`${classDoc}export class ${model.className} extends KeysmithClient<paths> {`);
  for (const group of model.groups) {
    out.push(`${docComment([group.description], "  ")}  declare readonly ${group.property}: ${group.typeName};`);
  }
  if (realtime) {
    out.push(
      `${docComment(["The API's Socket.IO side, with the same key; socket.io-client loads on first use."], "  ")}  readonly realtime: ${realtime.className};`,
    );
  }
  const capabilityArgument = capabilities.length > 0 ? `, { ${capabilities.join(", ")} }` : "";
  const optionsType = realtime ? "ClientOptions & { readonly realtime?: RealtimeOptions }" : "ClientOptions";
  out.push(
    "",
    `  constructor(options: ${optionsType} = {}) {`,
    `    super(${constName}, options${capabilityArgument});`,
    ...(realtime ? [`    this.realtime = new ${realtime.className}(this, ${constName}, options);`] : []),
    "  }",
    "}",
    "",
  );
  return out.join("\n");
}

/** The doc comment's lines on each security scheme: how it is sent, its option and its variables. */
function schemeLines(model: ApiModel): string[] {
  const entries = Object.entries(model.securitySchemes).flatMap(([name, scheme]) =>
    scheme.type !== "unsupported" && scheme.env ? [[name, scheme, scheme.env] as const] : [],
  );
  if (entries.length === 0) return [];
  const lines = ["", "Security schemes (an operation uses its own requirement, else the API's):"];
  for (const [name, scheme, base] of entries) {
    const how =
      scheme.type === "basic"
        ? `HTTP Basic: \`credentials: { ${JSON.stringify(name)}: { username, password } }\`, or ${base}_USERNAME + ${base}_PASSWORD`
        : scheme.type === "oauth2" && scheme.tokenUrl
          ? `OAuth2 client credentials (token from ${scheme.tokenUrl}): \`credentials: { ${JSON.stringify(name)}: { clientId, clientSecret } }\`, or ${base}_CLIENT_ID + ${base}_CLIENT_SECRET; or a token in ${base}`
          : `${scheme.type}${"name" in scheme ? ` ${scheme.name}` : ""}: \`credentials: { ${JSON.stringify(name)}: "…" }\`, or ${base}`;
    lines.push(`- \`${name}\`: ${how}`);
  }
  lines.push(`Schemes without a credential of their own use the API's key (\`apiKey\`, ${model.env.apiKey}).`);
  return lines;
}

function exampleCall(model: ApiModel): string[] {
  const op = model.operations.find((candidate) => candidate.method === "get") ?? model.operations[0];
  return op ? [`const result = await client.${op.group}.${op.name}(/* … */);`] : [];
}

/** The doc comment's line on where the operation comes from; a modelled one says so plainly. */
function provenance(op: OperationModel): string | undefined {
  const source = op.source;
  if (source?.kind === "documented") return `\nDocumented: ${source.reference}`;
  if (source?.kind === "modelled") {
    return `\nModelled: not in the vendor's public documentation; Keysmith's model${source.note ? ` (${source.note})` : ""}, which the real API may not match.`;
  }
  return undefined;
}

/** What a method accepts for a body of this media type: files and bytes where the description says binary. */
function bodyTypeFor(mediaType: string, declared: string): string {
  if (/^multipart\//i.test(mediaType)) return `FormData | MultipartFields<${declared}>`;
  if (/^application\/x-www-form-urlencoded/i.test(mediaType)) return `URLSearchParams | ${declared}`;
  if (/json|\*\/\*/i.test(mediaType)) return declared;
  if (/^text\//i.test(mediaType)) return "string";
  return "BinaryBody";
}

function methodSignature(op: OperationModel, paging: ListPaging | undefined): string {
  const ref = `operations[${JSON.stringify(op.operationId)}]`;
  const parts: string[] = [];
  let required = false;

  if (op.params.path.length) {
    const defaulted = op.params.path.filter((param) => param.env).map((param) => JSON.stringify(param.name));
    const pathType = `${ref}["parameters"]["path"]`;
    parts.push(defaulted.length ? `WithOptional<${pathType}, ${defaulted.join(" | ")}>` : pathType);
    required ||= op.params.path.some((param) => !param.env);
  }
  if (op.params.query.length) {
    parts.push(`NonNullable<${ref}["parameters"]["query"]>`);
    required ||= op.params.query.some((param) => param.required && !param.env);
  }
  const headers = op.params.header.filter((param) => param.name.toLowerCase() !== IDEMPOTENCY_HEADER);
  if (headers.length) {
    const idempotency = op.params.header.find((param) => param.name.toLowerCase() === IDEMPOTENCY_HEADER);
    const headerType = `NonNullable<${ref}["parameters"]["header"]>`;
    parts.push(idempotency ? `Omit<${headerType}, ${JSON.stringify(idempotency.name)}>` : headerType);
    required ||= headers.some((param) => param.required);
  }
  if (op.params.cookie.length) {
    parts.push(`NonNullable<${ref}["parameters"]["cookie"]>`);
    required ||= op.params.cookie.some((param) => param.required);
  }
  if (op.body) {
    const declared = `NonNullable<${ref}["requestBody"]>["content"][${JSON.stringify(op.body.mediaType)}]`;
    const bodyType = bodyTypeFor(op.body.mediaType, declared);
    if (op.body.mode === "flat") {
      parts.push(!op.body.required && op.body.hasRequiredFields ? `Partial<${bodyType}>` : bodyType);
      required ||= op.body.required && op.body.hasRequiredFields;
    } else {
      parts.push(op.body.required ? `{ body: ${bodyType} }` : `{ body?: ${bodyType} }`);
      required ||= op.body.required;
    }
  }

  const result =
    op.success.kind === "none"
      ? "void"
      : op.success.kind === "text"
        ? "string"
        : op.success.kind === "blob"
          ? "Blob"
          : `${ref}["responses"][${/^\d+$/.test(op.success.status) ? op.success.status : JSON.stringify(op.success.status)}]["content"][${JSON.stringify(op.success.mediaType)}]${op.success.emptyToo ? " | undefined" : ""}`;
  const doc = docComment(
    [
      op.summary,
      op.description && op.description !== op.summary ? `\n${op.description}` : undefined,
      `\n\`${op.method.toUpperCase()} ${op.path}\`${op.permission ? ` (needs the \`${op.permission}\` permission)` : ""}`,
      provenance(op),
      op.deprecated ? "@deprecated" : undefined,
    ],
    "  ",
  );
  const input = parts.length === 0 ? "" : `input${required ? "" : "?"}: ${parts.join(" & ")}, `;
  // a list: the first page, and every item of every page when iterated
  const promise = paging ? `PagePromise<${result}, ${itemType(result, paging.items)}>` : `APIPromise<${result}>`;
  const signature = `${doc}  ${propertyKey(op.name)}(${input}options?: RequestOptions): ${promise};`;
  if (op.success.kind !== "blob") return signature;
  // bytes: a Blob, or with `{ stream: true }` the body as a stream
  const streamed = `${doc}  ${propertyKey(op.name)}(${input.replace("input?:", "input:")}options: RequestOptions & { stream: true }): APIPromise<ReadableStream<Uint8Array>>;`;
  return `${streamed}\n${signature}`;
}
