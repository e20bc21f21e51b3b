"""Shared fixtures: one schema per test session, each test inside a rolled-back transaction.

The database is SQLite (a temporary file) unless ``DATABASE_URL`` names a
PostgreSQL database whose name contains ``test``; CI runs the suite on both.
"""

from __future__ import annotations

import asyncio
import contextvars
import email
import email.policy
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker

from consult import create_app
from consult.accounts.constituencies import ensure_standard_constituencies
from consult.accounts.models import Role, User
from consult.accounts.services import set_password
from consult.config import normalise_database_url
from consult.extensions import db, limiter
from tests.live import ROOT, csrf_token_in
from tests.services import fail_skips_in_ci, free_port

TEST_PASSWORD = "correct horse battery"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    """In CI (``CI=true``) a skipped test fails: CI must run every test it collects."""
    report = yield
    return fail_skips_in_ci(report)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> pytest.CollectReport:
    """In CI a module that skips itself (``pytest.skip(allow_module_level=True)``) fails too."""
    report = yield
    return fail_skips_in_ci(report)


# --- database -------------------------------------------------------------------------


def _test_database_url(tmp_root: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_root / 'test.sqlite3'}"
    url = normalise_database_url(url)
    name = make_url(url).database or ""
    if "test" not in name:
        raise pytest.UsageError(
            f"Refusing to run tests on database {name!r}: its name must contain 'test', "
            "because the suite drops and rebuilds the schema."
        )
    return url


def _drop_everything(url: str) -> None:
    """Empty the test database, so that the migrations build it from nothing."""
    engine = create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of the session's test database."""
    return _test_database_url(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private instance folder (secret key, outbox, uploads) for the session."""
    return tmp_path_factory.mktemp("instance")


# --- mail -------------------------------------------------------------------------------


class Mailbox:
    """Collects what a real SMTP server on loopback received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        #: Source address of the connection each message came through.
        self.peers: list[Any] = []
        #: Addresses answered 550 (refused for good) and 450 (try again later).
        self.refuse: set[str] = set()
        self.defer: set[str] = set()
        #: When set, the message with this number (1 = first) is kept, unanswered, until
        #: ``release`` is set; ``held`` tells the test it arrived.
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address.lower() in self.defer:
            return "450 4.2.1 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.peers.append(session.peer)
            number = len(self.messages)
        if self.hold_at == number:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted"

    def clear(self) -> None:
        """Forget what arrived so far, and every refusal or hold."""
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()
            self.peers.clear()
            self.refuse.clear()
            self.defer.clear()
            self.hold_at = None
            self.held.clear()
            self.release.clear()

    def message_ids(self) -> list[str]:
        """The Message-ID of every message received, in order (repeats included)."""
        return [str(m["Message-ID"]) for m in self.messages]

    def to(self, address: str) -> list[EmailMessage]:
        """Messages addressed to ``address``."""
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def last(self, address: str | None = None) -> EmailMessage:
        """The newest message (to ``address``, if given)."""
        found = self.to(address) if address else self.messages
        assert found, f"no message arrived{' for ' + address if address else ''}"
        return found[-1]


def body_text(message: EmailMessage) -> str:
    """The plain-text part of a message."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "the message has no text/plain part"
    return part.get_content()


def body_html(message: EmailMessage) -> str:
    """The HTML part of a message."""
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "the message has no text/html part"
    return part.get_content()


def links_in(message: EmailMessage) -> list[str]:
    """Every http(s) link in the text part."""
    return re.findall(r"https?://\S+", body_text(message))


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, Mailbox]]:
    """A real aiosmtpd server on a free loopback port for the whole session."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: tuple[Controller, Mailbox]) -> Mailbox:
    """The SMTP server's mailbox, emptied for this test."""
    _, box = smtp_server
    box.clear()
    return box


# --- application -----------------------------------------------------------------------


def build_test_config(database_url: str, instance_path: Path, smtp_port: int) -> dict[str, Any]:
    """Settings of the application under test."""
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_DEFAULT_SENDER": "Consult <consult@example.org>",
        "MAIL_OUTBOX_DIR": str(instance_path / "outbox"),
        "UPLOAD_DIR": str(instance_path / "uploads"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": "consult.test",
        "PUBLIC_URL": "http://consult.test",
        # e-mails are delivered right after each commit, in the same thread, so that a
        # test sees them at once; tests/outbox runs real worker processes too
        "JOBS_IMMEDIATE": True,
    }


@pytest.fixture(scope="session")
def _app(
    database_url: str, instance_path: Path, smtp_server: tuple[Controller, Mailbox]
) -> Iterator[Flask]:
    """The session's application, with the schema built by the migrations."""
    from flask_migrate import upgrade

    _drop_everything(database_url)
    application = create_app(build_test_config(database_url, instance_path, smtp_server[0].port))
    with application.app_context():
        upgrade()
        ensure_standard_constituencies()
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


def _app_context_id() -> int:
    """Identity of the current application context, the scope of Flask-SQLAlchemy's sessions.

    Each application context has its own ``g``, so the identity of ``g`` is the context's.
    """
    return id(g._get_current_object())


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own contexts, as real requests do.

    Flask reuses an application context that is already pushed, and the ``app``
    fixture keeps one pushed for the test's own queries; without this, ``g`` (and
    so Flask-Login's cached user) would leak from one request to the next.
    After each request the test's session forgets what it had loaded, so the test
    reads what the request saved.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture
def app(_app: Flask) -> Iterator[Flask]:
    """The application, inside a transaction rolled back after the test.

    Code under test may commit: with ``join_transaction_mode="create_savepoint"``
    its commits release savepoints of the outer transaction, which is then
    rolled back, so each test starts from the same data.
    """
    with _app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_context_id,
        )
        limiter.reset()
        _app.test_client_class = IsolatedClient
        try:
            yield _app
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the application."""
    return app.test_client()


@pytest.fixture
def csrf(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[[FlaskClient, str], str]:
    """Turn CSRF protection on for this test; return a function that reads a page's token."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    def token_from(client: FlaskClient, path: str) -> str:
        html = client.get(path).get_data(as_text=True)
        token = csrf_token_in(html)
        assert token, f"no CSRF token on {path}"
        return token

    return token_from


# --- builders ---------------------------------------------------------------------------


@pytest.fixture
def make_member(app: Flask) -> Callable[..., User]:
    """Build a member (or, with ``role=Role.SECRETARIAT``, an officer) with a password."""
    counter = iter(range(1, 1_000_000))
    constituencies = ensure_standard_constituencies()

    def make(
        email: str | None = None,
        *,
        name: str | None = None,
        constituency: str = "ngos",
        timezone: str = "Africa/Nairobi",
        country: str | None = "KE",
        role: Role = Role.MEMBER,
        active: bool = True,
        password: str | None = TEST_PASSWORD,
        **fields: Any,
    ) -> User:
        number = next(counter)
        user = User(
            email=(email or f"member{number}@example.org").lower(),
            display_name=name or f"Member {number}",
            organisation=fields.pop("organisation", "Test organisation"),
            constituency=constituencies[constituency],
            country=country,
            timezone=timezone,
            role=role,
            active=active,
            **fields,
        )
        if password:
            set_password(user, password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_secretariat(make_member: Callable[..., User]) -> Callable[..., User]:
    """Build a Secretariat officer."""

    def make(email: str | None = None, **fields: Any) -> User:
        fields.setdefault("constituency", "desa-dsd")
        fields.setdefault("timezone", "America/New_York")
        fields.setdefault("country", "US")
        return make_member(email, role=Role.SECRETARIAT, **fields)

    return make


def sign_in(client: FlaskClient, user: User) -> FlaskClient:
    """Sign ``user`` in on ``client`` (through the session, as Flask-Login reads it)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def acknowledgement(html: str) -> str | None:
    """The fingerprint a "Check before sending" page asks to send back, if the page is one."""
    found = re.search(r'name="acknowledged" value="([0-9a-f]+)"', html)
    return found.group(1) if found else None


def post_acknowledging(client: FlaskClient, url: str, data: dict, **options: Any):
    """Post a form that may stop at "Check before sending"; acknowledge the warnings and post again."""
    response = client.post(url, data=data, **options)
    digest = (
        acknowledgement(response.get_data(as_text=True)) if response.status_code == 200 else None
    )
    if digest is None:
        return response
    return client.post(url, data={**data, "acknowledged": digest}, **options)


@pytest.fixture
def member_client(client: FlaskClient, make_member: Callable[..., User]) -> FlaskClient:
    """A client signed in as a fresh member (``client.user`` is that member)."""
    user = make_member()
    sign_in(client, user)
    client.user = user  # type: ignore[attr-defined]
    return client


@pytest.fixture
def secretariat_client(client: FlaskClient, make_secretariat: Callable[..., User]) -> FlaskClient:
    """A client signed in as a Secretariat officer (``client.user`` is the officer)."""
    user = make_secretariat()
    sign_in(client, user)
    client.user = user  # type: ignore[attr-defined]
    return client


# --- live servers -------------------------------------------------------------------------


def sibling_database(database_url: str, suffix: str, folder: Path) -> str:
    """A new, empty database of the same kind as the test database, for real processes.

    SQLite: a file in ``folder``. PostgreSQL: ``<test database>_<suffix>``, created afresh on
    the same server (CI drops it when it ends).
    """
    if database_url.startswith("sqlite"):
        return f"sqlite:///{folder / f'{suffix}.sqlite3'}"
    base = make_url(database_url)
    name = f"{base.database}_{suffix}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> str:
    """A separate database, migrated, for live server processes (they commit for real)."""
    return migrated_database(database_url, "live", tmp_path_factory.mktemp("live"))


def migrated_database(database_url: str, suffix: str, folder: Path) -> str:
    """A :func:`sibling_database` built by ``flask db upgrade``; its URL."""
    url = sibling_database(database_url, suffix, folder)
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "consult", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return url
