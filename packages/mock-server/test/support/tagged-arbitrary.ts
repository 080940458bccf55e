import type fc from "fast-check";

/** A generated part of a request and what is deliberately wrong with it (`undefined`: nothing). */
export type Tagged<T> = readonly [T, string | undefined];
/** Each part's valid choice comes first, and shrinking may switch to it: minimal repros keep only what matters. */
export const CROSS_SHRINK = { withCrossShrink: true } as const;
export const ok = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<Tagged<T>> =>
  arbitrary.map((value) => [value, undefined]);
export const bad = <T>(tag: string, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<Tagged<T>> =>
  arbitrary.map((value) => [value, tag]);
