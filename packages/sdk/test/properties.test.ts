import { Epoch, Epsilon3, Erathos, GetKeyManager, InvalidCredentialError, redact } from "@keysmith/sdk";
import fc from "fast-check";
import { describe, expect, test } from "vitest";

/** Control characters (U+0000–U+001F), built without a regex literal that would need them written out. */
const CONTROL = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(31)}]`);
const CONTROL_OR_SPACE = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(31)}\\s]`);

/** Key-like strings: printable ASCII without white space, not starting with an auth scheme word. */
const keyLike = fc
  .string({
    unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-~+/=!$%*"),
    minLength: 1,
    maxLength: 80,
  })
  .filter((key) => !/^(basic|bearer|token|api-key)/i.test(key));

/** Sends one request and returns the headers and URL it carried (no network: the fetch answers itself). */
async function sent(construct: (fetch: (request: Request) => Promise<Response>) => { call(): Promise<unknown> }) {
  let seen: Request | undefined;
  const client = construct(async (request) => {
    seen = request;
    return new Response("{}", { headers: { "Content-Type": "application/json" } });
  });
  await client.call();
  if (!seen) throw new Error("nothing was sent");
  return seen;
}

describe("header formatting, for any key", () => {
  test("Basic carries the key as username and a blank password", async () => {
    await fc.assert(
      fc.asyncProperty(keyLike, async (key) => {
        const request = await sent((fetch) => {
          const client = new Epsilon3({ apiKey: key, env: {}, fetch, maxRetries: 0 });
          return { call: () => client.dictionaries.list() };
        });
        const header = request.headers.get("authorization") ?? "";
        expect(header.startsWith("Basic ")).toBe(true);
        expect(new TextDecoder().decode(Uint8Array.from(atob(header.slice(6)), (c) => c.charCodeAt(0)))).toBe(
          `${key}:`,
        );
      }),
      { numRuns: 150 },
    );
  });

  test("token, Api-Key and Bearer put the key after their scheme word, unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(keyLike, async (key) => {
        const epoch = await sent((fetch) => {
          const client = new Epoch({
            apiKey: key,
            env: {},
            serverVariables: { subdomain: "acme" },
            fetch,
            maxRetries: 0,
          });
          return { call: () => client.teams.list() };
        });
        expect(epoch.headers.get("authorization")).toBe(`token ${key}`);
        const erathos = await sent((fetch) => {
          const client = new Erathos({ apiKey: key, env: {}, fetch, maxRetries: 0 });
          return { call: () => client.workspaces.list() };
        });
        expect(erathos.headers.get("authorization")).toBe(`Api-Key ${key}`);
        const gkm = await sent((fetch) => {
          const client = new GetKeyManager({ apiKey: `gkm_live_${key}`, env: {}, fetch, maxRetries: 0 });
          return { call: () => client.products.list() };
        });
        expect(gkm.headers.get("authorization")).toBe(`Bearer gkm_live_${key}`);
      }),
      { numRuns: 100 },
    );
  });
});

describe("credential parsing, for any input", () => {
  test("a control character anywhere is refused, and the key is never echoed", () => {
    const withControl = fc
      .tuple(
        keyLike,
        fc.integer({ min: 0, max: 31 }).map((code) => String.fromCharCode(code)),
        keyLike,
      )
      .map(([before, control, after]) => `${before}${control}${after}`)
      .filter((key) => key.trim().length > 0 && CONTROL.test(key.trim()));
    fc.assert(
      fc.property(withControl, (key) => {
        let error: unknown;
        try {
          new Erathos({ apiKey: key, env: {} });
        } catch (thrown) {
          error = thrown;
        }
        expect(error).toBeInstanceOf(InvalidCredentialError);
        const message = (error as Error).message;
        expect(message).toMatch(/control characters|white space/);
        for (const part of key.split(CONTROL_OR_SPACE).filter((piece) => piece.length >= 6)) {
          expect(message).not.toContain(part);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("white space inside a key is refused; around it, trimmed away", () => {
    fc.assert(
      fc.property(keyLike, keyLike, fc.constantFrom(" ", "\t", "  "), (left, right, space) => {
        expect(() => new Erathos({ apiKey: `${left}${space}${right}`, env: {} })).toThrow(InvalidCredentialError);
        expect(new Erathos({ apiKey: `${space}${left}${space}`, env: {} }).credentials.status().state).toBe(
          "no-expiry",
        );
      }),
      { numRuns: 200 },
    );
  });

  test("a registered secret never survives redaction, wherever it sits", () => {
    const secret = fc.string({
      unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789_"),
      minLength: 12,
      maxLength: 40,
    });
    fc.assert(
      fc.property(secret, fc.string(), fc.string(), (key, before, after) => {
        new Erathos({ apiKey: key, env: {} }); // registers it
        expect(redact(`${before}${key}${after}${key}`)).not.toContain(key);
        expect(redact(`Authorization: Basic ${btoa(`${key}:`)}`)).not.toContain(btoa(`${key}:`));
      }),
      { numRuns: 200 },
    );
  });
});
