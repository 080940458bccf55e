import { type KeyRecord, KeyRing } from "../core/key-record.js";
import type { SeedMode } from "../core/mock-api.js";

export type RsvpStatus = "pending" | "going" | "interested" | "not_going" | "waitlisted" | "cancelled";

export interface Event {
  id: number;
  title: string;
  description: string;
  start: string;
  end: string;
  timezone: string;
  location_type: "in_person" | "virtual" | "hybrid";
  capacity: number | null;
  registration_cutoff: string | null;
  team_id: number;
  status: "draft" | "published" | "cancelled" | "completed";
  created_at: string;
}

export interface Session {
  id: number;
  event_id: number;
  title: string;
  start: string;
  end: string;
}

export interface Guest {
  /** The event the guest is invited to (kept by the mock; answers leave it out). */
  event_id: number;
  user_id: number;
  email: string;
  rsvp_status: RsvpStatus;
  waitlist_position: number | null;
  checked_in_at: string | null;
}

export interface QuestionnaireResponse {
  id: number;
  event_id: number;
  user_id: number;
  kind: "questionnaire" | "feedback";
  submitted_at: string;
  answers: { question: string; answer: string }[];
}

export interface EpochState {
  readonly keys: KeyRing;
  readonly teams: { id: number; name: string }[];
  readonly users: {
    id: number;
    email: string;
    name: string;
    role: "employee" | "team_admin" | "super_admin";
    team_ids: number[];
  }[];
  readonly events: Event[];
  readonly sessions: Session[];
  readonly guests: Guest[];
  readonly responses: QuestionnaireResponse[];
  nextId: number;
}

/** Demo tokens: a live one that expires in 2099, and one that expired in 2025 (answers 401). */
export const epochDemoKeys = {
  token: "9f3c2a7e5b1d4f608a2c4e6b8d0f1a3c5e7b9d2f",
  expired: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
} as const;

export function createEpochState(seed: SeedMode): EpochState {
  const keys = new KeyRing<KeyRecord>([
    {
      id: "token_demo",
      secret: epochDemoKeys.token,
      label: "Demo token",
      status: "active",
      expiresAt: "2099-12-31T23:59:59.000Z",
    },
    {
      id: "token_expired",
      secret: epochDemoKeys.expired,
      label: "Expired token",
      status: "active",
      expiresAt: "2025-01-01T00:00:00.000Z",
    },
  ]);
  if (seed === "empty") {
    return { keys, teams: [], users: [], events: [], sessions: [], guests: [], responses: [], nextId: 100 };
  }
  const events: Event[] = [
    event(1, "All-hands: Q4 kickoff", "2026-12-03T17:00:00.000Z", "2026-12-03T18:00:00.000Z", "hybrid", 200, 1),
    event(2, "Volunteer day", "2026-12-10T16:00:00.000Z", "2026-12-10T23:00:00.000Z", "in_person", 2, 2),
    event(3, "Onboarding series", "2027-01-05T17:00:00.000Z", "2027-01-26T18:00:00.000Z", "virtual", null, 1),
  ];
  return {
    keys,
    teams: [
      { id: 1, name: "People Ops" },
      { id: 2, name: "Community" },
    ],
    users: [
      { id: 1, email: "ada@example.com", name: "Ada Lovelace", role: "super_admin", team_ids: [1] },
      { id: 2, email: "grace@example.com", name: "Grace Hopper", role: "team_admin", team_ids: [2] },
      { id: 3, email: "alan@example.com", name: "Alan Turing", role: "employee", team_ids: [1, 2] },
      { id: 4, email: "katherine@example.com", name: "Katherine Johnson", role: "employee", team_ids: [2] },
    ],
    events,
    sessions: [
      ...events.slice(0, 2).map((e) => ({ id: e.id * 10, event_id: e.id, title: e.title, start: e.start, end: e.end })),
      ...[0, 1, 2, 3].map((week) => ({
        id: 30 + week,
        event_id: 3,
        title: `Onboarding week ${week + 1}`,
        start: `2027-01-${String(5 + week * 7).padStart(2, "0")}T17:00:00.000Z`,
        end: `2027-01-${String(5 + week * 7).padStart(2, "0")}T18:00:00.000Z`,
      })),
    ],
    guests: [
      guest(1, 1, "ada@example.com", "going", "2026-12-03T16:58:00.000Z"),
      guest(1, 3, "alan@example.com", "interested", null),
      guest(2, 2, "grace@example.com", "going", null),
      guest(2, 3, "alan@example.com", "going", null),
    ],
    responses: [
      {
        id: 1,
        event_id: 1,
        user_id: 1,
        kind: "feedback",
        submitted_at: "2026-12-03T18:05:00.000Z",
        answers: [{ question: "How useful was this session?", answer: "Very" }],
      },
    ],
    nextId: 100,
  };
}

function event(
  id: number,
  title: string,
  start: string,
  end: string,
  location_type: Event["location_type"],
  capacity: number | null,
  team_id: number,
): Event {
  return {
    id,
    title,
    description: "",
    start,
    end,
    timezone: "America/Los_Angeles",
    location_type,
    capacity,
    registration_cutoff: null,
    team_id,
    status: "published",
    created_at: "2026-11-01T12:00:00.000Z",
  };
}

function guest(
  event_id: number,
  user_id: number,
  email: string,
  rsvp_status: RsvpStatus,
  checked_in_at: string | null,
): Guest {
  return { event_id, user_id, email, rsvp_status, waitlist_position: null, checked_in_at };
}
