/** --since/--until: dates, and which folders of the CloudTrail layout can hold records of the window. */
import { describe, expect, it } from "vitest";
import { folderMayHold, inWindow, parseDate, skippedFolder } from "../../tools/backtest/window";

const may = { since: parseDate("2024-05-10", "--since", false), until: parseDate("2024-05-20", "--until", true) };

describe("dates", () => {
  it("a bare date is a whole UTC day: --since from its first millisecond, --until to its last", () => {
    expect(new Date(may.since).toISOString()).toBe("2024-05-10T00:00:00.000Z");
    expect(new Date(may.until).toISOString()).toBe("2024-05-20T23:59:59.999Z");
    expect(parseDate("2024-05-10T12:30:00Z", "--since", false)).toBe(Date.parse("2024-05-10T12:30:00Z"));
  });

  it.each(["2024-02-30", "10/05/2024", "yesterday", "2024-05"])("refuses %s, naming the option", (text) => {
    expect(() => parseDate(text, "--until", true)).toThrow(`--until "${text}" is not a date`);
  });

  it("counts a record by its eventTime", () => {
    expect(inWindow(may, "2024-05-20T23:00:00Z")).toBe(true);
    expect(inWindow(may, "2024-05-21T00:00:00Z")).toBe(false);
    expect(inWindow(may, undefined)).toBe(false);
    expect(inWindow({}, undefined)).toBe(true);
  });
});

describe("folders of the layout", () => {
  const root = "AWSLogs/123456789012/CloudTrail/eu-west-1";

  it("keeps the window's days, and a day on either side (logs land in the folder of their delivery day)", () => {
    expect(["08", "09", "10", "20", "21", "22"].map((d) => folderMayHold(may, `${root}/2024/05/${d}/`))).toEqual([false, true, true, true, true, false]);
  });

  it("prunes whole months and years, and keeps folders outside the layout", () => {
    expect(folderMayHold(may, `${root}/2024/04/`)).toBe(false);
    expect(folderMayHold(may, `${root}/2024/05/`)).toBe(true);
    expect(folderMayHold(may, `${root}/2023/`)).toBe(false);
    expect(folderMayHold(may, "some/other/folder/")).toBe(true);
  });

  it("leaves digest folders out", () => {
    expect(skippedFolder("AWSLogs/123456789012/CloudTrail-Digest/")).toBe(true);
    expect(skippedFolder("AWSLogs/123456789012/CloudTrail/")).toBe(false);
  });
});
