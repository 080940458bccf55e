import { base62Id } from "../core/ids.js";
import { type KeyRecord, KeyRing } from "../core/key-record.js";
import type { SeedMode } from "../core/mock-api.js";

export interface Procedure {
  _id: string;
  code: string;
  name: string;
  version: string;
  description: string;
  sections: { name: string; steps: { name: string }[] }[];
}

export interface Run {
  _id: string;
  procedure_id: string;
  name: string;
  state: "running" | "paused" | "completed";
  status: "success" | "abort" | "failure" | null;
  starttime: string;
  completed_at: string | null;
  variables: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface Dictionary {
  id: number;
  name: string;
}

export interface TelemetryParameter {
  name: string;
  type: string;
  dictionary_id: number;
  description?: string;
  values?: unknown;
}

export interface Command {
  name: string;
  dictionary_id: number;
  description?: string;
  arguments?: unknown[];
}

export interface Part {
  id: string;
  part_number: string;
  name: string;
  revision: string;
  tracking: string;
  description: string;
  details: { id: string; name: string; value: unknown }[];
  /** Earlier revisions, by revision letter (`getPart?revisionId=`). */
  revisions: Record<string, { description: string }>;
}

export interface InventoryItem {
  id: string;
  part_id: string;
  part_number: string;
  revision: string;
  serial: string | null;
  lot: string | null;
  quantity: number;
  location: string | null;
}

export interface Epsilon3State {
  readonly keys: KeyRing;
  readonly procedures: Procedure[];
  readonly runs: Run[];
  readonly dictionaries: Dictionary[];
  readonly parameters: TelemetryParameter[];
  readonly commands: Command[];
  readonly parts: Part[];
  readonly inventory: InventoryItem[];
  counter: number;
}

/** Demo credentials the mock accepts: a workspace (team) key and a personal (user) key. */
export const epsilon3DemoKeys = {
  workspace: "e3_demo_workspace_4b9f2c7d1e8a6035",
  personal: "e3_demo_personal_7c1d9e3a5b2f8046",
} as const;

export function createEpsilon3State(seed: SeedMode): Epsilon3State {
  const keys = new KeyRing<KeyRecord>([
    {
      id: "key_workspace",
      secret: epsilon3DemoKeys.workspace,
      label: "Demo workspace key",
      status: "active",
      kind: "team",
    },
    {
      id: "key_personal",
      secret: epsilon3DemoKeys.personal,
      label: "Demo personal key",
      status: "active",
      kind: "personal",
    },
  ]);
  if (seed === "empty") {
    return {
      keys,
      procedures: [],
      runs: [],
      dictionaries: [],
      parameters: [],
      commands: [],
      parts: [],
      inventory: [],
      counter: 100,
    };
  }
  const procedures: Procedure[] = [
    procedure(1, "OPS-101", "Pre-launch checklist", ["Power on", "Verify telemetry link", "Arm pyros"]),
    procedure(2, "OPS-204", "Thermal vacuum test", ["Pump down", "Hot soak", "Cold soak"]),
    procedure(3, "OPS-310", "Ground station pass", ["Acquire signal", "Uplink commands", "Downlink data"]),
  ];
  const [first, , third] = procedures;
  const runs: Run[] = [
    run(1, first as Procedure, "running", null, "2026-11-20T14:00:00.000Z"),
    run(2, third as Procedure, "completed", "success", "2026-11-19T09:30:00.000Z"),
    run(3, first as Procedure, "paused", null, "2026-11-21T16:45:00.000Z"),
  ];
  return {
    keys,
    procedures,
    runs,
    dictionaries: [
      { id: 1, name: "Flight" },
      { id: 2, name: "Ground" },
    ],
    parameters: [
      { name: "battery_voltage", type: "float", dictionary_id: 1, description: "Main bus voltage (V)" },
      { name: "mode", type: "enum", dictionary_id: 1, values: { "0": "SAFE", "1": "NOMINAL", "2": "SCIENCE" } },
      { name: "antenna_deployed", type: "bool", dictionary_id: 2 },
    ],
    commands: [
      {
        name: "set_mode",
        dictionary_id: 1,
        description: "Switch the spacecraft mode",
        arguments: [{ name: "mode", type: "enum", values: { "0": "SAFE", "1": "NOMINAL" } }],
      },
      { name: "reboot_radio", dictionary_id: 2, arguments: [] },
    ],
    // the first part is the reference's own example (docs.epsilon3.io, Builds API → Parts)
    parts: [
      {
        id: "vnWtKWleNWiuSQbBPNdE5F",
        part_number: "P-1",
        name: "Sample Part",
        revision: "C",
        tracking: "serial",
        description: "This is a sample part assembled in house.",
        details: [{ id: "xagtLhLxMEPLTgEHDNiEBa", name: "External Id", value: "EXT-0001" }],
        revisions: { B: { description: "Revision B of the sample part." } },
      },
      {
        id: base62Id("part", 2),
        part_number: "BAT-12",
        name: "Battery pack",
        revision: "A",
        tracking: "lot",
        description: "Lithium-ion battery pack, 12 cells.",
        details: [],
        revisions: {},
      },
    ],
    inventory: [
      {
        id: base62Id("inventory", 1),
        part_id: "vnWtKWleNWiuSQbBPNdE5F",
        part_number: "P-1",
        revision: "C",
        serial: "SN-0001",
        lot: null,
        quantity: 1,
        location: "Clean room",
      },
      {
        id: base62Id("inventory", 2),
        part_id: base62Id("part", 2),
        part_number: "BAT-12",
        revision: "A",
        serial: null,
        lot: "LOT-7",
        quantity: 24,
        location: "Stores",
      },
    ],
    counter: 100,
  };
}

function procedure(n: number, code: string, name: string, steps: string[]): Procedure {
  return {
    _id: base62Id("procedure", n),
    code,
    name,
    version: "1.0",
    description: `${name} (${code})`,
    sections: [{ name: "Main", steps: steps.map((step) => ({ name: step })) }],
  };
}

function run(n: number, proc: Procedure, state: Run["state"], status: Run["status"], starttime: string): Run {
  return {
    _id: base62Id("run", n),
    procedure_id: proc._id,
    name: proc.name,
    state,
    status,
    starttime,
    completed_at: state === "completed" ? starttime.replace("T09", "T11") : null,
    variables: {},
    metadata: { operator: "demo" },
  };
}
