"""A demo local authority walked through the lifecycle, for the README's five-minute tour;
and, asked for, a second authority in Wales beside it: a consortium on one installation.

It uses only the public use cases, so what it prints is what a lead would see doing the
same by hand. Loading it twice does nothing the second time: the demo schools are there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db.authorities import Authority
from models.db.cases import Case
from models.db.schools import School
from models.errors import CaseworkError
from models.services.accounts import set_password
from models.services.authorities import add_authority, change_authority, grant_role, home_authority
from models.services.cases import Actor, open_case, take_action
from models.services.directory import SchoolDetails, add_person, add_school, person_by_email
from models.services.planning import plan_half_term
from models.services.sweep import deadline_sweep
from models.vocab import Language, Role, SchoolType

__all__ = ["demo_loaded", "run_demo"]

LA = "Riverford"
PEOPLE = [
    ("Dana Okafor", "dana.okafor@riverford.example.gov.uk", "lead"),
    ("Sam Whitlock", "sam.whitlock@riverford.example.gov.uk", "senior"),
    ("Priya Raman", "priya.raman@riverford.example.gov.uk", "ip"),
    ("Tom Hale", "tom.hale@riverford.example.gov.uk", "ip"),
    ("Alison Grey", "head@oakfield.example.sch.uk", "head"),
    ("Martin Cole", "chair@oakfield.example.sch.uk", "chair"),
    ("Ruth Adeyemi", "head@stmarystjohns.example.sch.uk", "head"),
    ("Fr. Peter Lund", "chair@stmarystjohns.example.sch.uk", "chair"),
    ("Helen Marsh", "head@brookside.example.sch.uk", "head"),
    ("Gareth Bell", "chair@brookside.example.sch.uk", "chair"),
]
SCHOOLS: list[tuple[SchoolDetails, dict[str, str]]] = [
    (SchoolDetails("990001", "Oakfield Community Primary School", SchoolType.COMMUNITY, "Primary", LA,
                   address="Oak Lane, Riverford RF1 2AB"),
     {"head": "head@oakfield.example.sch.uk", "chair": "chair@oakfield.example.sch.uk", "ip": "priya.raman@riverford.example.gov.uk"}),
    (SchoolDetails("990002", "St Mary & St John's CE Primary School", SchoolType.VOLUNTARY_AIDED, "Primary", LA,
                   diocese="Diocese of Riverford", religious_character="Church of England",
                   foundation_appointer="Riverford Diocesan Board of Education", address="Church Street, Riverford RF2 3CD"),
     {"head": "head@stmarystjohns.example.sch.uk", "chair": "chair@stmarystjohns.example.sch.uk", "ip": "tom.hale@riverford.example.gov.uk"}),
    (SchoolDetails("990003", "Hillcrest Academy", SchoolType.ACADEMY, "Secondary", LA, address="Hill Road, Riverford RF3 4EF"), {}),
    (SchoolDetails("990004", "Brookside Foundation School", SchoolType.FOUNDATION, "Secondary", LA,
                   foundation_appointer="Brookside Foundation Trust", address="Brook Way, Riverford RF4 5GH"),
     {"head": "head@brookside.example.sch.uk", "chair": "chair@brookside.example.sch.uk", "ip": "priya.raman@riverford.example.gov.uk"}),
]
LEAD = "dana.okafor@riverford.example.gov.uk"
IP = "priya.raman@riverford.example.gov.uk"
# The demo's own sign-in, for the demo LA only: a live LA sets each password with
# `scc person set-password`.
DEMO_PASSWORD = "riverford-demo-password"
SIGN_IN = (f"sign in to the web pages as {LEAD} (lead) or {IP} (improvement partner) "
           f"with the password {DEMO_PASSWORD}")

# The consortium's second authority: in Wales, with its own playbook, term dates, letterhead,
# lead and schools; the demo's IP and senior officer work for both authorities.
WELSH_AUTHORITY = {"name": "Glanmor County Council", "la_code": "699", "playbook": "wales", "calendar": "glanmor",
                   "letterhead": "letterheads/glanmor.toml", "sender": "gwella.ysgolion@glanmor.example.gov.wales"}
WELSH_LEAD = "rhian.davies@glanmor.example.gov.wales"
SENIOR = "sam.whitlock@riverford.example.gov.uk"
WELSH_PEOPLE = [
    ("Rhian Davies", WELSH_LEAD, "lead"),
    ("Owain Pritchard", "owain.pritchard@glanmor.example.gov.wales", "ip"),
    ("Catrin Hughes", "pennaeth@cwmglas.example.sch.cymru", "head"),
    ("Dafydd Roberts", "cadeirydd@cwmglas.example.sch.cymru", "chair"),
]
WELSH_SCHOOLS: list[tuple[SchoolDetails, dict[str, str]]] = [
    (SchoolDetails("991001", "Ysgol Gynradd Cwm Glas", SchoolType.COMMUNITY, "Primary", "Glanmor", la_code="699",
                   address="Heol y Cwm, Glanmor GL2 3DE", language=Language.WELSH),
     {"head": "pennaeth@cwmglas.example.sch.cymru", "chair": "cadeirydd@cwmglas.example.sch.cymru", "ip": IP}),
    (SchoolDetails("991002", "Ysgol Uwchradd Glanmor", SchoolType.COMMUNITY, "Secondary", "Glanmor", la_code="699",
                   address="Ffordd y Môr, Glanmor GL3 4FG", language=Language.BILINGUAL), {"ip": "owain.pritchard@glanmor.example.gov.wales"}),
]
CONSORTIUM_SIGN_IN = (f"the consortium: {IP} (IP) works for both authorities, {WELSH_LEAD} (lead) for Glanmor only, "
                      f"{SENIOR} (senior officer) for both; the same password")


def demo_loaded(session: Session, consortium: bool = False) -> bool:
    """Whether everything asked for is loaded already (loading again then changes nothing)."""
    schools = session.execute(select(School.id).where(School.urn == SCHOOLS[0][0].urn)).first()
    welsh = session.execute(select(Authority.id).where(Authority.code == "glanmor")).first()
    return bool(schools) and (bool(welsh) or not consortium)


def run_demo(session: Session, today: date, consortium: bool = False) -> dict[str, Any]:
    """Load the demo LA and walk four cases, and with ``consortium`` its Welsh neighbour
    (``_load_consortium``); returns the lines it printed and the case ids."""
    loaded = _run_demo(session, today)
    if not consortium:
        return loaded
    lines, welsh = _load_consortium(session, today)
    return {"lines": loaded["lines"] + lines, "cases": loaded["cases"] + welsh, "loaded": loaded["loaded"] or bool(welsh)}


def _load_consortium(session: Session, today: date) -> tuple[list[str], list[int]]:
    """Glanmor County Council beside the demo LA: its lead, an IP of its own, the demo's IP
    and senior officer working for both, two schools, and one case given a warning notice
    under the Welsh statute (on Glanmor's letterhead and term dates)."""
    if session.execute(select(Authority.id).where(Authority.code == "glanmor")).first():
        return ["the consortium's second authority, Glanmor, is already loaded", CONSORTIUM_SIGN_IN], []
    loader = "demo-loader"
    home = home_authority(session)
    if home.la_code is None:
        change_authority(session, loader, home.code, {"la_code": "998"})
    glanmor = add_authority(session, loader, "glanmor", WELSH_AUTHORITY)
    for name, email, role in WELSH_PEOPLE:
        add_person(session, name, email, role, loader, authorities=[glanmor])
    for email, role in ((IP, Role.IP), (SENIOR, Role.SENIOR)):
        grant_role(session, person_by_email(session, email), [glanmor], role, loader)
    for details, people in WELSH_SCHOOLS:
        add_school(session, details, loader, head=people.get("head"), chair=people.get("chair"), ip=people.get("ip"))
    for email in (WELSH_LEAD, SENIOR):
        set_password(session, email, DEMO_PASSWORD, loader)
    start = min(date(today.year if today.month >= 9 else today.year - 1, 9, 14), today - timedelta(days=30))
    case = open_case(session, "991001", "Estyn: significant improvement; standards in literacy falling", on=start,
                     actor=Actor(WELSH_LEAD, Role.LEAD), lead=WELSH_LEAD)
    take_action(session, case.id, "start_diagnosis", {"method": "review day with the IP"}, on=start + timedelta(days=1),
                actor_email=WELSH_LEAD)
    take_action(session, case.id, "issue_warning_notice",
                # The school corresponds in Welsh: the lead writes the notice's own words in Welsh too.
                {"grounds": "ground_1,ground_2", "reasons": "Mae safonau llythrennedd wedi gostwng ers tair blynedd",
                 "required_action": "Mabwysiadu a gweithredu'r cynllun llythrennedd", "compliance_days": "15",
                 "minded_to": "penodi llywodraethwyr ychwanegol o dan adran 6"},
                on=start + timedelta(days=21), actor_email=WELSH_LEAD)
    return [f"loaded the consortium's second authority, {glanmor.name} (Wales): {len(WELSH_SCHOOLS)} schools, "
            f"{len(WELSH_PEOPLE)} people; case {case.id}: {case.school.name} — warning notice given, in Welsh", CONSORTIUM_SIGN_IN], [case.id]


def _run_demo(session: Session, today: date) -> dict[str, Any]:
    """Load the demo LA and walk four cases; returns the lines it printed and the case ids.

    Long because it is a script, read top to bottom as the tour of the README.
    """
    lines: list[str] = []
    if session.execute(select(School.id).where(School.urn == SCHOOLS[0][0].urn)).first():
        cases = session.execute(select(Case).join(School).where(School.la == LA).order_by(Case.id)).scalars().all()
        lines.append(f"the demo LA is already loaded ({len(cases)} cases)")
        lines.append(SIGN_IN)
        return {"lines": lines, "cases": [c.id for c in cases], "loaded": False}

    loader = Actor("demo-loader", Role.LEAD)
    for name, email, role in PEOPLE:
        add_person(session, name, email, role, loader.email)
    for details, people in SCHOOLS:
        add_school(session, details, loader.email, head=people.get("head"), chair=people.get("chair"), ip=people.get("ip"))
    for email in (LEAD, IP):
        set_password(session, email, DEMO_PASSWORD, loader.email)
    lines.append(f"loaded {len(SCHOOLS)} schools and {len(PEOPLE)} people of {LA}")

    # The walk takes 58 days and nothing may be dated after today: it starts on the 7 September
    # of this school year when that is long enough ago, else 58 days back.
    start = min(date(today.year if today.month >= 9 else today.year - 1, 9, 7), today - timedelta(days=DEMO_DAYS))

    def step(case: Case, action: str, on: date, actor: str = LEAD, **fields: str) -> None:
        try:
            with session.begin_nested():  # a refused step leaves nothing behind
                applied = take_action(session, case.id, action, fields, on=on, actor_email=actor)
        except CaseworkError as refused:
            lines.append(f"  {on}  {action}: REFUSED — {refused}")
            return
        due = "; ".join(f"{d.kind} due {d.due}" for d in applied.deadlines)
        made = ", ".join(d.path for d in applied.documents)
        lines.append(f"  {on}  {action} → {applied.stage}" + (f"  [{due}]" if due else "") + (f"  (documents: {made})" if made else ""))

    def opened(urn: str, reason: str, on: date) -> Case:
        case = open_case(session, urn, reason, on=on, actor=Actor(LEAD, Role.LEAD), lead=LEAD)
        lines.append(f"case {case.id}: {case.school.name} — opened {on} at {case.stage}")
        return case

    _walk(opened, step, start)
    planned = plan_half_term(session, today, actor=LEAD)
    lines.append(f"planned the half-term of {today}: {planned.deadlines_added} review, visit, TIG and report deadlines "
                 f"for {len(planned.planned)} cases" + "".join(f"; case {c}: {why}" for c, why in planned.refused.items()))
    swept = deadline_sweep(session, today, actor=LEAD)
    lines.append(f"swept deadlines as of {today}: {swept.overdue} overdue, {len(swept.alerts_raised)} alerts, "
                 f"{swept.reminders_queued} reminders queued (see `scc outbox list`; `scc serve` sends them)")
    cases = session.execute(select(Case).join(School).where(School.la == LA).order_by(Case.id)).scalars().all()
    lines.append(SIGN_IN)
    return {"lines": lines, "cases": [c.id for c in cases], "loaded": True}


DEMO_DAYS = 58


def _walk(opened: Callable[[str, str, date], Case], step: Callable[..., None], start: date) -> None:
    """Four cases, each showing part of the lifecycle, with dates in the current autumn term."""
    def day(n: int) -> date:
        """A date n days into the demo."""
        return start + timedelta(days=n)

    oak = opened("990001", "Key stage 2 outcomes below floor for three years", day(0))
    step(oak, "start_diagnosis", day(1), method="review day with the IP")
    step(oak, "conclude_diagnosis", day(15), level="LA4b", reasons="standards and leadership capacity")
    step(oak, "add_priority", day(16), title="Raise attainment in reading", success_criteria="70% at expected standard by July",
        lead="Head teacher", target_on="2027-07-16", resources="Two days of IP time a half-term")
    step(oak, "add_priority", day(16), title="Strengthen governance", success_criteria="Governors hold leaders to account",
        lead="Head teacher", target_on="2027-07-16", resources="Two days of IP time a half-term")
    step(oak, "send_concern_letter", day(17), concerns="Attainment in reading and mathematics",
         required_action="Adopt and implement the action plan", timescale_days="20", support="Fortnightly IP visits")
    step(oak, "issue_warning_notice", day(52), grounds="low_standards,management_breakdown",
         reasons="Attainment has not improved since the concern letter", required_action="Implement the action plan in full",
         compliance_days="15", minded_to="appoint additional governors under section 64")

    smj = opened("990002", "Ofsted inspection: special measures", day(7))
    step(smj, "record_inspection_category", day(7), category="special_measures", evidence="Ofsted report",
         report_published_on=day(6).isoformat())
    step(smj, "add_priority", day(8), title="Safeguarding culture", success_criteria="Single central record compliant",
         lead="Head teacher", target_on=(day(8) + timedelta(days=60)).isoformat(), resources="Two days of IP time a half-term")
    step(smj, "submit_statement_of_action", day(9), target_removal_on=(day(9) + timedelta(days=540)).isoformat(),
         summary="Statement of action with monitoring by the TIG",
         parents_arrangements="A letter to every family within five school days and a parents' meeting with the chair "
                              "of governors and the LA's lead before the end of the half-term")
    step(smj, "record_tig_meeting", day(21), attendees="head, chair, lead, IP", notes="Plan agreed; funding for training")
    step(smj, "record_progress_review", day(44), actor=IP, **{"rag.1": "red", "reason.1": "Checks still incomplete",
                                                              "next_steps": "Weekly SCR audit"})

    hill = opened("990003", "Safeguarding complaint referred by children's services", day(10))
    step(hill, "issue_warning_notice", day(11), grounds="safety", reasons="r", required_action="a", compliance_days="10", minded_to="m")
    step(hill, "refer_to_regional_director", day(11), reasons="The LA has no powers over academies")

    brook = opened("990004", "Attendance below average three quarters running", day(1))
    step(brook, "start_diagnosis", day(2))
    step(brook, "conclude_diagnosis", day(10), level="Stage 2", reasons="attendance")
    step(brook, "add_priority", day(10), title="Attendance", success_criteria="Above 94% for two half-terms",
        lead="Head teacher", target_on="2027-07-16", resources="Two days of IP time a half-term")
    step(brook, "record_progress_review", day(40), actor=IP, **{"rag.1": "green", "reason.1": "Attendance 95.1% this half-term",
                                                               "next_steps": "Plan exit"})
    step(brook, "begin_exit", day(41), reasons="Improvement secured")
    step(brook, "close_case", day(42), exit_conditions="attendance above 94%")
    step(brook, "record_summative_meeting", day(56), attendees="head, chair, lead", notes="Support tapered")
    step(brook, "close_case", day(57), exit_conditions="Attendance above 94% for two half-terms")
