"""Subscribable calendars: each member of staff's own secret feed address.

``/ics/<token>.ics`` serves the same iCalendar feed as ``scc calendar ics --person EMAIL``
to whoever holds the address (Outlook, a phone), so the token is the only key: long,
random, stored as its sha256, revocable. Outlook polls every few hours: the answer carries
an ETag over the feed's events and ``Cache-Control: private, max-age=900``, so a poll that
finds nothing new costs a 304.
"""

from __future__ import annotations

import hashlib
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from models.services.calendar_feed import feed_for

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_STAMP = re.compile(rb"^DTSTAMP:.*\r?\n", re.MULTILINE)


@router.get("/ics/{token}.ics")
def feed(request: Request, token: str) -> Response:
    body = feed_for(token, str(request.base_url))
    tag = '"' + hashlib.sha256(_STAMP.sub(b"", body)).hexdigest()[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": "private, max-age=900"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
