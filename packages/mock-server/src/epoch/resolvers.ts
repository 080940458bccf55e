import type { Resolver, ResolverContext } from "../core/mock-api.js";
import { conflict, MockProblem, unprocessable } from "../core/mock-problem.js";
import type { CollectionBinding, DescribedApiKit } from "../generic/described-api.js";
import type { EpochState, Event, Guest } from "./state.js";

type Body = Record<string, unknown>;

/** Where Epoch's resources live in its state; an event is shown with counts its description cannot compute. */
export const epochCollections: Readonly<Record<string, CollectionBinding<EpochState>>> = {
  events: { items: (state) => state.events, view: (event, { state }) => withCounts(state, event as unknown as Event) },
  sessions: { items: (state) => state.sessions, parentFields: { event_id: "event_id" } },
  guests: { items: (state) => state.guests, parentFields: { event_id: "event_id" } },
  responses: { items: (state) => state.responses, parentFields: { event_id: "event_id" } },
  teams: { items: (state) => state.teams },
  users: { items: (state) => state.users },
};

const withCounts = (state: EpochState, event: Event) => {
  const guests = state.guests.filter((guest) => guest.event_id === event.id);
  return {
    ...event,
    estimated_attendees: guests.filter((guest) => guest.rsvp_status === "going").length,
    session_count: state.sessions.filter((session) => session.event_id === event.id).length,
  };
};

/** Fills free seats from the waitlist, in order, and renumbers the rest of the queue. */
function settleWaitlist(event: Event, guests: Guest[]): void {
  const waitlisted = guests
    .filter((guest) => guest.rsvp_status === "waitlisted")
    .sort((a, b) => (a.waitlist_position ?? 0) - (b.waitlist_position ?? 0));
  let going = guests.filter((guest) => guest.rsvp_status === "going").length;
  for (const guest of waitlisted) {
    if (event.capacity !== null && going >= event.capacity) break;
    guest.rsvp_status = "going";
    guest.waitlist_position = null;
    going += 1;
  }
  guests
    .filter((guest) => guest.rsvp_status === "waitlisted")
    .forEach((guest, index) => {
      guest.waitlist_position = index + 1;
    });
}

function checkDates(start: unknown, end: unknown): void {
  if (typeof start === "string" && typeof end === "string" && Date.parse(end) <= Date.parse(start)) {
    throw unprocessable("end", "must be after start");
  }
}

/**
 * What Epoch's description cannot say: an event's team must exist and it ends after it starts, a new event gets
 * its first session, rescheduling resets RSVPs, deleting drops the guest list, and invitations and check-ins
 * follow capacity, the waitlist and the registration cutoff. Lists, reads and pages are the generic ones.
 */
export function epochResolvers(kit: DescribedApiKit<EpochState>): Record<string, Resolver<EpochState>> {
  const findEvent = (context: ResolverContext<EpochState>) => kit.find(context, "events") as unknown as Event;
  const guestsOf = (context: ResolverContext<EpochState>) => kit.items(context, "guests") as unknown as Guest[];
  const shown = (context: ResolverContext<EpochState>, guest: Guest) => kit.view(context, "guests", { ...guest });
  return {
    createEvent: ({ state, body, now }) => {
      const input = body as Body;
      if (!state.teams.some((team) => team.id === input.team_id))
        throw unprocessable("team_id", `team ${input.team_id} does not exist`);
      checkDates(input.start, input.end);
      const id = state.nextId++;
      const event: Event = {
        id,
        title: String(input.title),
        description: String(input.description ?? ""),
        start: String(input.start),
        end: String(input.end),
        timezone: String(input.timezone),
        location_type: input.location_type as Event["location_type"],
        capacity: (input.capacity as number | undefined) ?? null,
        registration_cutoff: (input.registration_cutoff as string | undefined) ?? null,
        team_id: Number(input.team_id),
        status: "published",
        created_at: now.toISOString(),
      };
      state.events.push(event);
      state.sessions.push({ id: state.nextId++, event_id: id, title: event.title, start: event.start, end: event.end });
      return { body: withCounts(state, event) };
    },

    updateEvent: (context) => {
      const event = findEvent(context);
      const changes = context.body as Partial<Event>;
      checkDates(changes.start ?? event.start, changes.end ?? event.end);
      const rescheduled =
        (changes.start && changes.start !== event.start) || (changes.end && changes.end !== event.end);
      Object.assign(event, changes);
      const guests = guestsOf(context);
      settleWaitlist(event, guests);
      if (rescheduled) {
        // Epoch resets RSVPs when an event's date changes: guests must confirm again.
        for (const guest of guests) {
          if (guest.rsvp_status !== "waitlisted" && guest.rsvp_status !== "cancelled") guest.rsvp_status = "pending";
        }
      }
      return { body: withCounts(context.state, event) };
    },

    deleteEvent: (context) => {
      const event = findEvent(context);
      const { state } = context;
      state.events.splice(state.events.indexOf(event), 1);
      state.guests.splice(0, state.guests.length, ...state.guests.filter((guest) => guest.event_id !== event.id));
      return { status: 204 };
    },

    inviteGuest: (context) => {
      const { state, now } = context;
      const event = findEvent(context);
      const input = context.body as Body;
      const user = state.users.find((candidate) => candidate.id === input.user_id);
      if (!user) throw unprocessable("user_id", `user ${input.user_id} does not exist`);
      const guests = guestsOf(context);
      if (guests.some((guest) => guest.user_id === user.id))
        throw conflict("already_invited", `User ${user.id} is already invited`);
      if (event.registration_cutoff && Date.parse(event.registration_cutoff) < now.getTime()) {
        throw new MockProblem(409, { code: "registration_closed", message: "Registration for this event has closed" });
      }
      let rsvp = (input.rsvp_status as Guest["rsvp_status"] | undefined) ?? "pending";
      let position: number | null = null;
      const going = guests.filter((guest) => guest.rsvp_status === "going").length;
      if (rsvp === "going" && event.capacity !== null && going >= event.capacity) {
        rsvp = "waitlisted";
        position = guests.filter((guest) => guest.rsvp_status === "waitlisted").length + 1;
      }
      const guest: Guest = {
        event_id: event.id,
        user_id: user.id,
        email: user.email,
        rsvp_status: rsvp,
        waitlist_position: position,
        checked_in_at: null,
      };
      state.guests.push(guest);
      return { body: shown(context, guest) };
    },

    checkInGuest: (context) => {
      const event = findEvent(context);
      const userId = (context.body as Body).user_id;
      const guests = guestsOf(context);
      const guest = guests.find((candidate) => candidate.user_id === userId);
      if (!guest) throw unprocessable("user_id", `user ${userId} is not a guest of event ${event.id}`);
      if (guest.checked_in_at)
        throw conflict("already_checked_in", `User ${guest.user_id} checked in at ${guest.checked_in_at}`);
      guest.checked_in_at = context.now.toISOString();
      if (guest.rsvp_status !== "going") {
        // whoever shows up is attending, whatever they answered
        guest.rsvp_status = "going";
        guest.waitlist_position = null;
        settleWaitlist(event, guests);
      }
      return { body: shown(context, guest) };
    },
  };
}
