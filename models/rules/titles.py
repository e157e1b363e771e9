"""Titles that follow the date of the letter.

The Crown's officers are "Her Majesty's" in a letter dated before 8 September 2022, the
day Queen Elizabeth II died, and "His Majesty's" from that day: a 2015 notice copied to the
Chief Inspector names "Her Majesty's Chief Inspector" in its text and its copy list alike,
whatever the installation's settings call the office today.
"""

from __future__ import annotations

from datetime import date

__all__ = ["DEMISE", "MEETING_WORDS", "of_the_day"]

# A meeting's kind as staff say it (a calendar's titles, a page's lists).
MEETING_WORDS = {"tig": "TIG meeting", "progress_review": "Progress review", "monitoring_visit": "Monitoring visit",
                 "summative": "Summative meeting"}

DEMISE = date(2022, 9, 8)  # from this day the sovereign is a king
_TITLES = ("Her Majesty's", "His Majesty's")


def of_the_day(text: str, on: date) -> str:
    """``text`` with the Crown's title as it stood on ``on``."""
    old, new = _TITLES if on >= DEMISE else reversed(_TITLES)
    return text.replace(old, new)
