"""Consult: a Flask server for a multi-stakeholder steering group and its Secretariat."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

#: Templates, static files, translations and migrations ship inside the package.
PACKAGE_ROOT = Path(__file__).resolve().parent


def default_instance_path() -> Path:
    """``INSTANCE_PATH``, else ``instance/`` in the working directory."""
    return Path(os.environ.get("INSTANCE_PATH") or Path.cwd() / "instance")


#: The capabilities. Each module has ``init_app(app)``, which connects its receivers of the
#: core's signals (``consult.signals``); the core imports them through this list only.
CAPABILITIES = (
    "consult.public",
    "consult.documents",
    "consult.accounts",
    "consult.dashboard",
    "consult.calls",
    "consult.toolkit",
    "consult.decisions",
    "consult.events",
    "consult.programme",
)


def create_app(
    config: dict[str, Any] | None = None, capabilities: tuple[str, ...] = CAPABILITIES
) -> Flask:
    """Build the application: settings from the environment, then ``config`` on top.

    ``capabilities`` names the modules to install (all of them unless told otherwise).
    """
    from importlib import import_module

    from consult import (
        assets,
        cli,
        errors,
        i18n,
        jobs,
        mailin,
        markdown,
        navigation,
        outbox,
        security,
        sockets,
    )
    from consult.config import load_config
    from consult.extensions import babel, csrf, db, limiter, login_manager, migrate
    from consult.forms import RowIdConverter

    app = Flask(__name__, instance_path=str(default_instance_path().resolve()))
    instance_path = (config or {}).get("INSTANCE_PATH", app.instance_path)
    app.config.from_mapping(load_config(instance_path))
    if config:
        app.config.from_mapping(config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    sockets.init_app(app)
    if app.config["PROXY_FIX_COUNT"]:
        # outside the Socket.IO middleware too: sockets are counted per client address
        count = app.config["PROXY_FIX_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    app.url_map.converters["int"] = RowIdConverter
    security.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    markdown.init_app(app)
    navigation.init_app(app)
    cli.init_app(app)
    mailin.init_app(app)
    outbox.init_app(app)
    for name in capabilities:
        import_module(name).init_app(app)
    jobs.init_app(app, capabilities)  # last: every capability has declared its jobs by now
    assets.init_app(app)  # outermost WSGI layer: static files never reach Flask
    return app
