import type { EmployeeReport } from "../../hris/bamboohr/client";
import { prng } from "../../lib/fakes/seed";

/**
 * A BambooHR-shaped employee report of any size, for the Veza benchmark: `employees` people spread over
 * departments, divisions and locations that make `groups` distinct groups (75% / 15% / 10%), a supervisor tree,
 * some inactive, a custom cost-center field.
 */
export function bigReport(employees: number, groups: number, seed = 1): EmployeeReport {
  const rand = prng(seed);
  const departments = Math.round(groups * 0.75);
  const divisions = Math.round(groups * 0.15);
  const locations = groups - departments - divisions;
  const fields = ["employeeNumber", "firstName", "lastName", "preferredName", "displayName", "workEmail", "jobTitle", "department", "division", "location", "supervisorEId", "status", "hireDate", "terminationDate", "customCostCenter"];
  const list: Record<string, unknown>[] = [];
  for (let i = 0; i < employees; i++) {
    const id = 1000 + i;
    const first = `First${i % 997}`;
    const last = `Last${Math.floor(i / 997)}`;
    const active = i % 41 !== 5;
    list.push({
      id: String(id),
      employeeNumber: `E${id}`,
      firstName: first,
      lastName: last,
      preferredName: i % 10 === 0 ? first.slice(0, 4) : null,
      displayName: `${first} ${last}`,
      workEmail: i % 97 === 13 ? null : `${first.toLowerCase()}.${last.toLowerCase()}.${id}@example.com`,
      jobTitle: ["Agent", "Senior Agent", "Team Lead", "Supervisor"][i % 4],
      // The first employees of each kind cover every group, the rest are random.
      department: `Department ${i < departments ? i : Math.floor(rand() * departments)}`,
      division: `Division ${i < divisions ? i : Math.floor(rand() * divisions)}`,
      location: `Location ${i < locations ? i : Math.floor(rand() * locations)}`,
      supervisorEId: i < 50 ? null : String(1000 + Math.floor(rand() * 50)),
      status: active ? "Active" : "Inactive",
      hireDate: `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 9}`,
      terminationDate: active ? "0000-00-00" : "2026-06-30",
      customCostCenter: `CC-${i % 300}`,
    });
  }
  return { fields: fields.map((id) => ({ id, type: "text", name: id })), employees: list };
}
