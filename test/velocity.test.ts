import { describe, expect, it } from "vitest";
import { renderTemplate } from "../lib/velocity/render";
import { math, successTemplateUtils } from "../lib/velocity/tools";

const r = (template: string, context: Record<string, unknown> = {}) => renderTemplate(template, context);

describe("Velocity as Genesys runs it", () => {
  it("prints the reference text for a missing formal reference and nothing for a silent one", () => {
    expect(r("[${input.x}][$!{input.x}]", { input: {} })).toBe("[${input.x}][]");
  });

  it("treats a null value like a missing one, as Java Velocity does", () => {
    expect(r("[${input.x}][$!{input.x}]", { input: { x: null } })).toBe("[${input.x}][]");
  });

  it("does not HTML-escape", () => {
    expect(r("$input.x", { input: { x: `<a href="x">&</a>` } })).toBe(`<a href="x">&</a>`);
  });

  it("gives strings Java's length()", () => {
    expect(r("$s.length()", { s: "ünï" })).toBe("3");
  });

  it("replaces every occurrence with String.replace, as Java does", () => {
    expect(r('$s.replace("-", "")', { s: "2026-12-01" })).toBe("20261201");
  });

  it("drops trailing empty strings in String.split, as Java does", () => {
    expect(r('$s.split(",").size()', { s: "a,,b,," })).toBe("3");
    expect(r('#foreach($p in $s.split(","))[$p]#end', { s: "a,,b,," })).toBe("[a][][b]");
  });

  it("supports the other Java string methods templates use", () => {
    expect(r('$s.trim()|$s.toUpperCase()|$s.substring(1, 3)|$s.contains("b")|$s.startsWith(" a")|$s.indexOf("c")|$s.equalsIgnoreCase(" ABC ")', { s: " abc " })).toBe(
      "abc| ABC |ab|true|true|3|true",
    );
  });

  it("loops with $foreach.hasNext and $foreach.index", () => {
    expect(r("#foreach($x in $xs)$foreach.index:$x#if($foreach.hasNext),#end#end", { xs: ["a", "b"] })).toBe("0:a,1:b");
  });
});

describe("Genesys Velocity tools", () => {
  it("$esc.jsonString makes any text safe inside a JSON string", () => {
    const text = 'quote " backslash \\ newline \n tab \t unicode ü 休 \u0001';
    expect(JSON.parse(r('{"v": "$esc.jsonString($t)"}', { t: text })).v).toBe(text);
  });

  it("$esc.url form-encodes (space as +) and $esc.uriEncode percent-encodes (space as %20)", () => {
    expect(r("$esc.url($t)|$esc.uriEncode($t)", { t: "a b/c&d" })).toBe("a+b%2Fc%26d|a%20b%2Fc%26d");
  });

  it("$encoding.base64 encodes UTF-8", () => {
    expect(r('$encoding.base64("user:pässword")')).toBe(Buffer.from("user:pässword").toString("base64"));
  });

  it("$math keeps fractions in division and rounds half up", () => {
    expect(r('$math.div(450, 60)|$math.round(2.5)|$math.roundTo(2, 7.456)|$math.toInteger("78")')).toBe("7.5|3|7.46|78");
  });

  it("$math multiplies in doubles, like MathTool: 40.33 h is 2419.7999999999997 min until rounded", () => {
    expect(r('$math.mul("40.33", 60)|$math.round($math.mul("40.33", 60))')).toBe("2419.7999999999997|2420");
  });

  it("$math returns null for input it cannot use, which renders as the reference text", () => {
    expect(math.add("x", 1)).toBeNull();
    expect(math.div(1, 0)).toBeNull();
    expect(r("$math.add($v,1)", { v: "abc" })).toBe("$math.add($v,1)");
  });

  it("$successTemplateUtils.firstFromArray gives the first element as JSON, or the default", () => {
    expect(successTemplateUtils.firstFromArray('["a","b"]', "null")).toBe('"a"');
    expect(successTemplateUtils.firstFromArray("[]", "null")).toBe("null");
  });

  it("$successTemplateUtils.moveKeysIntoArrayOfObjects turns keyed objects into a list", () => {
    expect(JSON.parse(successTemplateUtils.moveKeysIntoArrayOfObjects('{"2026-12-01": {"h": "8"}}', "date"))).toEqual([{ date: "2026-12-01", h: "8" }]);
  });
});
