/** Bytes a binary body may be given as. */
export type BinaryBody = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | string;

/** A multipart body's fields as an object: text fields, and files or bytes where the description has binary. */
export type MultipartFields<T> = {
  [K in keyof T]: T[K] extends string | undefined ? T[K] | Blob | ArrayBuffer | ArrayBufferView : T[K];
};

/**
 * A body as its media type wants it on the wire. Form fields: a `URLSearchParams` or an object (lists
 * repeat the field, objects travel as JSON). Multipart: a `FormData` or an object whose Blobs, Files and bytes
 * become file parts (fetch writes the boundary, so no Content-Type is set here). Text: the string. Other
 * media types are binary: Blobs, bytes, streams and strings as they are. `*\/*` and JSON: JSON.
 */
export function encodeBody(mediaType: string, value: unknown): { body: unknown; contentType: string | undefined } {
  if (/^multipart\//i.test(mediaType)) {
    return { body: value instanceof FormData ? value : toFormData(value), contentType: undefined };
  }
  if (/^application\/x-www-form-urlencoded/i.test(mediaType)) {
    return {
      body: (value instanceof URLSearchParams ? value : toSearchParams(value)).toString(),
      contentType: mediaType,
    };
  }
  if (/json|^\*\/\*$/i.test(mediaType)) {
    return { body: JSON.stringify(value), contentType: /json/i.test(mediaType) ? mediaType : "application/json" };
  }
  if (/^text\//i.test(mediaType)) {
    return { body: typeof value === "string" ? value : JSON.stringify(value), contentType: mediaType };
  }
  return { body: value, contentType: mediaType };
}

/**
 * Form fields: a list of values repeats the field; an object's fields nest in brackets (`metadata[plan]=pro`,
 * `items[0][price]=…`), the `deepObject` encoding form APIs such as Stripe's describe.
 */
function toSearchParams(value: unknown): URLSearchParams {
  const params = new URLSearchParams();
  const add = (name: string, item: unknown): void => {
    if (item === undefined) return;
    if (Array.isArray(item)) {
      for (const [index, entry] of item.entries()) {
        add(entry !== null && typeof entry === "object" ? `${name}[${index}]` : name, entry);
      }
    } else if (item !== null && typeof item === "object" && !(item instanceof Date)) {
      for (const [key, entry] of Object.entries(item)) add(`${name}[${key}]`, entry);
    } else params.append(name, item instanceof Date ? item.toISOString() : String(item ?? ""));
  };
  for (const [name, field] of Object.entries((value ?? {}) as Record<string, unknown>)) add(name, field);
  return params;
}

function toFormData(value: unknown): FormData {
  const form = new FormData();
  for (const [name, field] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    for (const item of Array.isArray(field) ? field : [field]) {
      if (item === undefined) continue;
      if (item instanceof Blob) form.append(name, item, (item as File).name || name);
      else if (item instanceof ArrayBuffer || ArrayBuffer.isView(item))
        form.append(name, new Blob([item as BlobPart]), name);
      else if (item !== null && typeof item === "object") {
        form.append(name, new Blob([JSON.stringify(item)], { type: "application/json" }), name);
      } else form.append(name, String(item));
    }
  }
  return form;
}
