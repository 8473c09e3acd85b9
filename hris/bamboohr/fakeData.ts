/** Deterministic seed data for the fake BambooHR: a realistic company directory, time-off types and balances. */
import { prng, uniqueEmailLocal } from "../../lib/fakes/seed";

export interface SeedEmployee {
  id: number;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  displayName: string;
  jobTitle: string;
  workEmail: string | null;
  workPhone: string | null;
  mobilePhone: string | null;
  department: string;
  division: string;
  location: string;
  supervisorEId: number | null;
  supervisor: string | null;
  hireDate: string;
  status: "Active" | "Inactive";
}

export interface SeedTimeOffType {
  id: number;
  name: string;
  units: "hours" | "days";
  color: string | null;
  icon: string | null;
  /** Balance on 2026-01-01 is derived from the employee; this much accrues per month. */
  accrualPerMonth: number;
}


const FIRST = ["Ava", "Liam", "Noah", "Emma", "Olivia", "Mateo", "Sofía", "Chloé", "Zoë", "Björn", "Aiko", "Kwame", "Priya", "Omar", "Ines", "Lucas", "Mia", "Hana", "Diego", "Freya", "Ravi", "Elena", "Yusuf", "Grace", "Tomás", "Leila", "Jonas", "Amara", "Nikolai", "Sara"];
const LAST = ["Smith", "García", "Müller", "O'Brien", "Nguyen", "Kowalski", "Okafor", "Rossi", "Tanaka", "Dubois", "Silva", "Johansson", "Patel", "Haddad", "Novak", "Fernández", "Kim", "Jensen", "Moreau", "Costa"];
const DEPARTMENTS = ["Customer Care", "Sales", "Billing", "Technical Support", "Workforce Management", "Quality Assurance"];
const DIVISIONS = ["North America", "EMEA", "APAC"];
const LOCATIONS = ["Austin, TX", "Dublin", "Kraków", "Manila", "Toronto", "Sydney"];
const TITLES = ["Contact Center Agent", "Senior Agent", "Team Lead", "Supervisor", "WFM Analyst", "QA Specialist"];

export const SEED_TIME_OFF_TYPES: SeedTimeOffType[] = [
  { id: 78, name: "Vacation", units: "hours", color: "#5DB9E2", icon: "palm-trees", accrualPerMonth: 6.67 },
  { id: 79, name: "Sick", units: "hours", color: "#F0B646", icon: "medical-briefcase", accrualPerMonth: 4 },
  { id: 80, name: "Bereavement", units: "days", color: null, icon: "dove", accrualPerMonth: 0 },
  { id: 83, name: "Comp/In Lieu Time", units: "hours", color: "#9B5FC0", icon: "time-off-clock", accrualPerMonth: 0 },
  { id: 85, name: "Jury Duty", units: "days", color: null, icon: "gavel", accrualPerMonth: 0 },
];

export const DEFAULT_HOURS = [
  { name: "Sunday", amount: "0" },
  { name: "Monday", amount: "8" },
  { name: "Tuesday", amount: "8" },
  { name: "Wednesday", amount: "8" },
  { name: "Thursday", amount: "8" },
  { name: "Friday", amount: "8" },
  { name: "Saturday", amount: "0" },
];


/** `count` employees (ids from 100), a supervisor tree, a few inactive and a few without a work email. */
export function seedEmployees(count = 300, seed = 42, emailDomain = "acme.example"): SeedEmployee[] {
  const rand = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const employees: SeedEmployee[] = [];
  const seenEmails = new Set<string>();
  for (let i = 0; i < count; i++) {
    const id = 100 + i;
    const firstName = pick(FIRST);
    const lastName = pick(LAST);
    const local = uniqueEmailLocal(firstName, lastName, seenEmails, rand);
    // The first 12 are leads; everyone else reports to one of them.
    const supervisor = i < 12 ? (i === 0 ? null : employees[0]) : employees[Math.floor(rand() * 12)];
    const noEmail = i % 97 === 13; // contractors without a work email
    employees.push({
      id,
      firstName,
      lastName,
      preferredName: rand() < 0.1 ? firstName.slice(0, 3) : null,
      displayName: `${firstName} ${lastName}`,
      jobTitle: i < 12 ? "Team Lead" : pick(TITLES),
      workEmail: noEmail ? null : `${local}@${emailDomain}`,
      workPhone: `+1 512 555 ${String(1000 + i).slice(-4)}`,
      mobilePhone: rand() < 0.5 ? `+1 737 555 ${String(2000 + i).slice(-4)}` : null,
      department: pick(DEPARTMENTS),
      division: pick(DIVISIONS),
      location: pick(LOCATIONS),
      supervisorEId: supervisor ? supervisor.id : null,
      supervisor: supervisor ? supervisor.displayName : null,
      hireDate: `20${String(15 + Math.floor(rand() * 11)).padStart(2, "0")}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`,
      status: i % 53 === 7 ? "Inactive" : "Active",
    });
  }
  return employees;
}

/** Balance (in the type's units) on 2026-01-01, before accruals and requests. */
export function openingBalance(employeeId: number, type: SeedTimeOffType): number {
  const r = prng(employeeId * 1000 + type.id)();
  return type.units === "days" ? Math.floor(r * 5) : Math.round(r * 8000) / 100;
}
