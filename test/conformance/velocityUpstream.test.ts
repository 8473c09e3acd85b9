import { describe, expect, it } from "vitest";
import { HTML4_ENTITIES } from "../../lib/velocity/htmlEntities";
import { isJavaDouble, javaDoubleToString } from "../../lib/velocity/javaNumber";
import { renderTemplate } from "../../lib/velocity/render";
import { esc, math } from "../../lib/velocity/tools";

/**
 * What the engine's Velocity layer reproduces, checked with the upstream projects' own test cases. Each case names
 * its source: apache/commons-lang (StringEscapeUtilsTest, at d15939ef), apache/velocity-tools (MathToolTests,
 * GenericToolsTests, at 03bd638e), apache/velocity-engine (the regression templates math.vm / arithmetic.vm and
 * their compare files, at 489e9d66), and java.lang.Double's javadoc.
 */

const r = (template: string, context: Record<string, unknown> = {}) => renderTemplate(template, context);

describe("$esc.html is commons-lang3 StringEscapeUtils.escapeHtml4 (EscapeTool.html delegates to it)", () => {
  // StringEscapeUtilsTest.HTML_ESCAPES, replayed by testEscapeHtml: [message, expected, original].
  it.each([
    ["no escaping", "plain text", "plain text"],
    ["empty string", "", ""],
    ["ampersand", "bread &amp; butter", "bread & butter"],
    ["quotes", "&quot;bread&quot; &amp; butter", '"bread" & butter'],
    ["final character only", "greater than &gt;", "greater than >"],
    ["first character only", "&lt; less than", "< less than"],
    ["apostrophe", "Huntington's chorea", "Huntington's chorea"],
    ["languages", "English,Fran&ccedil;ais,\u65E5\u672C\u8A9E (nihongo)", "English,Fran\u00E7ais,\u65E5\u672C\u8A9E (nihongo)"],
    ["8-bit ascii shouldn't number-escape", "\u0080\u009F", "\u0080\u009F"],
  ])("StringEscapeUtilsTest#testEscapeHtml %s", (_, expected, original) => {
    expect((esc.html as (v: unknown) => string)(original)).toBe(expected);
  });

  it("StringEscapeUtilsTest#testEscapeHtml null: a null stays null (Velocity prints the reference)", () => {
    expect((esc.html as (v: unknown) => unknown)(null)).toBeNull();
    expect(r("$esc.html($nothing)")).toBe("$esc.html($nothing)");
  });

  it("StringEscapeUtilsTest#testEscapeHtmlVersions: Greek capital Beta is &Beta; (HTML 4.0 extended entities)", () => {
    expect(r("$esc.html($s)", { s: "\u0392" })).toBe("&Beta;");
  });

  it("StringEscapeUtilsTest#testEscapeHiragana: characters without an HTML 4 entity pass unescaped", () => {
    expect(r("$esc.html($s)", { s: "\u304B\u304C\u3068" })).toBe("\u304B\u304C\u3068");
  });

  it("StringEscapeUtilsTest#testEscapeHtmlHighUnicode: a character beyond the BMP (U+1D362) passes unescaped", () => {
    const original = Buffer.from([0xf0, 0x9d, 0x8d, 0xa2]).toString("utf8");
    expect(r("$esc.html($s)", { s: original })).toBe(original);
  });

  it("EntityArrays: the ISO-8859-1 table has 96 entities and HTML40_EXTENDED 152, symbols and punctuation included", () => {
    expect(HTML4_ENTITIES.size).toBe(96 + 152);
    expect(r("$esc.html($s)", { s: "€ – — “x” • … ™ ← ∑ ♥ ƒ Œ š" })).toBe(
      "&euro; &ndash; &mdash; &ldquo;x&rdquo; &bull; &hellip; &trade; &larr; &sum; &hearts; &fnof; &OElig; &scaron;",
    );
  });
});

describe("MathTool's result types: a Double renders as Java's Double.toString", () => {
  it("MathToolTests#testMax: $math.max(4,3.5) and $math.max(4,3.5,3) render 4.0", () => {
    expect(r("$math.max(4,3.5)")).toBe("4.0");
    expect(r("$math.max(4,3.5,3)")).toBe("4.0");
  });

  it("MathToolTests#testRandomIntegralType: $math.random(5,5) renders 5, never a Double", () => {
    expect(r("$math.random(5,5)")).toBe("5");
  });

  it("MathToolTests#testRandomTypeNarrowing: whole bounds give a whole number (Integer or Long), not a Double", () => {
    expect(math.random(5, 5)).toBe(5);
    expect(math.random(3000000000, 3000000000)).toBe(3000000000);
  });

  it("MathToolTests#testMatchTypeOverflowNotCapped: an integral result beyond the long range is a Double", () => {
    const product = math.mul(4000000000, 4000000000);
    expect(isJavaDouble(product)).toBe(true);
    expect(Number(product)).toBeCloseTo(1.6e19, -7);
    expect(r("$math.mul(4000000000, 4000000000)")).toBe("1.6E19");
  });

  it("GenericToolsTests#testMathTool: roundTo gives a Double (new Double(14.2), new Double(-5.0)), round an Integer", () => {
    expect(r("$math.roundTo(1,14.18)|$math.roundTo(2,-4.999)|$math.round(12.8)|$math.toDouble(\"18.1\")")).toBe("14.2|-5.0|13|18.1");
    expect(isJavaDouble(math.roundTo(2, -4.999))).toBe(true);
    expect(isJavaDouble(math.round(12.8))).toBe(false);
  });

  it("MathTool.roundTo: a Double even when whole, so $math.roundTo(4, 8) renders 8.0 (the known Genesys case)", () => {
    expect(r("$math.roundTo(4, 8)|$math.roundTo(4, $math.div(480, 60))|$math.div(480, 60)")).toBe("8.0|8.0|8");
  });

  it("MathTool.matchType: a Double operand makes the result a Double, whole or not", () => {
    expect(r("$math.add(1.5, 1.5)|$math.add(1, 2)|$math.mul($math.roundTo(1, 2), 3)")).toBe("3.0|3|6.0");
  });

  it("MathTool.round is (int) Math.rint: halves go to the even neighbour", () => {
    expect(r("$math.round(0.5)|$math.round(1.5)|$math.round(2.5)|$math.round(-2.5)")).toBe("0|2|2|-2");
  });

  it("MathTool.max starts from Double.MIN_VALUE, so the max of negative numbers is 4.9E-324", () => {
    expect(r("$math.max(-1, -2)")).toBe("4.9E-324");
  });

  it("MathTool.getTotal / getAverage of an empty list: 0 and NaN", () => {
    expect(r("$math.getTotal([])|$math.getAverage([])")).toBe("0|NaN");
  });

  it("ConversionUtils.toNumber parses text as DecimalFormat does: integral text is a Long, grouping and a trailing rest are allowed", () => {
    expect(r('$math.toNumber("3.0")|$math.toNumber("1,234.5 h")|$math.add("2", "2.50")')).toBe("3|1234.5|4.5");
    expect(math.toNumber(" 5")).toBeNull();
  });
});

describe("java.lang.Double.toString", () => {
  // The javadoc's rules: decimal form for 10^-3 <= |d| < 10^7, computerized scientific notation otherwise, at least
  // one digit after the point, the fewest digits that identify the double.
  it.each([
    [8, "8.0"],
    [7.5, "7.5"],
    [-5, "-5.0"],
    [0, "0.0"],
    [-0, "-0.0"],
    [0.001, "0.001"],
    [0.0001, "1.0E-4"],
    [9999999, "9999999.0"],
    [10000000, "1.0E7"],
    [123456789.125, "1.23456789125E8"],
    [0.1 + 0.2, "0.30000000000000004"],
    [Number.MIN_VALUE, "4.9E-324"],
    [Number.MAX_VALUE, "1.7976931348623157E308"],
    [NaN, "NaN"],
    [Infinity, "Infinity"],
    [-Infinity, "-Infinity"],
  ])("%d is %s", (d, text) => {
    expect(javaDoubleToString(d)).toBe(text);
  });
});

describe("Velocity Engine arithmetic (velocity-engine-core regression templates)", () => {
  // math.vm with compare/math.cmp; the context of TemplateTestCase: int1 = 1000, long1 = 10000000000L,
  // templatenumber1 a Number of 999.125 (a Double here).
  const ctx = { int1: 1000, long1: 10000000000, templatenumber1: 999.125 };
  it.each([
    ["#set($foo = 1)#set($foo = $foo + 1)$foo", "2"],
    ["#set($bar = 5)#set($rem = $bar % 2)$rem", "1"],
    ["#set($bar = 5)#set($rem2 = $bar % 0)$rem2", "$rem2"],
    ["#set($bar = 5)$bar / 2 = #set($rem = $bar / 2 )$rem", "5 / 2 = 2"],
    ["#set($bar = 5)#set($rem4 = $bar / 0 )$rem4", "$rem4"],
    ["#set($bar = 5)#set($rem = $bar *-2)$rem", "-10"],
    ["#set($flargh=$woogie + $wabbie)$flargh", "$flargh"],
    ["#set ($rem = $int1 + $long1)$rem", "10000001000"],
    ["#set ($rem = $int1 * $long1)$rem", "10000000000000"],
    ["#set ($rem = $int1 / $long1)$rem", "0"],
    ["#set ($rem = $int1 % $long1)$rem", "1000"],
    ["#set ($rem = $int1 + $templatenumber1)$rem", "1999.125"],
    ["#set ($rem = $int1 * $templatenumber1)$rem", "999125.0"],
    ["#set ($rem = $int1 / $templatenumber1)$rem", "1.0008757662955086"],
    ["#set($result = 5 / 2)$result", "2"],
    ["#set($result = 5 / 2.0)$result", "2.5"],
    ["#set($result = 5.0 / 2)$result", "2.5"],
  ])("math.vm: %s renders %s", (template, expected) => {
    expect(r(template, ctx)).toBe(expected);
  });

  // arithmetic.vm with compare/arithmetic.cmp (the exponent literals such as 4.5e3 are left out: velocityjs does not
  // parse them, see docs/data-actions.md).
  it.each([
    ["#set($foo = 5)#set($foo = $foo + 1)#set($foo = $foo - 1)#set($foo = $foo * 2)#set($foo = $foo / 2)$foo", "5"],
    ["#set($bar = 4.5)$bar", "4.5"],
    ["#set($bar = 4.5)#set($bar = $bar + 1)$bar", "5.5"],
    ["#set($bar = 5.5)#set($tbar = $bar * 2)$tbar", "11.0"],
    ["#set($baba = 100000000000)#set($baba = $baba + 1)$baba", "100000000001"],
    ['#set($stringy = "The number 2 = " + 2)$stringy', "The number 2 = 2"],
  ])("arithmetic.vm: %s renders %s", (template, expected) => {
    expect(r(template)).toBe(expected);
  });

  it('a Double concatenates as Java writes it: "h" + 8.0 is h8.0 (ASTAddNode: String concatenation)', () => {
    expect(r('#set($s = "h" + 8.0)$s|#set($t = "h" + $math.roundTo(2, 8))$t')).toBe("h8.0|h8.0");
  });

  it("== compares numbers by value whatever their types (8.0 == 8)", () => {
    expect(r("#if($math.roundTo(2, 8) == 8)same#end|#if(8.0 != $math.roundTo(1, 8))differ#{else}same#end")).toBe("same|same");
  });
});
