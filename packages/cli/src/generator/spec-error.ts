/** A problem in an OpenAPI description, located by file and JSON pointer (and line, where known). */
export class SpecError extends Error {
  override readonly name = "SpecError";
  readonly file: string;
  readonly pointer: string;
  readonly line: number | undefined;

  constructor(file: string, pointer: string, message: string, line?: number) {
    super(`${file}${line === undefined ? "" : `:${line}`} at ${pointer || "#"}: ${message}`);
    this.file = file;
    this.pointer = pointer;
    this.line = line;
  }
}

/** Several spec problems reported together, so one run shows all of them. */
export class SpecErrors extends Error {
  override readonly name = "SpecErrors";
  readonly errors: readonly SpecError[];

  constructor(errors: readonly SpecError[]) {
    super(errors.map((error) => error.message).join("\n"));
    this.errors = errors;
  }
}
