/** Why a request was refused at authentication, for APIs whose error bodies say so (GetKeyManager's codes). */
export type AuthFailure =
  | "missing"
  | "malformed"
  | "unknown"
  | "inactive"
  | "expired"
  | "wrong_environment"
  | "permission";

export interface ProblemDetails {
  /** A short machine code in the API's style, such as `not_found` or `already_checked_in`. */
  readonly code: string;
  readonly message: string;
  /** The field at fault, for validation errors. */
  readonly field?: string;
  /** The API's own numeric code where it has them (GetKeyManager's 100, 210, 301…). */
  readonly apiCode?: number;
  readonly authFailure?: AuthFailure;
  readonly headers?: Readonly<Record<string, string>>;
  readonly retryAfter?: number;
  /** More fields of the error body, in the API's own names (GetKeyManager's `available_quantity`, `errors`). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Thrown by a resolver (or the checks before it) to answer with an error in the API's own shape. */
export class MockProblem extends Error {
  override name = "MockProblem";
  readonly status: number;
  readonly details: ProblemDetails;

  constructor(status: number, details: ProblemDetails) {
    super(details.message);
    this.status = status;
    this.details = details;
  }
}

export const notFound = (what: string, id: string | number): MockProblem =>
  new MockProblem(404, { code: "not_found", message: `${what} ${id} does not exist` });

export const conflict = (code: string, message: string): MockProblem => new MockProblem(409, { code, message });

export const unprocessable = (field: string, message: string): MockProblem =>
  new MockProblem(422, { code: "invalid", field, message: `${field}: ${message}` });
