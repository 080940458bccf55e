/** The base of every error the SDK throws; `cause` keeps what went wrong underneath. */
export class KeysmithError extends Error {
  override name = "KeysmithError";
}
