"""Who is who: the groups of roles every rule about people is written with, in one place.

What each role may *do* is elsewhere: a case's actions name their roles in the playbook,
and the tasks beyond a case's actions are the one table of ``models.services.access``.
These are the groups those rules, the pages and the reminders share.
"""

from __future__ import annotations

from models.messages import N_, Either, Words
from models.vocab import Role

__all__ = ["EVERY_CASE", "IP_PLACE", "LEAD_PLACE", "OVERSIGHT", "STAFF", "ROLE_WORDS", "A_ROLE", "a_role", "role_words", "roles_in_words"]

# LA staff: they sign in, hold API tokens and calendar feeds.
STAFF = frozenset({Role.LEAD, Role.SENIOR, Role.IP, Role.PRINCIPAL_IP})
# Staff who see every case; an IP sees only the cases they partner.
EVERY_CASE = frozenset({Role.LEAD, Role.SENIOR, Role.PRINCIPAL_IP})
# Staff who oversee the service rather than hold a place on a case: an escalation or digest
# addressed to their role reaches each of them, and their calendar feed carries every case.
OVERSIGHT = frozenset({Role.SENIOR, Role.PRINCIPAL_IP})
# Who may hold the lead's place on a case, and the IP's on a case or a school.
LEAD_PLACE = frozenset({Role.LEAD, Role.SENIOR})
IP_PLACE = frozenset({Role.IP, Role.PRINCIPAL_IP})


# Each role as a sentence says it.
ROLE_WORDS = {Role.LEAD: N_("lead"), Role.SENIOR: N_("senior"), Role.IP: N_("IP"), Role.PRINCIPAL_IP: N_("principal IP")}
# A member of staff in a role, as a refusal names them.
A_ROLE = {Role.LEAD: N_("a lead"), Role.SENIOR: N_("a senior"), Role.IP: N_("an IP"), Role.PRINCIPAL_IP: N_("a principal IP")}


def role_words(role: Role | str) -> str:
    """"lead", "senior", "IP", "principal IP"; a code that is no role is said as it is."""
    try:
        return ROLE_WORDS[Role(role)]
    except ValueError:
        return str(role)


def a_role(role: Role) -> Words:
    """The role as a refusal says it: "a lead", "an IP", "a principal IP" (in the reader's language)."""
    if role in A_ROLE:
        return Words(A_ROLE[role])
    words = role_words(role)
    return Words(f"{'an' if words[0] in 'aeiouAEIOU' else 'a'} {words}")


def roles_in_words(roles: frozenset[Role] | set[Role]) -> Either:
    """Who may, as a refusal says it: "lead or principal IP or senior" (in the reader's language)."""
    return Either(sorted(role_words(r) for r in roles))
