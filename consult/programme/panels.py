"""The work programme's parts of other pages: the member's dashboard and a call's page."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from consult.calls.models import CallStatus
from consult.programme.forms import CallItemForm, StatusForm
from consult.programme.items import items_of_call, may_change_status, open_items
from consult.signals import Panel


def my_items_panel(app: Any, user: Any) -> Panel | None:
    """Open items the user owns, soonest first; nothing when there are none."""
    items = open_items(owner_id=user.id)
    if not items:
        return None
    context = {"items": items, "status_form": StatusForm(), "may_change": may_change_status}
    return Panel(_l("Your work programme items"), "programme/_panel.html", context, order=60)


def call_items_section(app: Any, call: Any, user: Any) -> Panel | None:
    """The action items agreed on a call, and for the Secretariat a form to record more.

    Shown once the call is held, or earlier if it already has items.
    """
    items = items_of_call(call.id)
    held = call.status is CallStatus.HELD
    if not items and not held:
        return None
    form = None
    if held and user.is_secretariat:
        form = CallItemForm()
        form.fill_choices()
    context = {
        "call": call,
        "items": items,
        "form": form,
        "status_form": StatusForm(),
        "may_change": may_change_status,
    }
    return Panel(_l("Action items"), "programme/_call_section.html", context, order=10)
