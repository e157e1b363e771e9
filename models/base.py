"""The declarative base shared by every table, and the closed vocabularies stored in them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, MetaData
from sqlalchemy.orm import DeclarativeBase

__all__ = ["STATUTORY_CATEGORIES", "Base", "MeetingKind", "Rag", "Role", "Scheme", "SchoolType"]

# Stable constraint names so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


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
        """Academies and free schools are outside the LA's powers (004:L166–181)."""
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


# The inspection categories that are statutory and call for a statement of action.
STATUTORY_CATEGORIES = frozenset({"special_measures", "serious_weaknesses", "significant_improvement"})


class MeetingKind(StrEnum):
    TIG = "tig"
    PROGRESS_REVIEW = "progress_review"
    MONITORING_VISIT = "monitoring_visit"
    SUMMATIVE = "summative"
