"""Helpers for tests against real server processes: seed their database, sign in, post, listen."""

from __future__ import annotations

import queue
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
import socketio
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from consult.accounts.models import Constituency, Role, User, credential_fingerprint
from consult.config import normalise_database_url
from consult.toolkit.live import NAMESPACE
from consult.toolkit.models import Section, SectionStatus, SectionVersion

LIVE_SECRET = "toolkit-live-tests-" + "k" * 40


@dataclass
class Seeded:
    """Rows made in a live server's database."""

    member_ids: list[int]
    section_id: int


def seed(database_url: str, members: int = 2) -> Seeded:
    """Add members (NGOs) and one draft section to a live server's database."""
    engine = create_engine(normalise_database_url(database_url))
    with Session(engine) as session:
        ngos = session.scalar(select(Constituency).where(Constituency.slug == "ngos"))
        if ngos is None:
            ngos = Constituency(slug="ngos", name="NGOs", description="", position=2)
            session.add(ngos)
        users = []
        for _ in range(members):
            tag = uuid.uuid4().hex[:10]
            users.append(
                User(
                    email=f"live-{tag}@example.org",
                    display_name=f"Live member {tag}",
                    constituency=ngos,
                    timezone="Africa/Nairobi",
                    role=Role.MEMBER,
                )
            )
        section = Section(title=f"Live section {uuid.uuid4().hex[:6]}", body="Text", version=1)
        section.status = SectionStatus.IN_DISCUSSION
        session.add_all([*users, section])
        session.flush()
        session.add(
            SectionVersion(
                section_id=section.id,
                number=1,
                title=section.title,
                body="Text",
                status=section.status,
            )
        )
        session.commit()
        seeded = Seeded([u.id for u in users], section.id)
    engine.dispose()
    return seeded


def session_cookie(user_id: int, secret: str = LIVE_SECRET) -> str:
    """A signed Flask session cookie that signs ``user_id`` in (as Flask-Login reads it)."""
    app = Flask("cookie-maker")
    app.secret_key = secret
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    # the live members have no password: their session id carries the "unset" fingerprint
    return serializer.dumps(
        {"_user_id": f"{user_id}:{credential_fingerprint(None)}", "_fresh": True}
    )


def browser_session(base_url: str, user_id: int) -> requests.Session:
    """A ``requests`` session signed in as ``user_id`` on a live server."""
    http = requests.Session()
    http.cookies.set("session", session_cookie(user_id), domain="127.0.0.1", path="/")
    return http


def csrf_token(http: requests.Session, base_url: str, section_id: int) -> str:
    """The CSRF token of the section page's comment form (kept in the session cookie)."""
    page = http.get(f"{base_url}/toolkit/sections/{section_id}", timeout=10)
    page.raise_for_status()
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)


def post_comment(
    http: requests.Session,
    base_url: str,
    section_id: int,
    body: str,
    token: str | None = None,
    **extra: str,
) -> int:
    """Post through the section page's form, CSRF token included; return the new comment's id."""
    token = token or csrf_token(http, base_url, section_id)
    response = http.post(
        f"{base_url}/toolkit/sections/{section_id}/comments",
        data={"csrf_token": token, "body": body, **extra},
        headers={"Accept": "application/json"},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["comment"]


@dataclass
class Listener:
    """A real python-socketio client in a section's room, collecting the events it hears."""

    base_url: str
    user_id: int
    events: queue.Queue = field(default_factory=queue.Queue)
    client: socketio.Client = field(default_factory=lambda: socketio.Client(reconnection=False))

    def connect(self) -> Listener:
        """Connect to the ``/toolkit`` namespace with the member's session cookie."""
        self.client.on("comment", self.events.put, namespace=NAMESPACE)
        self.client.connect(
            self.base_url,
            namespaces=[NAMESPACE],
            headers={"Cookie": f"session={session_cookie(self.user_id)}"},
            transports=["websocket"],
            wait_timeout=10,
        )
        return self

    def join(self, section_id: int, last: int = 0) -> dict[str, Any]:
        """Join a section's room; the answer lists the events after ``last``."""
        return self.client.call(
            "join", {"section": section_id, "last": last}, namespace=NAMESPACE, timeout=10
        )

    def next_event(self, timeout: float = 10) -> dict[str, Any]:
        """The next event pushed to this client."""
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        """Disconnect."""
        if self.client.connected:
            self.client.disconnect()
