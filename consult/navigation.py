"""The site navigation: capabilities answer ``signals.nav_items`` with entries and their audience."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for
from flask_login import current_user

from consult import signals


@dataclass(frozen=True)
class NavItem:
    """One link in the main navigation."""

    endpoint: str
    label: object  # a lazy string, translated when rendered
    audience: str = "public"  # public, member (any signed-in user) or secretariat
    order: int = 100


def visible_nav_items() -> list[dict[str, str]]:
    """The entries the current user may reach, as mappings of url, label, endpoint, public."""

    def allowed(item: NavItem) -> bool:
        if item.audience == "public":
            return True
        if not current_user.is_authenticated:
            return False
        return item.audience == "member" or current_user.is_secretariat

    return [
        {
            "url": url_for(item.endpoint),
            "label": str(item.label),
            "endpoint": item.endpoint,
            "public": item.audience == "public",
        }
        for item in signals.ordered(signals.nav_items)
        if allowed(item)
    ]


def init_app(app: Flask) -> None:
    """Make the navigation available to every template."""
    app.jinja_env.globals["nav_items"] = visible_nav_items
