"""The iCalendar feed an IP or lead subscribes to in Outlook."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar

from tests.cli.support import IP, LEAD, NOTICE, advance, open_case
from tests.conftest import Scc


def test_feed_parses_and_holds_the_persons_deadlines_and_meetings(la: Scc) -> None:
    case = open_case(la, on="2026-09-01")
    advance(la, case, "start_diagnosis", "2026-09-01")
    la.json("flows", "run", "plan_half_term", "--on", "2026-09-02")
    advance(la, case, "record_monitoring_visit", "2026-09-20", "focus=Reading", "notes=Observed phonics", actor=IP)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)

    feed = Calendar.from_ical(la("calendar", "ics", "--person", IP).stdout)
    events = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    summaries = sorted(str(e["SUMMARY"]) for e in events.values())
    assert "IP progress report: Oak Primary" in summaries
    assert "Half-termly progress review: Oak Primary" in summaries
    assert summaries.count("IP monitoring visit: Oak Primary") == 1  # the other was met by the visit
    assert "Monitoring visit: Oak Primary" in summaries
    compliance = next(e for e in events.values() if str(e["SUMMARY"]).startswith("End of the warning notice"))
    assert compliance.decoded("DTSTART") == date(2027, 1, 5)
    assert all(uid.endswith("@scc-casework") for uid in events)


def test_feed_to_a_file_and_for_an_unknown_person(la: Scc, refused, tmp_path) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    la("calendar", "ics", "--person", LEAD, "-o", str(tmp_path / "lead.ics"))
    feed = Calendar.from_ical((tmp_path / "lead.ics").read_bytes())
    assert len(list(feed.walk("VEVENT"))) == 2  # compliance period end and powers window end
    assert "no person" in refused("calendar", "ics", "--person", "nobody@example.org").lower()
