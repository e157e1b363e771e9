"""The closed vocabularies of the domain: every value a column, a playbook or a rule may hold.

Pure (no database, no I/O): rules, tables, schemas and front ends all name these.
"""

from __future__ import annotations

from enum import StrEnum, nonmember

__all__ = [
    "STATUTORY_CATEGORIES", "Basis", "DeadlineStatus", "Jurisdiction", "Language", "MeetingKind", "NotificationStatus", "Rag",
    "Role", "Scheme", "SchoolType",
]

class SchoolType(StrEnum):
    """Who may intervene depends on the type: the LA for maintained schools only."""

    COMMUNITY = "community"
    FOUNDATION = "foundation"
    VOLUNTARY_AIDED = "voluntary_aided"
    VOLUNTARY_CONTROLLED = "voluntary_controlled"
    FOUNDATION_SPECIAL = "foundation_special"
    COMMUNITY_SPECIAL = "community_special"
    MAINTAINED_NURSERY = "maintained_nursery"
    PRU = "pru"
    ACADEMY = "academy"
    FREE_SCHOOL = "free_school"

    @property
    def is_maintained(self) -> bool:
        """Academies and free schools are outside the LA's powers: the LA raises concerns with the Regional Director (004:L180)."""
        return self not in (SchoolType.ACADEMY, SchoolType.FREE_SCHOOL)

    @property
    def has_foundation_governors(self) -> bool:
        """Foundation and voluntary schools: notices are copied to whoever appoints their
        foundation governors (EIA 2006 s60(4))."""
        return self in (
            SchoolType.FOUNDATION,
            SchoolType.FOUNDATION_SPECIAL,
            SchoolType.VOLUNTARY_AIDED,
            SchoolType.VOLUNTARY_CONTROLLED,
        )


class Role(StrEnum):
    """What a person does; playbook actions say which roles may take them."""

    LEAD = "lead"
    IP = "ip"
    PRINCIPAL_IP = "principal_ip"
    SENIOR = "senior"
    HEAD = "head"
    CHAIR = "chair"
    CLERK = "clerk"
    DIOCESE = "diocese"
    REGIONAL_DIRECTOR = "regional_director"
    OTHER = "other"


class Rag(StrEnum):
    """Progress judgement per priority at a review (002 Appendix 3, L977–1025)."""

    GREEN = "green"  # very good: needs hard evidence
    YELLOW = "yellow"  # strong
    AMBER = "amber"  # satisfactory
    RED = "red"  # limited: needs a written explanation


class Scheme(StrEnum):
    """The independent classifications a school carries, each kept as dated history."""

    INSPECTION = "inspection"  # Ofsted / Estyn category
    LA_CATEGORY = "la_category"  # e.g. LA1–LA4b (001:L675–714)
    SUPPORT_LEVEL = "support_level"  # e.g. green/yellow/amber/red (002:L260–316)
    CONCERN_STAGE = "concern_stage"  # e.g. Stage 1–3 (003:L1178–1518)
    EXIT_WATCH = "exit_watch"  # the year after exit: at_risk, then sustained or reopened (001:L693)


# The inspection categories that are statutory and call for a statement of action.
STATUTORY_CATEGORIES = frozenset({"special_measures", "serious_weaknesses", "significant_improvement"})


class MeetingKind(StrEnum):
    TIG = "tig"
    PROGRESS_REVIEW = "progress_review"
    MONITORING_VISIT = "monitoring_visit"
    SUMMATIVE = "summative"


class Basis(StrEnum):
    """How a deadline's days are counted (models.rules.calendar explains each)."""

    CALENDAR = "calendar"
    WORKING = "working"
    SCHOOL = "school"
    INSPECTION = "inspection"


class Language(StrEnum):
    """The language a school corresponds in, or a person prefers. The Welsh Language Standards
    bind every county and county borough council in Wales: correspondence in Welsh where the
    recipient wishes, documents in Welsh or bilingual with the Welsh no less favourably treated
    (Welsh Language Standards (No. 1) Regulations 2015, standards 1-7 and 47-52)."""

    ENGLISH = "en"
    WELSH = "cy"
    BILINGUAL = "bilingual"  # Welsh first, then English

    @classmethod
    def written_to(cls, preference: str | None) -> Language:
        """The language an email to someone is in: Welsh if it is theirs, else English."""
        return cls.WELSH if preference == cls.WELSH else cls.ENGLISH

    @property
    def parts(self) -> tuple[Language, ...]:
        """The languages a document is written in, in the order it gives them."""
        return (Language.WELSH, Language.ENGLISH) if self is Language.BILINGUAL else (self,)


class Jurisdiction(StrEnum):
    ENGLAND = "england"
    WALES = "wales"

    @property
    def subdivision(self) -> str:
        """The bank-holiday subdivision of the ``holidays`` package."""
        return "ENG" if self is Jurisdiction.ENGLAND else "WLS"


class DeadlineStatus(StrEnum):
    """Life of a deadline: open until met (by an action) or cancelled; overdue once past due."""

    OPEN = "open"
    MET = "met"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"
    LIVE = nonmember(("open", "overdue"))  # not yet met or cancelled


class DocumentStatus(StrEnum):
    """Life of a document. A letter that goes to someone outside the authority is made as a
    draft, read and edited, then issued (its content, date and reference fixed, how each copy
    went recorded); a document kept on the case (minutes, a note of visit) is final when made."""

    DRAFT = "draft"
    ISSUED = "issued"
    FINAL = "final"
    WITHDRAWN = "withdrawn"  # a draft whose action was undone: it can no longer be issued


class Delivery(StrEnum):
    """How one copy of an issued letter went."""

    EMAIL = "email"  # through the outbox, the letter attached
    POST = "post"
    HAND = "hand"


class NotificationStatus(StrEnum):
    """Life of an outbox row."""

    QUEUED = "queued"
    SENDING = "sending"  # claimed by one sender, so two senders never send the same row
    SENT = "sent"
    FAILED = "failed"  # gave up after the configured attempts; still listed, can be requeued
