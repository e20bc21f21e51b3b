"""Toolkit fixtures: sections and comments made through the rules, as the views make them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from consult.accounts.models import User
from consult.extensions import db
from consult.toolkit import discussion, live, sections
from consult.toolkit.models import Comment, Section, SectionStatus, Stance


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
        live.commit_and_broadcast()
        return comment

    return make
