import { parsePointer, pointerOf, resolvePointer } from "./json-pointer.js";
import type { LoadedSpec } from "./load-spec.js";
import { isObject, type Json, listOperations } from "./openapi-shapes.js";
import { SpecError, SpecErrors } from "./spec-error.js";

/** The error classes an `x-keysmith-result-code` failure code may map to (the SDK's status classes). */
export const RESULT_ERROR_CLASSES = [
  "APIError",
  "BadRequestError",
  "AuthenticationError",
  "PermissionDeniedError",
  "NotFoundError",
  "ConflictError",
  "UnprocessableEntityError",
  "RateLimitError",
] as const;

export interface ValidateOptions {
  /** Every operation must say where it comes from (`x-keysmith-source`): the repository's own specs. */
  readonly requireSource?: boolean;
}

/**
 * Checks what the generator relies on and reports every problem at once, each with its JSON pointer:
 * the OpenAPI version, local `$ref`s that resolve, an `operationId` on every operation (unique), security
 * requirements that name a declared security scheme, and the shape of the `x-keysmith-*` extensions that
 * carry behaviour (`-source`, `-result-code`).
 */
export function validateSpec(spec: LoadedSpec, options: ValidateOptions = {}): void {
  const errors: SpecError[] = [];
  const report = (path: (string | number)[], message: string) => {
    // a missing member has no line of its own: name the line of the nearest thing that exists
    let line: number | undefined;
    for (let depth = path.length; line === undefined && depth >= 0; depth--)
      line = spec.lineOf(pointerOf(path.slice(0, depth)));
    errors.push(new SpecError(spec.file, pointerOf(path), message, line));
  };
  const { document } = spec;

  const version = document.openapi;
  if (typeof version !== "string" || !/^3\.[01]\.\d+$/.test(version)) {
    report(["openapi"], `expected an OpenAPI 3.0 or 3.1 version, found ${JSON.stringify(version ?? null)}`);
  }
  if (!isObject(document.paths)) report(["paths"], "the description has no paths object");

  checkRefs(document, document, [], report);

  const seen = new Map<string, string>();
  for (const site of listOperations(document)) {
    const id = site.operation.operationId;
    if (typeof id !== "string" || id.trim() === "") {
      report(site.pointer, `operation ${site.method.toUpperCase()} ${site.path} has no operationId`);
    } else if (seen.has(id)) {
      report([...site.pointer, "operationId"], `operationId "${id}" is also used at ${seen.get(id)}`);
    } else {
      seen.set(id, pointerOf(site.pointer));
    }
    checkSecurity(document, site.operation.security, [...site.pointer, "security"], report);
    checkSource(site.operation["x-keysmith-source"], [...site.pointer, "x-keysmith-source"], options, report);
    checkResultCode(
      site.operation["x-keysmith-result-code"],
      [...site.pointer, "x-keysmith-result-code"],
      false,
      report,
    );
  }
  checkSecurity(document, document.security, ["security"], report);
  checkResultCode(document["x-keysmith-result-code"], ["x-keysmith-result-code"], true, report);

  // extensions that name an operation must name one that exists
  const introspection = document["x-keysmith-introspection"];
  if (isObject(introspection) && !seen.has(String(introspection.operationId))) {
    report(
      ["x-keysmith-introspection", "operationId"],
      `no operation has the operationId "${String(introspection.operationId)}"`,
    );
  }

  const signature = document["x-keysmith-signature"];
  if (
    signature !== undefined &&
    (!isObject(signature) ||
      signature.covers !== "body-without-signature" ||
      signature.algorithm !== "RSASSA-PKCS1-v1_5-SHA256" ||
      typeof signature.signature !== "string" ||
      !/^\/[^/]+$/.test(signature.signature))
  ) {
    report(
      ["x-keysmith-signature"],
      "must be { signature: </top-level member>, covers: body-without-signature, algorithm: RSASSA-PKCS1-v1_5-SHA256 }",
    );
  }

  if (errors.length > 0) throw new SpecErrors(errors);
}

type Report = (path: (string | number)[], message: string) => void;

function checkRefs(root: Json, node: unknown, path: (string | number)[], report: Report): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      if (item !== null && typeof item === "object") checkRefs(root, item, [...path, index], report);
    });
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") {
      if (parsePointer(value) === undefined) {
        report([...path, key], `$ref "${value}" points outside this file; bundle the description into one file first`);
      } else if (resolvePointer(root, value) === undefined) {
        report([...path, key], `$ref "${value}" does not resolve`);
      }
    } else if (value !== null && typeof value === "object" && !key.startsWith("x-") && key !== "example") {
      // (an `example` is data, where a "$ref" key is just a value)
      path.push(key);
      checkRefs(root, value, path, report);
      path.pop();
    }
  }
}

function checkSecurity(document: Json, security: unknown, path: (string | number)[], report: Report): void {
  if (security === undefined) return;
  if (!Array.isArray(security)) {
    report(path, "security must be a list of requirements");
    return;
  }
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const [index, requirement] of security.entries()) {
    if (!isObject(requirement)) {
      report([...path, index], "a security requirement must be an object");
      continue;
    }
    for (const name of Object.keys(requirement)) {
      if (!Object.hasOwn(schemes, name)) {
        report([...path, index, name], `security scheme "${name}" is not declared in components.securitySchemes`);
      }
    }
  }
}

/** `x-keysmith-source`: `modelled`, `{ modelled: <what it is based on> }` or `{ documented: <URL or repo path> }`. */
function checkSource(source: unknown, path: (string | number)[], options: ValidateOptions, report: Report): void {
  if (source === undefined) {
    if (options.requireSource) {
      report(path, "missing: say where the operation comes from (`documented: <URL or repo path>` or `modelled`)");
    }
    return;
  }
  if (source === "modelled") return;
  const keys = isObject(source) ? Object.keys(source) : [];
  const [kind] = keys;
  if (
    keys.length !== 1 ||
    (kind !== "documented" && kind !== "modelled") ||
    typeof (source as Json)[kind] !== "string" ||
    String((source as Json)[kind]).trim() === ""
  ) {
    report(path, "must be `modelled`, `{ modelled: <note> }` or `{ documented: <URL or repo path> }`");
  }
}

/** `x-keysmith-result-code`: where a 2xx body keeps the API's own result code, and which codes mean success. */
function checkResultCode(value: unknown, path: (string | number)[], root: boolean, report: Report): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    report(path, "must be an object");
    return;
  }
  if (root && value.code === undefined) report([...path, "code"], "missing: the JSON pointer to the result code");
  for (const field of ["code", "message"] as const) {
    const pointer = value[field];
    if (pointer !== undefined && (typeof pointer !== "string" || parsePointer(`#${pointer}`) === undefined)) {
      report([...path, field], "must be a JSON pointer such as /response/code");
    }
  }
  for (const list of ["success", "failures"] as const) {
    const codes = value[list];
    if (
      codes !== undefined &&
      (!Array.isArray(codes) ||
        codes.length === 0 ||
        !codes.every((code) => typeof code === "string" || typeof code === "number"))
    ) {
      report([...path, list], "must be a non-empty list of result codes");
    }
  }
  if (value.errors !== undefined) {
    if (!isObject(value.errors)) report([...path, "errors"], "must map result codes to error class names");
    else {
      for (const [code, name] of Object.entries(value.errors)) {
        if (!(RESULT_ERROR_CLASSES as readonly unknown[]).includes(name)) {
          report([...path, "errors", code], `must be one of ${RESULT_ERROR_CLASSES.join(", ")}`);
        }
      }
    }
  }
}
