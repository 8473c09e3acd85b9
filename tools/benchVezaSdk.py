"""Veza's own Python SDK (oaaclient) pushing a BambooHR report to Veza: the side-by-side reference of the Veza
benchmark (tools/benchVeza.ts). Never part of the product.

    python3 tools/benchVezaSdk.py --report report.json --url http://127.0.0.1:PORT --api-key KEY \
        --provider NAME --data-source NAME --company-domain bench [--property name=field ...] [--multipart]

The directory is built exactly as wfm-hris builds it (hris/bamboohr/directory.ts): the same ids, fields, groups and
dates, so both push the same data and only the machinery differs. The push is oaaclient's own
`OAAClient.push_application(create_provider=True)`, as Veza's HRIS quickstart does; with --multipart the client's
`enable_multipart` is set (oaaclient >= 1.1.14), which switches to `:parts` over 50,000,000 bytes of JSON.

One change to the transport only: oaaclient forces https:// on the URL, and the local fake speaks plain http, so
the session rewrites https:// back to http:// for a loopback URL (no TLS on either side of the comparison).

Prints one JSON line on stderr at the end: CPU time (user + system, every thread) and peak RSS of this process.
"""
import argparse
import json
import resource
import sys

import requests

from oaaclient.client import OAAClient
from oaaclient.templates import HRISProvider, OAAPropertyType


class LoopbackSession(requests.Session):
    """requests.Session that sends oaaclient's https:// URLs of a loopback host over plain http."""

    def request(self, method, url, *args, **kwargs):
        if url.startswith("https://127.0.0.1:"):
            url = "http://" + url[len("https://"):]
        return super().request(method, url, *args, **kwargs)


def text(v):
    if v is None:
        return ""
    return (v if isinstance(v, str) else str(v)).strip()


def rfc3339(s, seen):
    """BambooHR YYYY-MM-DD (0000-00-00 for none) as midnight UTC, as wfm-hris converts it."""
    if s in seen:
        return seen[s]
    out = ""
    if len(s) == 10 and s[4] == "-" and s[7] == "-":
        try:
            y, m, d = int(s[0:4]), int(s[5:7]), int(s[8:10])
            import calendar

            if y > 0 and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]:
                out = f"{s}T00:00:00Z"
        except ValueError:
            pass
    seen[s] = out
    return out


def build(report, name, company_domain, properties):
    hris = HRISProvider(name=name, hris_type="BambooHR", url=f"https://{company_domain}.bamboohr.com")
    for prop in sorted(properties):
        hris.property_definitions.define_employee_property(prop, OAAPropertyType.STRING)
    ids = {text(e.get("id")) for e in report["employees"]}
    dates = {}

    def group(kind, value, group_type, label):
        gid = f"{kind}:{value.lower()}"
        if gid not in hris.groups:
            hris.add_group(unique_id=gid, name=f"{label}{value}", group_type=group_type)
        return gid

    for e in report["employees"]:
        eid = text(e.get("id"))
        first, last = text(e.get("firstName")), text(e.get("lastName"))
        display = text(e.get("displayName")) or f"{first} {last}".strip()
        active = text(e.get("status")).lower() == "active"
        emp = hris.add_employee(
            unique_id=eid,
            name=display or eid,
            employee_number=text(e.get("employeeNumber")) or eid,
            first_name=first,
            last_name=last,
            is_active=active,
            employment_status="ACTIVE" if active else "INACTIVE",
        )
        emp.preferred_name = text(e.get("preferredName"))
        emp.email = text(e.get("workEmail"))
        emp.job_title = text(e.get("jobTitle"))
        location = text(e.get("location"))
        emp.work_location = location
        emp.start_date = rfc3339(text(e.get("hireDate")), dates)
        if not active:
            emp.termination_date = rfc3339(text(e.get("terminationDate")), dates)
        department, division = text(e.get("department")), text(e.get("division"))
        if department:
            emp.department = group("department", department, "DEPARTMENT", "")
        if division:
            emp.add_group(group("division", division, "BUSINESS_UNIT", ""))
        if location:
            emp.add_group(group("location", location, "GROUP", "Location: "))
        supervisor = text(e.get("supervisorEId"))
        if supervisor and supervisor != eid and supervisor in ids:
            emp.add_manager(supervisor)
        for prop, field in properties.items():
            value = text(e.get(field))
            if value:
                emp.set_property(prop, value)
    return hris


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--provider", required=True)
    parser.add_argument("--data-source", required=True)
    parser.add_argument("--company-domain", required=True)
    parser.add_argument("--property", action="append", default=[], help="custom employee property: name=BambooHR field")
    parser.add_argument("--multipart", action="store_true")
    args = parser.parse_args()

    requests.Session = LoopbackSession  # oaaclient.client calls requests.Session() in its constructor
    properties = dict(p.split("=", 1) for p in args.property)
    with open(args.report, encoding="utf-8") as f:
        report = json.load(f)
    hris = build(report, args.data_source, args.company_domain, properties)
    del report
    # oaaclient prefixes https:// to a URL without it; the session above sends it as http to the loopback fake.
    client = OAAClient(url=args.url.split("://", 1)[-1], api_key=args.api_key)
    client.enable_multipart = args.multipart
    result = client.push_application(args.provider, args.data_source, hris, create_provider=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write(
        json.dumps(
            {
                "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000,
                "maxRssBytes": usage.ru_maxrss * 1024,
                "warnings": len(result.get("warnings", []) if isinstance(result, dict) else []),
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
