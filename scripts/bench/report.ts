import { type Measure, summarize } from "./stats.js";

/** One line of the table: our figure against one peer's, the ratio, and the goal it is held to. */
export interface Row {
  readonly section: string;
  readonly figure: string;
  readonly ours: Measure;
  readonly peer: { readonly name: string; readonly value: Measure } | undefined;
  /** ours ÷ peer. */
  readonly ratio: number | undefined;
  readonly goal: string;
  /** undefined where the row is for information only. */
  readonly met: boolean | undefined;
  readonly note?: string;
}

export function formatMeasure(measure: Measure): string {
  const digits = measure.unit === "s" || measure.unit === "ms" ? 2 : measure.unit === "kB" ? 1 : 0;
  const format = (value: number) =>
    value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const range =
    measure.runs > 1 && measure.min !== measure.max ? ` (${format(measure.min)}–${format(measure.max)})` : "";
  return `${format(measure.median)} ${measure.unit}${range}`;
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    "| figure | ours | peer | ratio | goal | met? |",
    "|---|---|---|---|---|---|",
    ...rows.map((row) =>
      [
        "",
        `${row.figure}${row.note ? ` (${row.note})` : ""}`,
        formatMeasure(row.ours),
        row.peer ? `${row.peer.name}: ${formatMeasure(row.peer.value)}` : "—",
        row.ratio === undefined ? "—" : `${row.ratio.toFixed(2)}×`,
        row.goal,
        row.met === undefined ? "info" : row.met ? "yes" : "**NO**",
        "",
      ]
        .join(" | ")
        .trim(),
    ),
  ];
  return lines.join("\n");
}

export function ratioRow(
  section: string,
  figure: string,
  ours: Measure,
  peerName: string,
  peer: Measure,
  goal: string,
  isMet: ((ratio: number) => boolean) | undefined,
  note?: string,
): Row {
  const ratio = ours.median / peer.median;
  return {
    section,
    figure,
    ours,
    peer: { name: peerName, value: peer },
    ratio,
    goal,
    met: isMet ? isMet(ratio) : undefined,
    ...(note ? { note } : {}),
  };
}

/** A peer our figure is compared with, the goal the ratio is held to, and how to judge it. */
export interface Peer {
  readonly name: string;
  readonly samples: readonly number[];
  readonly goal: string;
  /** Absent for rows shown for information only. */
  readonly isMet?: (ratio: number) => boolean;
  readonly note?: string;
}

/** One row per peer: the same figure of ours against each. */
export function compareRows(
  section: string,
  figure: string,
  ours: Measure,
  unit: string,
  peers: readonly Peer[],
): Row[] {
  return peers.map((peer) =>
    ratioRow(section, figure, ours, peer.name, summarize(peer.samples, unit), peer.goal, peer.isMet, peer.note),
  );
}
