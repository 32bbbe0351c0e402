import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "./index";
import { createUser } from "./queries";
import { users } from "./schema";

describe("the connection reuses compiled statements", () => {
  it("gives the same SQL the same statement", () => {
    const sqlite = db().$client;
    expect(sqlite.prepare("SELECT count(*) FROM users")).toBe(sqlite.prepare("SELECT count(*) FROM users"));
  });

  it("a statement drizzle left in raw mode answers rows as objects to the next query", () => {
    const created = createUser("cache@example.com", "hash", Date.now());
    if (created === "email-taken") throw new Error("unexpected");
    const query = () => db().select({ email: users.email }).from(users).where(eq(users.id, created.id));
    expect(query().values()).toEqual([["cache@example.com"]]); // raw mode
    expect(query().get()).toEqual({ email: "cache@example.com" });
    const sql = query().toSQL().sql;
    expect(db().$client.prepare(sql).get(created.id)).toEqual({ email: "cache@example.com" });
  });

  it("a statement another caller switched to pluck or expand mode answers rows as objects again", () => {
    const sqlite = db().$client;
    const source = "SELECT count(*) AS n FROM users";
    sqlite.prepare(source).pluck();
    expect(sqlite.prepare(source).get()).toEqual({ n: expect.any(Number) });
    sqlite.prepare(source).expand();
    expect(sqlite.prepare(source).get()).toEqual({ n: expect.any(Number) });
  });

  it("keeps statements that return no rows usable", () => {
    const sqlite = db().$client;
    const update = "UPDATE users SET session_version = session_version WHERE id = ?";
    expect(sqlite.prepare(update).run(-1).changes).toBe(0);
    expect(sqlite.prepare(update).run(-1).changes).toBe(0);
  });
});
