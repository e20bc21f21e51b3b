"""A thread is served with the same number of SQL queries whatever its size."""

from __future__ import annotations

from consult.database import utcnow
from consult.extensions import db
from consult.toolkit.models import Comment, Stance
from tests.conftest import sign_in
from tests.queries import counting_queries

CONSTITUENCIES = ("business", "trade-unions", "ngos", "unep", "gov-developing")


def _fill(section, authors, size: int) -> None:
    """``size`` comments: threads, replies up to six deep, stances, edits, hidden and deleted ones."""
    made: list[Comment] = []
    for number in range(size):
        author = authors[number % len(authors)]
        parent = None
        if number % 4 and made:
            parent = made[-1] if number % 7 else made[number // 2]
        comment = Comment(
            section_id=section.id,
            parent_id=parent.id if parent else None,
            root_id=(parent.root_id or parent.id) if parent else None,
            author_id=author.id,
            constituency_id=author.constituency_id,
            stance=list(Stance)[number % 3] if parent is None else None,
            quote="a passage" if number % 5 == 0 else "",
            body=f"Comment number {number} with *Markdown*",
            edited_at=utcnow() if number % 9 == 0 else None,
            hidden_at=utcnow() if number % 50 == 7 else None,
            hidden_reason="off topic" if number % 50 == 7 else "",
            deleted_at=utcnow() if number % 60 == 11 else None,
        )
        db.session.add(comment)
        db.session.flush()
        if parent is None:
            comment.root_id = comment.id
        made.append(comment)
    db.session.commit()


def test_query_count_is_the_same_for_10_and_1000_comments(
    client, make_member, make_secretariat, make_section
):
    """Do the section page and the JSON API need as many queries for 1,000 comments as for 10?"""
    # More authors in the large thread, so that loading authors one by one would show.
    authors = [make_member(constituency=CONSTITUENCIES[n % 5], password=None) for n in range(40)]
    small, large = make_section(title="Small"), make_section(title="Large")
    _fill(small, authors[:3], 10)
    _fill(large, authors, 1000)
    for reader in (authors[0], make_secretariat()):
        sign_in(client, reader)
        _compare(client, small, large)


def _compare(client, small, large) -> None:
    counts = {}
    for section in (small, large):
        db.session.expire_all()
        for kind, url in (
            ("page", f"/toolkit/sections/{section.id}"),
            ("api", f"/api/sections/{section.id}/comments"),
        ):
            with counting_queries() as statements:
                response = client.get(url)
            assert response.status_code == 200
            counts[(kind, section.title)] = len(statements)
        if section is large:
            assert len(response.get_json()["comments"]) > 100

    assert counts[("page", "Small")] == counts[("page", "Large")], counts
    assert counts[("api", "Small")] == counts[("api", "Large")], counts
    # the discussion's share, and the decisions panel's (tests/decisions/test_query_count.py)
    assert counts[("page", "Large")] <= 16, counts
