import { ConfigurationError } from "./ConfigurationError.js";

/**
 * No key was given: neither the `apiKey` option nor the API's environment variable holds one (blank counts as
 * unset). Thrown by the constructor, so no request leaves without credentials; or, for an operation whose
 * security the client cannot meet, before sending it, naming each scheme it needs and how to give it.
 */
export class MissingCredentialError extends ConfigurationError {
  override name = "MissingCredentialError";
  /** The environment variable that was read, such as `EPSILON3_API_KEY`. */
  readonly variable: string;

  constructor(apiName: string, variable: string, need?: string) {
    super(
      need
        ? `${apiName}: ${need}; nothing was sent.`
        : `${apiName}: no API key. Set the ${variable} environment variable or pass the \`apiKey\` option.`,
    );
    this.variable = variable;
  }
}
