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

function toSearchParams(value: unknown): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, field] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    for (const item of Array.isArray(field) ? field : [field]) {
      if (item === undefined) continue;
      params.append(name, item !== null && typeof item === "object" ? JSON.stringify(item) : String(item));
    }
  }
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
