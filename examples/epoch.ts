/**
 * Epoch: plan an event, invite people (past capacity they are waitlisted), and check one in.
 *
 *   EPOCH_API_TOKEN=… EPOCH_SUBDOMAIN=acme npx tsx examples/epoch.ts
 */
import { Epoch } from "@keysmith/sdk";
import { isMain, type Log } from "./log.js";

export async function epochExample(log: Log = console.log): Promise<void> {
  const epoch = new Epoch(); // EPOCH_API_TOKEN, and EPOCH_SUBDOMAIN or EPOCH_BASE_URL

  const teams = await epoch.teams.list();
  const team = teams.results[0];
  if (!team) throw new Error("the organisation has no teams");
  const event = await epoch.events.create({
    title: "Keysmith launch lunch",
    start: "2027-02-01T20:00:00Z",
    end: "2027-02-01T21:00:00Z",
    timezone: "America/Los_Angeles",
    location_type: "in_person",
    capacity: 1,
    team_id: team.id,
  });
  log(`Epoch: created event ${event.id} "${event.title}" for team ${team.name} (capacity ${event.capacity})`);

  const users = await epoch.users.list({ page_size: 2 });
  for (const user of users.results) {
    const guest = await epoch.guests.invite({ event_id: event.id, user_id: user.id, rsvp_status: "going" });
    log(
      `Epoch: invited ${guest.email}: ${guest.rsvp_status}${guest.waitlist_position ? ` #${guest.waitlist_position}` : ""}`,
    );
  }
  const [first] = users.results;
  if (first) {
    const checkedIn = await epoch.checkIns.create({ event_id: event.id, user_id: first.id });
    log(`Epoch: ${checkedIn.email} checked in at ${checkedIn.checked_in_at}`);
  }
  const page = await epoch.events.list({ page_size: 2 });
  log(
    `Epoch: ${page.count} events in all, ${page.results.length} on this page, next page: ${page.next ? "yes" : "no"}`,
  );
  // every event of every page, two at a time: the list asks for the next page as the loop needs it
  const titles: string[] = [];
  for await (const each of epoch.events.list({ page_size: 2 })) titles.push(each.title);
  log(`Epoch: walked all ${titles.length} events: ${titles.join(", ")}`);
}

if (isMain(import.meta.url)) await epochExample();
