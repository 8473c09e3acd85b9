/**
 * Java's number types as Velocity templates see them. JavaScript has one number type; Java Velocity renders an
 * Integer or Long as `8` and a Double as `8.0` (Double.toString). Integral JavaScript numbers stand for Integer/Long,
 * non-integral ones for Double, and a Double whose value is integral (what MathTool's roundTo, toDouble and its
 * typed results return) is a JavaDouble, so it renders as Java renders it.
 */

/** A java.lang.Double: arithmetic and comparisons see its value, rendering sees Double.toString. */
export class JavaDouble {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return javaDoubleToString(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

export const isJavaDouble = (v: unknown): v is JavaDouble => v instanceof JavaDouble;

/** A number value from a template: a JavaScript number or a JavaDouble. */
export type JavaNumber = number | JavaDouble;
export const numberValue = (n: JavaNumber): number => (typeof n === "number" ? n : n.value);

/** Whether Java would hold this value as a Double (so Number.toString contains a decimal point). */
export const isDouble = (n: JavaNumber): boolean => typeof n !== "number" || !Number.isInteger(n);

/** (int) cast of a double: truncation toward zero, NaN as 0, saturating at the int range (JLS §5.1.3). */
export function javaInt(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(x)));
}

/**
 * Double.toString (java.lang.Double javadoc): NaN, Infinity, -Infinity; "0.0" / "-0.0"; for 10^-3 <= |d| < 10^7
 * the integer part, a point and the fraction (at least one digit); otherwise computerized scientific notation,
 * one digit, a point, at least one digit, "E" and the exponent (`1.0E7`, `4.9E-324`). The digits are the fewest
 * that identify the double (as JDK 19+ specifies, JDK-4511638); when one digit would do, the closest of the
 * one- and two-digit decimals is taken, which is why Double.MIN_VALUE is `4.9E-324`, not `5.0E-324`.
 */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (d === Infinity) return "Infinity";
  if (d === -Infinity) return "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  const sign = d < 0 ? "-" : "";
  const x = Math.abs(d);
  // Shortest round-trip digits and decimal exponent, from JavaScript's own shortest form.
  let [mantissa, exp] = x.toExponential().split("e");
  let digits = mantissa.replace(".", "");
  let e = Number(exp);
  if (digits.length === 1) {
    const [m2, e2] = x.toExponential(1).split("e");
    if (Number(`${m2}e${e2}`) === x && m2.replace(".", "") !== `${digits}0`) {
      digits = m2.replace(".", "");
      e = Number(e2);
    }
  }
  if (x >= 1e-3 && x < 1e7) {
    const point = e + 1; // digits before the decimal point
    if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
    const whole = digits.slice(0, point).padEnd(point, "0");
    const fraction = digits.slice(point) || "0";
    return `${sign}${whole}.${fraction}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${e}`;
}

/** How Java Velocity renders a number: Integer/Long as digits, Double by Double.toString. */
export function javaNumberText(n: JavaNumber): string {
  return isDouble(n) ? javaDoubleToString(numberValue(n)) : String(n);
}
