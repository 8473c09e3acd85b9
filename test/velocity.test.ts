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

  it("$math keeps fractions in division; round() rounds halves to even (Math.rint), roundTo() rounds them up", () => {
    expect(r('$math.div(450, 60)|$math.round(2.5)|$math.round(3.5)|$math.roundTo(2, 7.456)|$math.roundTo(1, 0.25)|$math.toInteger("78")')).toBe("7.5|2|4|7.46|0.3|78");
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

/**
 * Apache Velocity Tools' own assertions (apache/velocity-tools, Apache-2.0,
 * velocity-tools-generic/src/test/java/org/apache/velocity/tools/test/whitebox/GenericToolsTests.java,
 * testEscapeTool and testMathTool), replayed through templates as a data action would call them.
 */
describe("EscapeTool, as Velocity Tools tests it (GenericToolsTests#testEscapeTool)", () => {
  it("velocity() turns $ and # into ${esc.d} and ${esc.h}", () => {
    expect(r("$esc.velocity($v)", { v: "$foo #bar()" })).toBe("${esc.d}foo ${esc.h}bar()");
  });
  it("propertyKey() and propertyValue() follow java.util.Properties", () => {
    expect(r("$esc.propertyKey($v)", { v: " C:\\Program Files" })).toBe("\\ C\\:\\\\Program\\ Files");
    expect(r("$esc.propertyValue($v)", { v: " C:\\Program Files" })).toBe("\\ C\\:\\\\Program Files");
  });
  it("java() and javascript() escape like commons-lang StringEscapeUtils", () => {
    expect(r("$esc.java($v)", { v: '\uFFFF\b\n\t\f\r"\\' })).toBe('\\uFFFF\\b\\n\\t\\f\\r\\"\\\\');
    expect(r("$esc.javascript($v)", { v: "\uFFFF\b\n\t\f\r\"'\\" })).toBe("\\uFFFF\\b\\n\\t\\f\\r\\\"\\'\\\\");
  });
  it("html() uses HTML 4 entities, url() form-encodes, sql() doubles single quotes", () => {
    expect(r("$esc.html($v)", { v: '"&<>\u00a0' })).toBe("&quot;&amp;&lt;&gt;&nbsp;");
    expect(r("$esc.url($v)", { v: "@/?= &" })).toBe("%40%2F%3F%3D+%26");
    expect(r("$esc.sql($v)", { v: "'" })).toBe("''");
  });
  it("unicode() turns a code point into its character", () => {
    expect(r('$esc.unicode("f00b")|$esc.unicode($v)', { v: "\\u1010" })).toBe("\uf00b|\u1010");
  });
});

describe("EscapeTool constants under long and short names (EscapeTool.java javadoc)", () => {
  it.each([
    ["dollar", "d", "$"],
    ["hash", "h", "#"],
    ["backslash", "b", "\\"],
    ["quote", "q", '"'],
    ["singleQuote", "s", "'"],
    ["newline", "n", "\n"],
    ["exclamation", "e", "!"],
  ])("$esc.%s and $esc.%s render %j, also as getters", (long, short, value) => {
    expect(r(`$esc.${long}|\${esc.${short}}|$esc.get${long[0].toUpperCase()}${long.slice(1)}()`)).toBe(`${value}|${value}|${value}`);
  });
  it("builds the not-found branch real exports write with $esc.quote", () => {
    expect(JSON.parse(r('{"priority": $esc.quote$esc.quote, "name": $esc.quote$input.n$esc.quote}', { input: { n: "x" } }))).toEqual({ priority: "", name: "x" });
  });
});

describe("MathTool, as Velocity Tools tests it (GenericToolsTests#testMathTool)", () => {
  it.each([
    ["$math.abs(-1)", "1"],
    ["$math.add(1,1)", "2"],
    ["$math.ceil(2.5)", "3"],
    ["$math.div(8,2)", "4"],
    ["$math.floor(5.1)", "5"],
    ["$math.getAverage($longs)", "6"],
    ["$math.getTotal([2, 2, 3])", "7"],
    ["$math.idiv(130, 16)", "8"],
    ["$math.max(9,-10)", "9"],
    ["$math.min(10, 20)", "10"],
    ["$math.mod(37,13)", "11"],
    ["$math.mul(3, 4)", "12"],
    ["$math.round(12.8)", "13"],
    ["$math.roundTo(1,14.18)", "14.2"],
    ["$math.sub(30,15)", "15"],
    ["$math.pow(4, 2)", "16"],
    ['$math.toInteger("17")', "17"],
    ['$math.toDouble("18.1")', "18.1"],
  ])("%s is %s", (template, expected) => {
    expect(r(template, { longs: [5, 6, 7] })).toBe(expected);
  });
});
