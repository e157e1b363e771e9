"""A small LA for the command-line tests."""

from __future__ import annotations

import pytest

from tests.cli.support import IP, LEAD, SENIOR
from tests.conftest import Scc


@pytest.fixture
def la(scc: Scc) -> Scc:
    """People and four schools: community, voluntary aided with a diocese, academy, foundation."""
    for name, email, role in [
        ("Dana Lead", LEAD, "lead"), ("Ian Partner", IP, "ip"), ("Sue Senior", SENIOR, "senior"),
        ("Hana Head", "head@oak.example.sch.uk", "head"), ("Carl Chair", "chair@oak.example.sch.uk", "chair"),
    ]:
        scc("person", "add", "--name", name, "--email", email, "--role", role)
    scc("school", "add", "--urn", "100001", "--name", "Oak Primary", "--type", "community", "--phase", "Primary",
        "--la", "Riverford", "--head", "head@oak.example.sch.uk", "--chair", "chair@oak.example.sch.uk", "--ip", IP)
    scc("school", "add", "--urn", "100002", "--name", "St Mary & St John's <Federation>", "--type", "voluntary_aided",
        "--phase", "Primary", "--la", "Riverford", "--diocese", "Diocese of Riverford",
        "--religious-character", "Church of England", "--foundation-appointer", "Riverford Diocesan Board")
    scc("school", "add", "--urn", "100003", "--name", "Hill Academy", "--type", "academy", "--phase", "Secondary", "--la", "Riverford")
    scc("school", "add", "--urn", "100004", "--name", "Brook Foundation School", "--type", "foundation",
        "--phase", "Secondary", "--la", "Riverford")
    return scc
