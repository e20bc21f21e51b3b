"""Toolkit fixtures: sections and comments made through the rules, as the views make them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from consult.accounts.models import User
from consult.extensions import db
from consult.toolkit import discussion, live, notifications, sections
from consult.toolkit.models import Comment, Section, SectionStatus, Stance
from tests.live import LiveServer
from tests.toolkit.livehelpers import LIVE_SECRET


@pytest.fixture
def make_section(app: Flask, make_secretariat: Callable[..., User]) -> Callable[..., Section]:
    """Build a section (a draft unless ``published=True``) with its first version."""
    counter = iter(range(1, 1_000_000))
    officer: list[User] = []

    def make(
        title: str | None = None, body: str = "Text of the section.", **fields: Any
    ) -> Section:
        if not officer:
            officer.append(make_secretariat())
        section = sections.create_section(
            title=title or f"Section {next(counter)}",
            body=body,
            status=fields.pop("status", SectionStatus.PROPOSED),
            author=officer[0],
            **fields,
        )
        db.session.commit()
        return section

    return make


@pytest.fixture
def make_comment(app: Flask) -> Callable[..., Comment]:
    """Post a comment (or a reply, with ``parent``) as ``author`` and commit it."""

    def make(
        section: Section,
        author: User,
        body: str = "A comment.",
        *,
        parent: Comment | None = None,
        stance: Stance | None = None,
        quote: str = "",
    ) -> Comment:
        comment = discussion.post_comment(
            section, author, body, parent=parent, stance=stance, quote=quote
        )
        comment_id = comment.id
        live.commit_and_broadcast()
        notifications.notify_later(comment_id)  # the job runs at once in the tests
        return comment

    return make


def live_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """Settings for a toolkit live server."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": LIVE_SECRET,
        "INSTANCE_PATH": str(instance),
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": str(instance / "outbox"),
        "RATELIMIT_ENABLED": "false",
        "SOCKETIO_MESSAGE_QUEUE": "",
        **extra,
    }


@pytest.fixture(scope="session")
def toolkit_server(
    live_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One gunicorn process (as in production) shared by the toolkit's live tests."""
    instance = tmp_path_factory.mktemp("toolkit-live")
    server = LiveServer(env=live_env(live_database_url, instance)).start()
    yield server
    server.stop()
