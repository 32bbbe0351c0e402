import { describe, expect, it } from "vitest";
import { formatActivityCursor, parseActivityCursor } from "./activity-cursor";

describe("activity cursor", () => {
  it("round-trips", () => {
    const cursor = { createdAt: 1_796_364_940_929, id: 42 };
    expect(parseActivityCursor(formatActivityCursor(cursor))).toEqual(cursor);
  });

  it.each([undefined, ["1-2", "3-4"], "", "1", "-1-2", "1-2-3", "1.5-2", "9".repeat(16) + "-1", "1-2' OR 1=1", " 1-2"])("reads %j as the first page", (raw) => {
    expect(parseActivityCursor(raw)).toBeNull();
  });
});
