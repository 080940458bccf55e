/** Turns spec names (tags, operationIds, file names) into identifiers. */

const WORD = /[A-Za-z0-9]+/g;

function words(text: string): string[] {
  // split camelCase humps too, so "listRuns" and "list-runs" give the same words
  return (text.replace(/([a-z0-9])([A-Z])/g, "$1 $2").match(WORD) ?? []).map((word) => word.toLowerCase());
}

export function camelCase(text: string): string {
  const [first = "", ...rest] = words(text);
  const name = first + rest.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
  return /^[0-9]/.test(name) ? `_${name}` : name || "_";
}

export function pascalCase(text: string): string {
  const name = camelCase(text).replace(/^_/, "");
  return /^[0-9]/.test(name) ? `Api${name}` : name.charAt(0).toUpperCase() + name.slice(1);
}

/** A property name in TypeScript: bare where it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** The name of a generated constant for a class: `GetKeyManager` + `Api` gives `getKeyManagerApi`. */
export function instanceName(className: string, suffix: string): string {
  return `${className.charAt(0).toLowerCase()}${className.slice(1)}${suffix}`;
}
