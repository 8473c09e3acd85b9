/**
 * Deterministic seed data for the fake Personio: a company with departments, offices, teams, a supervisor tree,
 * every employee status, and day- and hour-unit time-off types. Shapes follow the examples of Personio's v1 spec
 * (personio/api-docs @ 2f3707f, personio-personnel-data-api-oa3.yaml, "S1" in hris/personio/README.md).
 */
import { prng, uniqueEmailLocal } from "../../lib/fakes/seed";


export type PersonioStatus = "onboarding" | "active" | "leave" | "inactive";

export interface SeedRef {
  id: number;
  name: string;
}

export interface SeedEmployee {
  id: number;
  firstName: string;
  lastName: string;
  /** Personio's "Name (preferred)": a full name (S1 L218-222), empty when unset. */
  preferredName: string;
  /** Work email; empty when unset (unset standard fields are empty strings, S5). */
  email: string;
  position: string;
  status: PersonioStatus;
  department: SeedRef | null;
  office: SeedRef | null;
  team: SeedRef | null;
  subcompany: SeedRef | null;
  supervisorId: number | null;
  /** Calendar dates, YYYY-MM-DD; served as ISO datetimes with the company's UTC offset (S1 L315-329). */
  hireDate: string;
  terminationDate: string | null;
  /** A custom attribute (dynamic_<id>), as customers have: the employee's Okta login. */
  oktaLogin: string;
}

export interface SeedTimeOffType {
  id: number;
  name: string;
  category: string | null;
  /** time-offs (day) or absence-periods (hour) endpoints serve them (S1 L1789, L2174). */
  unit: "day" | "hour";
  approvalRequired: boolean;
}

export const SEED_TIME_OFF_TYPES: SeedTimeOffType[] = [
  { id: 113437, name: "Paid vacation", category: "paid_vacation", unit: "day", approvalRequired: true },
  { id: 113438, name: "Sick leave", category: "sick_leave", unit: "day", approvalRequired: false },
  { id: 113439, name: "Home office", category: "offsite_work", unit: "hour", approvalRequired: true },
  { id: 113440, name: "Unpaid vacation, \"special\" leave", category: "unpaid_vacation", unit: "day", approvalRequired: true },
  { id: 113441, name: "Overtime compensation", category: "other", unit: "hour", approvalRequired: false },
  { id: 113442, name: "Parental leave", category: "maternity_parental_leave", unit: "day", approvalRequired: true },
];

export const DEPARTMENTS: SeedRef[] = [
  { id: 281521, name: "Customer Support" },
  { id: 281522, name: "Sales" },
  { id: 281523, name: "Billing" },
  { id: 281524, name: "Workforce Management" },
  { id: 281525, name: "Quality Assurance" },
];
export const OFFICES: SeedRef[] = [
  { id: 131014, name: "Munich" },
  { id: 131015, name: "Berlin" },
  { id: 131016, name: "Madrid" },
  { id: 131017, name: "Remote" },
];
export const TEAMS: SeedRef[] = [
  { id: 59026, name: "Tier 1" },
  { id: 59027, name: "Tier 2" },
  { id: 59028, name: "Escalations" },
];
export const SUBCOMPANIES: SeedRef[] = [
  { id: 7033, name: "Initech GmbH" },
  { id: 7034, name: "Initech Iberia S.L." },
];

const FIRST = ["Alexander", "Lena", "Jonas", "Sofía", "Mehmet", "Chloé", "Björn", "Aiko", "Kwame", "Priya", "Ines", "Lukas", "Mia", "Diego", "Freya", "Elena", "Yusuf", "Grace", "Tomás", "Leila"];
const LAST = ["Bergmann", "Müller", "García", "Yılmaz", "Dubois", "Johansson", "Tanaka", "Okafor", "Patel", "Novak", "Fernández", "Schmidt", "Rossi", "O'Brien", "Kowalski"];
const POSITIONS = ["Customer Care Agent", "Senior Agent", "Team Lead", "WFM Analyst", "QA Specialist"];

const ymd = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/**
 * `count` employees with ids from 1000: the first 8 lead (the first is everyone's top), every status occurs
 * (S1 L572-578: onboarding, active, leave, inactive), a few have no work email, department or supervisor.
 */
export function seedEmployees(count = 250, seed = 7, emailDomain = "initech.example"): SeedEmployee[] {
  const rand = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const employees: SeedEmployee[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const id = 1000 + i;
    const firstName = pick(FIRST);
    const lastName = pick(LAST);
    const local = uniqueEmailLocal(firstName, lastName, seen, rand);
    const status: PersonioStatus = i % 41 === 9 ? "inactive" : i % 37 === 5 ? "leave" : i % 53 === 17 ? "onboarding" : "active";
    const supervisor = i < 8 ? (i === 0 ? null : employees[0]) : employees[Math.floor(rand() * 8)];
    const hireYear = status === "onboarding" ? 2027 : 2015 + Math.floor(rand() * 11);
    employees.push({
      id,
      firstName,
      lastName,
      preferredName: rand() < 0.1 ? `${firstName.slice(0, 3)} ${lastName}` : "",
      email: i % 61 === 30 ? "" : `${local}@${emailDomain}`,
      position: i < 8 ? "Team Lead" : pick(POSITIONS),
      status,
      department: i % 67 === 40 ? null : pick(DEPARTMENTS),
      office: pick(OFFICES),
      team: rand() < 0.7 ? pick(TEAMS) : null,
      subcompany: pick(SUBCOMPANIES),
      supervisorId: supervisor ? supervisor.id : null,
      hireDate: ymd(hireYear, 1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)),
      terminationDate: status === "inactive" ? ymd(2026, 1 + (i % 9), 15 + (i % 13)) : null,
      oktaLogin: `${local}@initech.okta.example`,
    });
  }
  return employees;
}

/** Balance of a type (in its unit: days or hours) before any time-off the fake records. */
export function openingBalance(employeeId: number, type: SeedTimeOffType): number {
  const r = prng(employeeId * 1000 + (type.id % 1000))();
  return type.unit === "day" ? Math.round(r * 60) / 2 : Math.round(r * 400) / 10;
}

/**
 * The UTC offset of Europe/Berlin on a day (CET +01:00, CEST +02:00 from the last Sunday of March to the last
 * Sunday of October): Personio serves dates as midnight in the company's zone, e.g. 2014-11-09T00:00:00+01:00.
 */
export function berlinOffset(day: string): "+01:00" | "+02:00" {
  const [y, m, d] = day.split("-").map(Number);
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(y, month, 0));
    return last.getUTCDate() - last.getUTCDay();
  };
  const key = m * 100 + d;
  return key >= 300 + lastSunday(3) && key < 1000 + lastSunday(10) ? "+02:00" : "+01:00";
}
