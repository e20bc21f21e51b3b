"""The site navigation: each capability registers its entries with the audience that may see them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    """One link in the main navigation."""

    endpoint: str
    label: object  # a lazy string, translated when rendered
    audience: str = "public"  # public, member (any signed-in user) or secretariat
    order: int = 100


def add_nav_item(app: Flask, item: NavItem) -> None:
    """Register ``item`` in the application's navigation."""
    app.extensions.setdefault("consult_nav", []).append(item)


def visible_nav_items() -> list[dict[str, str]]:
    """The entries the current user may reach, as mappings of url, label, endpoint, public."""
    from flask import current_app

    def allowed(item: NavItem) -> bool:
        if item.audience == "public":
            return True
        if not current_user.is_authenticated:
            return False
        return item.audience == "member" or current_user.is_secretariat

    items = sorted(current_app.extensions.get("consult_nav", []), key=lambda item: item.order)
    return [
        {
            "url": url_for(item.endpoint),
            "label": str(item.label),
            "endpoint": item.endpoint,
            "public": item.audience == "public",
        }
        for item in items
        if allowed(item)
    ]


def init_app(app: Flask) -> None:
    """Make the navigation available to every template."""
    app.jinja_env.globals["nav_items"] = visible_nav_items
