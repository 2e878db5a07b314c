#!/usr/bin/env python3
"""Write samples/construction/<code>.scenario.yaml for every construction definition, and
samples/construction/expected.yaml with the status and appointment each one must end with.

Each scenario runs one realistic dossier to its returned result on the pinned calendar
samples/calendars/vn-2026.yaml: receipt at the one-stop counter, the parallel consultations
(liên thông) where the procedure has them, appraisal, signature, return before the appointment.
Receipts are spread over April 2026 so that many dossiers cross Giỗ Tổ Hùng Vương (27/4) and the
30/4 - 1/5 holidays. The expected appointment dates are computed here, independently of the
engine, from the counting rules of the law (docs/calendar.md):
working-day limits count office time on working days; calendar-day limits start the day after
receipt and end at the close of office on the last day, moved to the next working day when that
is a day off.
"""
import datetime as dt
import math
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CAL = yaml.safe_load((ROOT / "samples/calendars/vn-2026.yaml").read_text(encoding="utf-8"))
OFF = {d["date"] for d in CAL["years"][2026]["daysOff"]}
WORKED = {d["date"] for d in CAL["years"][2026]["workingDays"]}
PERIODS = [(dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0))]
TZ = "+07:00"


def working(day: dt.date) -> bool:
    return day in WORKED or (day.weekday() < 5 and day not in OFF)


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """start is inside office hours of a working day."""
    left = dt.timedelta(hours=hours)
    cur = start
    while True:
        if working(cur.date()):
            for a, b in PERIODS:
                pa, pb = dt.datetime.combine(cur.date(), a), dt.datetime.combine(cur.date(), b)
                if cur < pb:
                    s = max(cur, pa)
                    if s + left <= pb:
                        return s + left
                    left -= pb - s
                    cur = pb
        cur = dt.datetime.combine(cur.date() + dt.timedelta(days=1), dt.time(0, 0))


def add_duration(start: dt.datetime, text: str) -> dt.datetime:
    n, unit = text.split(" ", 1)
    n = float(n)
    if unit.startswith("working day"):
        return add_working_hours(start, n * 7.5)
    if unit.startswith("working hour"):
        return add_working_hours(start, n)
    last = start.date() + dt.timedelta(days=int(n))
    while not working(last):
        last += dt.timedelta(days=1)
    return dt.datetime.combine(last, dt.time(17, 0))


def holds(cond, inputs) -> bool:
    if cond is None:
        return True
    if "not" in cond:
        return not holds(cond["not"], inputs)
    if "all" in cond:
        return all(holds(c, inputs) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, inputs) for c in cond["any"])
    v = inputs.get(cond["input"])
    if "equals" in cond:
        return str(v).lower() == str(cond["equals"]).lower()
    if "in" in cond:
        return str(v) in [str(x) for x in cond["in"]]
    raise ValueError(cond)


def iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M")


# One dossier per procedure: (receipt date, inputs, applicant). Receipts at 09:00.
CASES = {
    "1.013236": ("2026-04-16", {"works.kind": "non-linear", "works.grade": "II", "works.fireRisk": True}, "Công ty Cổ phần Đầu tư Xây dựng Sơn Hà"),
    "1.013238": ("2026-04-20", {"works.kind": "non-linear", "works.grade": "II", "works.fireRisk": False}, "Bệnh viện Đa khoa tỉnh Sơn Hà"),
    "1.013230": ("2026-04-02", {"works.grade": "I", "works.fireRisk": False}, "Công ty TNHH Thương mại Hà Trung"),
    "1.013231": ("2026-04-08", {"works.grade": "II", "works.fireRisk": True}, "Công ty Cổ phần Khách sạn Tân Lập"),
    "1.013233": ("2026-04-23", {}, "Công ty TNHH Xây dựng Đông Sơn"),
    "1.013235": ("2026-04-28", {}, "Trường Đại học Sơn Hà"),
    "1.013216": ("2026-03-16", {"project.group": "B"}, "Ban Quản lý dự án đầu tư xây dựng công trình giao thông"),
    "1.013239": ("2026-03-19", {"project.group": "C", "works.fireRisk": True}, "Ban Quản lý dự án đầu tư xây dựng tỉnh Sơn Hà"),
    "1.013218": ("2026-03-23", {"works.grade": "III"}, "Tổng công ty Đầu tư phát triển hạ tầng"),
    "1.013234": ("2026-04-06", {"works.grade": "II"}, "Công ty Cổ phần Bất động sản Hà Trung"),
    "1.013237": ("2026-04-13", {}, "Nguyễn Văn An"),
    "1.013217": ("2026-04-24", {}, "Trần Thị Bình"),
    "1.013219": ("2026-04-21", {}, "Lê Hoàng Cường"),
    "1.013222": ("2026-04-22", {"applicant.kind": "organization"}, "Obayashi Vietnam Corporation"),
    "1.013224": ("2026-04-29", {}, "Hyundai Engineering & Construction Co., Ltd."),
    "1.013223": ("2026-04-14", {}, "Hội Xây dựng tỉnh Sơn Hà"),
    "1.013225": ("2026-04-21", {"works.kind": "detached-house", "works.grade": "III", "works.fireRisk": False}, "Phạm Văn Dũng"),
    "1.013229": ("2026-04-10", {"works.kind": "non-linear", "works.grade": "IV", "works.fireRisk": False}, "Hợp tác xã Nông nghiệp Tân Lập"),
    "1.013232": ("2026-04-15", {"works.grade": "III", "works.detachedHouse": False, "works.fireRisk": False}, "Công ty TNHH Cơ khí Đông Sơn"),
    "1.013226": ("2026-04-17", {"works.grade": "IV", "works.detachedHouse": True, "works.fireRisk": False}, "Võ Thị Hoa"),
    "1.013227": ("2026-04-27", {}, "Đặng Quốc Huy"),
    "1.013228": ("2026-05-04", {}, "Bùi Thị Lan"),
}


def officer(agency: str) -> str:
    return {"one-stop": "cb-motcua-01", "mot-cua-xa": "cb-motcua-xa-01", "mot-cua-bxd": "cb-motcua-bxd-01"}.get(agency, f"{agency}-01")


def scenario(path: Path) -> tuple[str, dict]:
    """Steps finish at 90% of their budget; when holidays eat into a calendar-day limit the officers
    work faster (60%, 40%, 25%) so the result is still returned by the appointment."""
    for pace in (0.9, 0.6, 0.4, 0.25):
        result = scenario_at(path, pace)
        if result is not None:
            return result
    raise SystemExit(f"{path}: cannot be returned on time")


def scenario_at(path: Path, pace: float):
    d = yaml.safe_load(path.read_text(encoding="utf-8"))
    code = d["code"]
    day, inputs, applicant = CASES[code]
    received = dt.datetime.fromisoformat(day + "T09:00")
    docs = [x["id"] for x in d["documents"] if holds(x.get("when"), inputs)]
    steps = {s["id"]: s for s in d["steps"]}
    ids = [s["id"] for s in d["steps"]]
    after = {s["id"]: s.get("after", [ids[i - 1]] if i else []) for i, s in enumerate(d["steps"])}
    active = [i for i in ids if holds(steps[i].get("when"), inputs)]
    # Each step finishes at 90% of its budget from the moment its predecessors are done.
    done: dict[str, dt.datetime] = {}
    actions = [f"  - {{ at: {iso(received)}, do: receive, by: {{ user: {officer(ids[0] and steps[ids[0]]['agency'])}, agency: {steps[ids[0]]['agency']} }} }}"]
    done[ids[0]] = received
    timeline = []
    for sid in ids[1:]:
        if sid not in active:
            continue
        preds = [p for p in after[sid] if p in done]
        start = max(done[p] for p in preds)
        n, unit = steps[sid]["duration"].split(" ", 1)
        hours = float(n) * (7.5 if unit.startswith("working day") else 1)
        end = add_working_hours(start, max(0.5, math.floor(hours * pace * 2) / 2) if hours >= 1 else hours)
        # round to the half hour, inside office hours
        done[sid] = end
        timeline.append((end, sid))
    ret = ids[-1]
    for end, sid in sorted(timeline):
        agency = steps[sid]["agency"]
        if sid == ret:
            actions.append(f"  - {{ at: {iso(end)}, do: return, by: {{ user: {officer(agency)}, agency: {agency} }} }}")
        else:
            outcome = ", outcome: approved" if "approved" in steps[sid].get("outcomes", []) else ""
            actions.append(f"  - {{ at: {iso(end)}, do: complete, step: {sid}{outcome}, by: {{ user: {officer(agency)}, agency: {agency} }} }}")
    # The dossier's own limit: the first time limit case whose condition holds for its inputs, else timeLimit.
    limit = next((c["timeLimit"] for c in d.get("timeLimitCases", []) if holds(c["when"], inputs)), d["timeLimit"])
    appointment = add_duration(received, limit)
    if done[ret] > appointment:
        return None
    folder = path.parent.name
    kind = "organization" if any(w in applicant for w in ["Công ty", "Ban ", "Bệnh viện", "Trường", "Hội ", "Tổng", "Hợp tác", "Corporation", "Co., Ltd"]) else "individual"
    inp = ", ".join(f"{k}: {('true' if v else 'false') if isinstance(v, bool) else v}" for k, v in inputs.items())
    text = [
        f"# {code} — {d['name'][:90]}{'…' if len(d['name']) > 90 else ''}",
        f"# {'An organization' if kind == 'organization' else 'An individual'}'s dossier received {day} at 09:00, returned before its appointment",
        f"# ({appointment.strftime('%Y-%m-%d %H:%M')}, {limit} on the pinned 2026 calendar). Written by",
        "# tools/catalogue/sample_scenarios.py; expected results in expected.yaml.",
        f"definition: ../../definitions/{folder}/{code}.yaml",
        "calendar: ../calendars/vn-2026.yaml",
        "dossier:",
        f"  applicant: {{ name: \"{applicant}\", kind: {kind} }}",
        f"  inputs: {{ {inp} }}" if inputs else "  inputs: {}",
        "  documents:",
        *[f"    - {x}" for x in docs],
        "actions:",
        *actions,
    ]
    return "\n".join(text) + "\n", {"status": "returned", "receivedAt": received.strftime("%Y-%m-%dT%H:%M:00") + TZ,
                                   "appointmentAt": appointment.strftime("%Y-%m-%dT%H:%M:00") + TZ,
                                   "returnedAt": done[ret].strftime("%Y-%m-%dT%H:%M:00") + TZ}


def main() -> None:
    out = ROOT / "samples/construction"
    out.mkdir(parents=True, exist_ok=True)
    expected = {}
    for path in sorted((ROOT / "definitions/construction").glob("*.yaml")):
        text, exp = scenario(path)
        code = path.stem
        (out / f"{code}.scenario.yaml").write_text(text, encoding="utf-8")
        expected[code] = exp
    lines = ["# Expected end of each construction sample (computed by tools/catalogue/sample_scenarios.py from the",
             "# counting rules, independently of the engine). Times are in Asia/Ho_Chi_Minh.", "samples:"]
    for code, e in expected.items():
        lines.append(f'  "{code}": {{ status: {e["status"]}, receivedAt: "{e["receivedAt"]}", appointmentAt: "{e["appointmentAt"]}", returnedAt: "{e["returnedAt"]}" }}')
    (out / "expected.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(expected)} scenarios written to {out}")


if __name__ == "__main__":
    main()
