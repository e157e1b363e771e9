"""Lists shown a page at a time (the case list, the dashboard's RAG charts): how many pages
there are, and the one line that says a page asked for is not there."""

from __future__ import annotations

__all__ = ["missing_page", "page_count"]


def page_count(total: int, per_page: int) -> int:
    """The pages ``total`` items fill; at least one, where an empty list says it is empty."""
    return max(1, -(-total // per_page))


def missing_page(page: int, pages: int, what: str) -> str | None:
    """Why page ``page`` of ``what`` cannot be shown, or None when it can."""
    if 1 <= page <= pages:
        return None
    return f"there {'is' if pages == 1 else 'are'} {pages} page{'' if pages == 1 else 's'} of {what}, not {page}: go back to page 1"
