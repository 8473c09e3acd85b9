import { Helper } from "velocityjs";
import { isDouble, isJavaDouble, JavaDouble, type JavaNumber, javaNumberText, numberValue } from "./javaNumber";

/**
 * Java Velocity's numbers in velocityjs, which computes with JavaScript numbers. What Apache Velocity Engine does
 * (velocity-engine-core, parser/node: ASTMathNode, ASTAddNode, ASTDivNode, ASTModNode, ASTFloatingPointLiteral,
 * MathUtils):
 *
 * - a literal with a decimal point (`1.5`, `8.0`) is a Double;
 * - `+` with a String on either side concatenates, a number written as Java writes it (`"h" + 8.0` is `h8.0`);
 * - `+ - * / %` on two integers compute in integers: `7 / 2` is 3 (truncated), and a zero divisor gives null;
 *   with a Double on either side they compute in doubles and give a Double;
 * - `==` and `!=` compare numbers by value, whatever their types; unary minus keeps a Double a Double;
 * - a null operand gives null;
 * - a Double renders by Double.toString (`8.0`, `1.0E7`).
 *
 * Other operand types keep velocityjs' behaviour.
 */

type Ast = { type: string; operator?: string; expression?: Ast[]; value?: string };
interface Compiler {
  getExpression(ast: Ast): unknown;
  getLiteral(ast: Ast): unknown;
  getReferences(ast: Ast, isVal?: boolean): unknown;
}

const isNumber = (v: unknown): v is JavaNumber => typeof v === "number" || isJavaDouble(v);
const javaText = (v: unknown) => (isNumber(v) ? javaNumberText(v) : String(v));

/** Integer or double arithmetic, typed as MathUtils types it; undefined (Velocity's null) for a zero integer divisor. */
function arithmetic(op: string, a: JavaNumber, b: JavaNumber): JavaNumber | undefined {
  const x = numberValue(a);
  const y = numberValue(b);
  if (isDouble(a) || isDouble(b)) {
    const r = op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : op === "/" ? x / y : x % y;
    // Division or remainder by a zero Double: ASTDivNode and ASTModNode refuse any zero divisor.
    if ((op === "/" || op === "%") && y === 0) return undefined;
    return new JavaDouble(r);
  }
  if ((op === "/" || op === "%") && y === 0) return undefined;
  return op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : op === "/" ? Math.trunc(x / y) : x % y;
}

/** Unary minus of anything else, as velocityjs computes it. */
const getExpressionOf = (v: unknown) => -(v as number);

const MATH = new Set(["+", "-", "*", "/", "%"]);

export function installJavaArithmetic(prototype: Compiler): void {
  const marker = prototype as unknown as { javaArithmetic?: boolean };
  if (marker.javaArithmetic) return;
  marker.javaArithmetic = true;

  const getExpression = prototype.getExpression;
  prototype.getExpression = function (this: Compiler, ast: Ast) {
    if (ast.type === "math" && ast.operator === "minus" && ast.expression) {
      const v = this.getExpression(ast.expression[0]);
      return isJavaDouble(v) ? new JavaDouble(-v.value) : getExpressionOf(v);
    }
    if (ast.type !== "math" || !ast.expression || !(MATH.has(ast.operator!) || ast.operator === "==" || ast.operator === "!=")) return getExpression.call(this, ast);
    const [l, r] = ast.expression;
    const a = this.getExpression(l);
    const b = this.getExpression(r);
    if (ast.operator === "==" || ast.operator === "!=") {
      const equal = isNumber(a) && isNumber(b) ? numberValue(a) === numberValue(b) : a == b;
      return ast.operator === "==" ? equal : !equal;
    }
    if (ast.operator === "+" && (typeof a === "string" || typeof b === "string")) {
      // A missing reference concatenates as its own text, as Velocity writes it.
      const side = (v: unknown, node: Ast) => (v === undefined || v === null ? (node.type === "references" ? Helper.getRefText(node as Parameters<typeof Helper.getRefText>[0]) : "") : javaText(v));
      return side(a, l) + side(b, r);
    }
    if (isNumber(a) && isNumber(b)) return arithmetic(ast.operator!, a, b);
    // A null operand makes the result null (ASTMathNode, non-strict mode), which renders as the reference.
    if (a === undefined || a === null || b === undefined || b === null) return undefined;
    // Anything else: velocityjs' JavaScript operators, on the values already computed.
    const [x, y] = [a as number, b as number];
    return ast.operator === "+" ? x + y : ast.operator === "-" ? x - y : ast.operator === "*" ? x * y : ast.operator === "/" ? x / y : x % y;
  };

  const getLiteral = prototype.getLiteral;
  prototype.getLiteral = function (this: Compiler, ast: Ast) {
    if (ast.type === "decimal") return new JavaDouble(parseFloat(ast.value!));
    return getLiteral.call(this, ast);
  };

  // What a template prints: a number as Java prints it.
  const getReferences = prototype.getReferences;
  prototype.getReferences = function (this: Compiler, ast: Ast, isVal?: boolean) {
    const value = getReferences.call(this, ast, isVal);
    return isVal && isNumber(value) ? javaNumberText(value) : value;
  };
}
