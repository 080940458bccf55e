import { parsePointer, pointerOf, resolvePointer } from "./json-pointer.js";
import type { LoadedSpec } from "./load-spec.js";
import { isObject, type Json, listOperations } from "./openapi-shapes.js";
import { SpecError, SpecErrors } from "./spec-error.js";

/**
 * Checks what the generator relies on and reports every problem at once, each with its JSON pointer:
 * the OpenAPI version, local `$ref`s that resolve, an `operationId` on every operation (unique), and
 * security requirements that name a declared security scheme.
 */
export function validateSpec(spec: LoadedSpec): void {
  const errors: SpecError[] = [];
  const report = (path: (string | number)[], message: string) => {
    const pointer = pointerOf(path);
    errors.push(new SpecError(spec.file, pointer, message, spec.lineOf(pointer)));
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
  }
  checkSecurity(document, document.security, ["security"], report);

  // extensions that name an operation must name one that exists
  const introspection = document["x-keysmith-introspection"];
  if (isObject(introspection) && !seen.has(String(introspection.operationId))) {
    report(
      ["x-keysmith-introspection", "operationId"],
      `no operation has the operationId "${String(introspection.operationId)}"`,
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
