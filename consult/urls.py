"""Absolute links for e-mails and calendar files, inside or outside a request."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL; from the CLI it uses SERVER_NAME and PREFERRED_URL_SCHEME."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    with current_app.test_request_context(base_url=f"{scheme}://127.0.0.1:5000"):
        return url_for(endpoint, _external=True, **values)
