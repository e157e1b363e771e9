"""Every flow of the product by its Prefect name: the one place a name leads to a flow."""

from __future__ import annotations

from typing import Any

from flows.casework import (
    apply_action_flow,
    generate_document_flow,
    load_demo_flow,
    open_case_flow,
    render_all_flow,
    termly_report_flow,
)
from flows.recurring import deadline_sweep, plan_half_term, send_notifications, send_reminders

__all__ = ["FLOWS"]

FLOWS: dict[str, Any] = {
    f.name: f
    for f in (
        apply_action_flow, open_case_flow, generate_document_flow, render_all_flow, termly_report_flow, load_demo_flow,
        plan_half_term, deadline_sweep, send_notifications, send_reminders,
    )
}
