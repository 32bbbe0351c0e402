import { describe, expect, it } from "vitest";
import { listSecurityEvents, insertSecurityEvent } from "./activity-queries";
import { createUser } from "./queries";

function userWithEvents(email: string, times: number[]): number {
  const created = createUser(email, "hash", 0);
  if (created === "email-taken") throw new Error("unexpected");
  for (const at of times) insertSecurityEvent({ userId: created.id, kind: "sign-in", detail: { method: "totp" }, ip: null, userAgent: null }, at);
  return created.id;
}

describe("listSecurityEvents", () => {
  it("pages through every event once, newest first, also when events share a millisecond", () => {
    // 23 events over 10 distinct times: ties must not repeat or drop an event at a page boundary.
    const times = Array.from({ length: 23 }, (_, i) => 1_000 + Math.floor(i / 3) * 10);
    const userId = userWithEvents("pages@example.com", times);
    userWithEvents("someone-else@example.com", times);
    const seen: number[] = [];
    let page = listSecurityEvents(userId, { limit: 5 });
    const sizes = [page.events.length];
    seen.push(...page.events.map((event) => event.id));
    while (page.older) {
      page = listSecurityEvents(userId, { before: page.older, limit: 5 });
      sizes.push(page.events.length);
      seen.push(...page.events.map((event) => event.id));
    }
    expect(sizes).toEqual([5, 5, 5, 5, 3]);
    expect(new Set(seen).size).toBe(23);
    const all = listSecurityEvents(userId, { limit: 100 }).events;
    expect(all.map((event) => event.id)).toEqual(seen);
    expect(all.map((event) => event.createdAt)).toEqual([...times].sort((a, b) => b - a));
  });

  it("says there is nothing older when the page ends exactly at the last event", () => {
    const userId = userWithEvents("exact@example.com", [1, 2, 3, 4]);
    expect(listSecurityEvents(userId, { limit: 4 }).older).toBeNull();
    expect(listSecurityEvents(userId, { limit: 3 }).older).not.toBeNull();
  });
});
