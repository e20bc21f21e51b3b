"""Absolute links for e-mails and calendar files, all built on the configured ``PUBLIC_URL``.

A request's ``Host`` header is chosen by the client: a link built from it could
send a password-reset token to someone else's server. So these links never look
at the request, and the worker that renders e-mails needs none.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` under ``PUBLIC_URL`` (``_anchor`` adds a fragment)."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    anchor = values.pop("_anchor", None)
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    url = adapter.build(endpoint, values, force_external=True)
    if anchor:
        url += "#" + quote(str(anchor), safe="-_.:/")
    return url
