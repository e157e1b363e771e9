"""What the case page hides stays hidden: a classification's evidence and dissent recorded on
a case an IP may not see are not on the school's page or another case's page for them."""

from __future__ import annotations

from models.services import reading
from models.services.access import terminal_viewer
from tests.cli.support import IP, LEAD, advance, open_case
from tests.conftest import Scc

SECRET = "Evidence from the confidential governance review"


def test_a_classification_on_a_case_an_ip_cannot_see_is_hidden_from_them_everywhere(la: Scc) -> None:
    theirs_not = open_case(la, "100004")  # Brook Foundation: no IP, so not the IP's case
    advance(la, theirs_not, "record_classification", "2026-09-20", "scheme=la_category", "value=LA4b", f"evidence={SECRET}",
            "dissent=The head disagrees")
    lead, ip = terminal_viewer(LEAD), terminal_viewer(IP)
    _, _, seen_by_lead = reading.school(lead, "100004")
    assert [c.evidence for c in seen_by_lead] == [SECRET]
    _, cases, seen_by_ip = reading.school(ip, "100004")
    assert cases == [] and seen_by_ip == []
