import type { Random } from "json-schema-faker";

/**
 * Generators for the string formats the mock's validator checks (ajv-formats' `full` mode) that
 * json-schema-faker 0.6 does not know, or gets wrong: without them it answers `""` for `url`, `iso-time`,
 * `iso-date-time` and `json-pointer-uri-fragment`, text that is not base64 for `byte`, and durations such as
 * `P76Y20DT` (a `T` with no time after it). Given to every generation as its `formats` option.
 */
export const SAMPLE_FORMATS: Readonly<Record<string, (random: Random) => string>> = {
  byte: (random) => {
    let bytes = "";
    for (let index = random.int(1, 12) * 3; index > 0; index--) bytes += String.fromCharCode(random.int(0, 255));
    return btoa(bytes);
  },
  duration: (random) => `P${random.int(1, 30)}DT${random.int(0, 23)}H${random.int(0, 59)}M`,
  "iso-time": (random) => `${time(random)}Z`,
  "iso-date-time": (random) => `${date(random)}T${time(random)}Z`,
  url: (random) => `https://example.com/${random.pick(WORDS)}/${random.int(1, 999)}`,
  "json-pointer-uri-fragment": (random) => `#/${random.pick(WORDS)}/${random.int(0, 9)}`,
};

const WORDS = ["items", "users", "data", "files", "orders"] as const;

function two(n: number): string {
  return String(n).padStart(2, "0");
}

function date(random: Random): string {
  return `${random.int(2000, 2030)}-${two(random.int(1, 12))}-${two(random.int(1, 28))}`;
}

function time(random: Random): string {
  return `${two(random.int(0, 23))}:${two(random.int(0, 59))}:${two(random.int(0, 59))}`;
}
