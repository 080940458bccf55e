import type { Resolver, ResolverContext } from "../core/mock-api.js";
import { conflict, MockProblem, notFound, unprocessable } from "../core/mock-problem.js";
import { pageOf, withQuery } from "../core/paginate.js";
import type { EpochState, Event, Guest } from "./state.js";

type R = Resolver<EpochState>;
type Body = Record<string, unknown>;

const findEvent = (state: EpochState, id: unknown): Event => {
  const event = state.events.find((candidate) => candidate.id === id);
  if (!event) throw notFound("Event", String(id));
  return event;
};

const guestsOf = (state: EpochState, eventId: number): Guest[] => {
  let guests = state.guests.get(eventId);
  if (!guests) {
    guests = [];
    state.guests.set(eventId, guests);
  }
  return guests;
};

/** Django REST Framework's page-number envelope, with absolute `next`/`previous` links. */
function drfPage<T>(context: ResolverContext<EpochState>, items: readonly T[]) {
  const page = pageOf(items, Number(context.query.page ?? 1), Number(context.query.page_size ?? 25));
  return {
    body: {
      count: page.total,
      next: page.page < page.totalPages ? withQuery(context.url, "page", page.page + 1) : null,
      previous: page.page > 1 ? withQuery(context.url, "page", page.page - 1) : null,
      results: page.items,
    },
  };
}

const withCounts = (state: EpochState, event: Event) => {
  const guests = state.guests.get(event.id) ?? [];
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

export const epochResolvers: Record<string, R> = {
  listEvents: (context) => {
    const { state, query } = context;
    const events = state.events
      .filter((event) => query.team === undefined || event.team_id === query.team)
      .filter((event) => query.status === undefined || event.status === query.status)
      .filter(
        (event) => query.start_after === undefined || Date.parse(event.start) > Date.parse(String(query.start_after)),
      )
      .sort((a, b) => b.start.localeCompare(a.start))
      .map((event) => withCounts(state, event));
    return drfPage(context, events);
  },

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

  getEvent: ({ state, params }) => ({ body: withCounts(state, findEvent(state, params.event_id)) }),

  updateEvent: ({ state, params, body }) => {
    const event = findEvent(state, params.event_id);
    const changes = body as Partial<Event>;
    checkDates(changes.start ?? event.start, changes.end ?? event.end);
    const rescheduled = (changes.start && changes.start !== event.start) || (changes.end && changes.end !== event.end);
    Object.assign(event, changes);
    settleWaitlist(event, guestsOf(state, event.id));
    if (rescheduled) {
      // Epoch resets RSVPs when an event's date changes: guests must confirm again.
      for (const guest of state.guests.get(event.id) ?? []) {
        if (guest.rsvp_status !== "waitlisted" && guest.rsvp_status !== "cancelled") guest.rsvp_status = "pending";
      }
    }
    return { body: withCounts(state, event) };
  },

  deleteEvent: ({ state, params }) => {
    const event = findEvent(state, params.event_id);
    state.events.splice(state.events.indexOf(event), 1);
    state.guests.delete(event.id);
    return { status: 204 };
  },

  listEventSessions: (context) => {
    const event = findEvent(context.state, context.params.event_id);
    return drfPage(
      context,
      context.state.sessions.filter((session) => session.event_id === event.id),
    );
  },

  listGuests: (context) => {
    const event = findEvent(context.state, context.params.event_id);
    const guests = guestsOf(context.state, event.id).filter(
      (guest) => context.query.rsvp_status === undefined || guest.rsvp_status === context.query.rsvp_status,
    );
    return drfPage(context, guests);
  },

  inviteGuest: ({ state, params, body, now }) => {
    const event = findEvent(state, params.event_id);
    const input = body as Body;
    const user = state.users.find((candidate) => candidate.id === input.user_id);
    if (!user) throw unprocessable("user_id", `user ${input.user_id} does not exist`);
    const guests = guestsOf(state, event.id);
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
      user_id: user.id,
      email: user.email,
      rsvp_status: rsvp,
      waitlist_position: position,
      checked_in_at: null,
    };
    guests.push(guest);
    return { body: guest };
  },

  checkInGuest: ({ state, params, body, now }) => {
    const event = findEvent(state, params.event_id);
    const userId = (body as Body).user_id;
    const guests = guestsOf(state, event.id);
    const guest = guests.find((candidate) => candidate.user_id === userId);
    if (!guest) throw unprocessable("user_id", `user ${userId} is not a guest of event ${event.id}`);
    if (guest.checked_in_at)
      throw conflict("already_checked_in", `User ${guest.user_id} checked in at ${guest.checked_in_at}`);
    guest.checked_in_at = now.toISOString();
    if (guest.rsvp_status !== "going") {
      // whoever shows up is attending, whatever they answered
      guest.rsvp_status = "going";
      guest.waitlist_position = null;
      settleWaitlist(event, guests);
    }
    return { body: guest };
  },

  listResponses: (context) => {
    const event = findEvent(context.state, context.params.event_id);
    const responses = context.state.responses
      .filter((response) => response.event_id === event.id)
      .map(({ event_id: _, ...response }) => response);
    return drfPage(context, responses);
  },

  listTeams: (context) => drfPage(context, context.state.teams),

  listUsers: (context) =>
    drfPage(
      context,
      context.state.users.filter((user) => context.query.role === undefined || user.role === context.query.role),
    ),
};
