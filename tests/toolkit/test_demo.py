"""The demo toolkit: real sections, comments from several constituencies, safe to load twice."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.demo import load_demo
from consult.extensions import db
from consult.toolkit.models import Comment, Section


def test_demo_toolkit_loads_once_with_one_published_section(app, client):
    """Does the demo give the FACTS sections and stances, one published, the same after a second run?"""
    load_demo()
    load_demo()
    titles = list(db.session.scalars(select(Section.title).order_by(Section.position)))
    assert "Purpose and scope of the toolkit" in titles
    assert "Key elements identified at Toronto" in titles
    assert len(titles) == 4
    assert (
        db.session.scalar(select(func.count()).select_from(Section).where(Section.published)) == 1
    )
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 7
    index = client.get("/toolkit").get_data(as_text=True)
    assert "Key elements identified at Toronto" in index and "Purpose and scope" not in index
