"""A small caseload on a database, for the read models' tests (case list, My work, dashboard)."""

from __future__ import annotations

from datetime import date

import pytest

from models.db.session import transaction
from models.services.cases import Actor, open_case, take_action
from models.services.directory import SchoolDetails, add_person, add_school
from models.vocab import Role, SchoolType

LEAD, OTHER_LEAD, IP, OTHER_IP = ("lead@riverford.example.gov.uk", "lead2@riverford.example.gov.uk",
                                  "ip@riverford.example.gov.uk", "ip2@riverford.example.gov.uk")
SENIOR = "senior@riverford.example.gov.uk"


@pytest.fixture
def caseload(db_url: str) -> dict[str, int]:
    """Three cases: Oak (community, lead 1, IP 1, an overdue notice), Ash (voluntary aided,
    lead 2, IP 2), Elm (community, lead 1, IP 2)."""
    with transaction() as session:
        for name, email, role in [("Lena Lead", LEAD, "lead"), ("Lou Lead", OTHER_LEAD, "lead"), ("Ivan Partner", IP, "ip"),
                                  ("Ida Partner", OTHER_IP, "ip"), ("Sam Senior", SENIOR, "senior")]:
            add_person(session, name, email, role, "test")
        ids = {}
        for urn, name, kind, lead, ip in [("100001", "Oak Primary", SchoolType.COMMUNITY, LEAD, IP),
                                          ("100002", "Ash CE Primary", SchoolType.VOLUNTARY_AIDED, OTHER_LEAD, OTHER_IP),
                                          ("100003", "Elm Primary", SchoolType.COMMUNITY, LEAD, OTHER_IP)]:
            add_school(session, SchoolDetails(urn, name, kind, "Primary", "Riverford"), "test")
            ids[name] = open_case(session, urn, "Outcomes below floor", on=date(2026, 9, 14), actor=Actor(LEAD, Role.LEAD),
                                  lead=lead, ip=ip).id
        take_action(session, ids["Oak Primary"], "issue_warning_notice",
                    {"grounds": "low_standards", "reasons": "Standards fell", "required_action": "Implement the plan",
                     "compliance_days": "15", "minded_to": "appoint additional governors"},
                    on=date(2026, 10, 5), actor_email=LEAD)
        return ids
