import { expect } from "vitest";

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** The error `run` throws, checked to be an `errorClass`; the test fails if nothing is thrown. */
export function thrownBy<E extends Error>(run: () => unknown, errorClass: ErrorClass<E>, expectation: string): E {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(errorClass);
    return e as E;
  }
  throw new Error(`expected ${expectation}`);
}

/** The error `promise` rejects with, checked to be an `errorClass`; the test fails if it resolves. */
export async function rejectionOf<E extends Error>(promise: Promise<unknown>, errorClass: ErrorClass<E>, expectation: string): Promise<E> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(errorClass);
    return e as E;
  }
  throw new Error(`expected ${expectation}`);
}

/** The error `promise` rejects with, checked by a type guard (errors that are interfaces, not classes); the test fails if it resolves. */
export async function rejectionWhere<E>(promise: Promise<unknown>, isExpected: (e: unknown) => e is E, expectation: string): Promise<E> {
  try {
    await promise;
  } catch (e) {
    expect(isExpected(e), `expected ${expectation}, got ${String(e)}`).toBe(true);
    return e as E;
  }
  throw new Error(`expected ${expectation}`);
}
