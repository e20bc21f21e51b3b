"""Settings, read once from the environment.

Two modes: ``local`` (the default: SQLite and an outbox folder under
``instance/``, a secret key generated on first start) and ``production``
(every secret must come from the environment).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)
#: The message catalogues, one folder per locale (``fr/LC_MESSAGES/messages.mo``).
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ: dict[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.") from error


def _local_secret_key(instance_path: Path) -> str:
    """Return the key kept in ``instance/secret_key``, creating it on first use."""
    path = instance_path / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def normalise_database_url(url: str) -> str:
    """Point plain ``postgres://`` and ``postgresql://`` URLs at psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


#: Where links in e-mails point when PUBLIC_URL is not set (local mode only).
LOCAL_PUBLIC_URL = "http://127.0.0.1:5000"


def public_url(environ: dict[str, str], production: bool) -> str:
    """The site's public base URL (scheme, host, optional path), without a trailing slash.

    Every link in an e-mail or calendar file is built on it, never on a request's
    ``Host`` header, which a client chooses. Production refuses to start without it.
    """
    raw = (environ.get("PUBLIC_URL") or "").strip()
    if not raw:
        if production:
            raise ConfigError(
                "PUBLIC_URL is not set. In production mode Consult needs the address the "
                "site is reached at, for the links in its e-mails, for example "
                "PUBLIC_URL=https://consult.example.org"
            )
        return LOCAL_PUBLIC_URL
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            f"PUBLIC_URL must be an http or https address such as https://consult.example.org, "
            f"got {raw!r}."
        )
    return raw.rstrip("/")


def jobs_url(environ: dict[str, str], instance: Path) -> str:
    """Where the task queue keeps its jobs: ``JOBS_URL``, else a SQLite file in the instance."""
    raw = (environ.get("JOBS_URL") or "").strip()
    if not raw:
        return f"sqlite:///{instance / 'jobs.sqlite3'}"
    if urlsplit(raw).scheme not in {"sqlite", "redis", "rediss", "unix"}:
        raise ConfigError(
            "JOBS_URL must be redis://host:6379/2 (several machines share the work) or "
            f"sqlite:///path/to/jobs.sqlite3 (one machine), got {raw!r}."
        )
    return raw


def load_config(instance_path: str | Path, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the settings mapping from the environment."""
    env = dict(os.environ if environ is None else environ)
    instance = Path(instance_path)
    mode = env.get("CONSULT_ENV", "local").strip().lower()
    if mode not in {"local", "production"}:
        raise ConfigError(f"CONSULT_ENV must be 'local' or 'production', got {mode!r}.")
    production = mode == "production"

    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. In production mode Consult needs a long random "
                "SECRET_KEY in the environment, for example the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
            )
        secret_key = _local_secret_key(instance)

    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'consult.sqlite3'}"
    mail_server = env.get("MAIL_SERVER") or None

    return {
        "CONSULT_ENV": mode,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # idle connections are tested before use: consult.database._ping_if_idle
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": _int(env, "MAIL_PORT", 25),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS"), False),
        "MAIL_USE_SSL": _flag(env.get("MAIL_USE_SSL"), False),
        "MAIL_TIMEOUT": _int(env, "MAIL_TIMEOUT", 30),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Consult <consult@localhost>"),
        "MAIL_OUTBOX_DIR": env.get("MAIL_OUTBOX_DIR") or str(instance / "outbox"),
        #: Every link in an e-mail starts with this (see :func:`public_url`).
        "PUBLIC_URL": public_url(env, production),
        #: The task queue's storage: SQLite in the instance folder, or Redis for many machines.
        "JOBS_URL": jobs_url(env, instance),
        #: The queue's name; sites sharing one Redis database need different names.
        "JOBS_NAME": env.get("JOBS_NAME") or "consult",
        #: Run jobs at once in the process that enqueues them (tests only: no worker needed).
        "JOBS_IMMEDIATE": _flag(env.get("JOBS_IMMEDIATE"), False),
        #: How long a worker may hold a claimed message before others may take it back.
        "OUTBOX_LEASE_SECONDS": _int(env, "OUTBOX_LEASE_SECONDS", 300),
        #: Tries before a message that keeps meeting temporary failures is marked failed.
        "OUTBOX_MAX_ATTEMPTS": _int(env, "OUTBOX_MAX_ATTEMPTS", 16),
        #: Days sent messages and received Message-IDs are kept (failed ones stay).
        "OUTBOX_KEEP_DAYS": _int(env, "OUTBOX_KEEP_DAYS", 180),
        #: Messages sent through one SMTP connection.
        "OUTBOX_BATCH_SIZE": _int(env, "OUTBOX_BATCH_SIZE", 50),
        #: The Reply-To of the Secretariat's messages to participants; unset, the writer's address.
        "SECRETARIAT_EMAIL": env.get("SECRETARIAT_EMAIL") or None,
        #: Calendar answers to calls go to ``<local>+<token>@<domain>`` of this address (the
        #: ORGANIZER and From of each invitation), which must reach ``flask mail-in``;
        #: unset, it is ``calls@`` the domain of MAIL_DEFAULT_SENDER.
        "CALLS_ORGANIZER_EMAIL": env.get("CALLS_ORGANIZER_EMAIL") or None,
        #: The same for event invitations; unset, ``events@`` the domain of MAIL_DEFAULT_SENDER.
        "EVENTS_ORGANIZER_EMAIL": env.get("EVENTS_ORGANIZER_EMAIL") or None,
        #: The authserv-id(s) (comma-separated) of the mail servers whose Authentication-Results
        #: ``mail-in`` believes; unset, the topmost header (added by the last server) is read.
        "MAILIN_AUTHSERV_ID": env.get("MAILIN_AUTHSERV_ID") or None,
        "SOCKETIO_MESSAGE_QUEUE": env.get("SOCKETIO_MESSAGE_QUEUE") or None,
        "SOCKETIO_CHANNEL": env.get("SOCKETIO_CHANNEL") or "flask-socketio",
        #: ``gevent`` or ``threading``; unset, gevent under gunicorn's gevent worker.
        "SOCKETIO_ASYNC_MODE": env.get("SOCKETIO_ASYNC_MODE") or None,
        #: Open Socket.IO connections one client address may hold in one process.
        "SOCKETIO_MAX_CONNECTIONS_PER_ADDRESS": _int(
            env, "SOCKETIO_MAX_CONNECTIONS_PER_ADDRESS", 50
        ),
        #: Events one socket may send (``join``, ``leave``), Flask-Limiter's notation.
        "SOCKETIO_EVENT_RATE_LIMIT": env.get("SOCKETIO_EVENT_RATE_LIMIT")
        or "30 per minute;300 per hour",
        #: Replies to comment e-mails go to ``<local>+<token>@<domain>`` of this address;
        #: unset, it is ``reply@`` the domain of MAIL_DEFAULT_SENDER.
        "TOOLKIT_REPLY_ADDRESS": env.get("TOOLKIT_REPLY_ADDRESS") or None,
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _flag(env.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        "RESET_RATE_LIMIT": env.get("RESET_RATE_LIMIT", "5 per minute;20 per hour"),
        "REGISTRATION_RATE_LIMIT": env.get("REGISTRATION_RATE_LIMIT", "20 per minute;200 per hour"),
        "SERVER_NAME": env.get("SERVER_NAME") or None,
        "PREFERRED_URL_SCHEME": env.get("PREFERRED_URL_SCHEME", "https" if production else "http"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), production),
        "PROXY_FIX_COUNT": _int(env, "PROXY_FIX_COUNT", 0),
        "DEFAULT_TIMEZONE": env.get("DEFAULT_TIMEZONE", "America/New_York"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        #: The compiled catalogues ship inside the package (an absolute path: Flask-Babel
        #: would resolve a relative one against the package, not the working directory).
        "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS),
        #: The six UN languages (``consult.i18n.locales``); Babel's identifiers.
        "LANGUAGES": ["ar", "zh_Hans", "en", "fr", "ru", "es"],
        "PASSWORD_HASH_METHOD": env.get("PASSWORD_HASH_METHOD", "scrypt"),
        "RESET_TOKEN_MAX_AGE": _int(env, "RESET_TOKEN_MAX_AGE", 2 * 3600),
        "INVITE_TOKEN_MAX_AGE": _int(env, "INVITE_TOKEN_MAX_AGE", 7 * 24 * 3600),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 16 * 1024 * 1024),
        "UPLOAD_DIR": env.get("UPLOAD_DIR") or str(instance / "uploads"),
        #: Static files under content-hashed names, compressed (``consult.assets``).
        "STATIC_BUILD_DIR": env.get("STATIC_BUILD_DIR") or str(instance / "static"),
        "WTF_CSRF_TIME_LIMIT": None,
    }
