"""Comments: threads of any depth, edits with history, deletion, hiding and resolving."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.extensions import db
from consult.toolkit import threads
from consult.toolkit.models import Comment, Stance
from tests.conftest import sign_in


def _articles(html: str) -> list[tuple[int, int]]:
    """(comment id, display depth) of each comment on a page, in order."""
    return [
        (int(cid), int(depth))
        for depth, cid in re.findall(r'class="comment depth-(\d+)[^"]*" id="comment-(\d+)"', html)
    ]


def test_replies_nest_to_any_depth_and_display_flat_below_the_cap(
    member_client, make_section, make_comment
):
    """Is a chain of replies indented up to the cap, then shown flat under the deepest indent?"""
    section = make_section()
    chain = [make_comment(section, member_client.user, "Level 0")]
    for level in range(1, 8):
        chain.append(make_comment(section, member_client.user, f"Level {level}", parent=chain[-1]))
    other = make_comment(section, member_client.user, "Second thread")
    roots = threads.build_tree(threads.load_comments(section.id))
    assert [n.depth for n in threads.flatten(roots)] == [0, 1, 2, 3, 4, 5, 6, 7, 0]

    html = member_client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    cap = threads.MAX_DISPLAY_DEPTH
    expected = [(c.id, min(i, cap)) for i, c in enumerate(chain)] + [(other.id, 0)]
    assert _articles(html) == expected
    assert html.count('class="in-reply"') == len(chain) - 1 - cap


def test_posting_a_comment_and_a_reply_through_forms(member_client, make_section, csrf):
    """Do the plain HTML forms (with CSRF) post a comment with stance and quote, and a reply?"""
    section = make_section(body="The toolkit covers VIAs.")
    page = f"/toolkit/sections/{section.id}"
    token = csrf(member_client, page)
    response = member_client.post(
        f"{page}/comments",
        data={
            "csrf_token": token,
            "body": "I **support** this.",
            "stance": "support",
            "quote": "covers VIAs",
        },
    )
    assert response.status_code == 303
    comment = db.session.scalar(select(Comment).where(Comment.section_id == section.id))
    assert comment.stance is Stance.SUPPORT and comment.quote == "covers VIAs"
    assert comment.constituency_id == member_client.user.constituency_id
    reply = member_client.post(
        f"{page}/comments",
        data={
            "csrf_token": token,
            "body": "A reply",
            "parent_id": str(comment.id),
            "stance": "objection",
        },
    )
    assert reply.status_code == 303
    answer = db.session.scalar(select(Comment).where(Comment.parent_id == comment.id))
    assert answer.stance is None and answer.root_id == comment.id
    html = member_client.get(page).get_data(as_text=True)
    assert "<strong>support</strong>" in html and "covers VIAs" in html
    assert "(<bdi>NGOs</bdi>)" in html
    without_token = member_client.post(f"{page}/comments", data={"body": "no token"})
    assert without_token.status_code == 400


def test_empty_comment_is_refused_with_a_message(member_client, make_section):
    """Is an empty comment sent back with status 422 and a message next to the field?"""
    section = make_section()
    response = member_client.post(f"/toolkit/sections/{section.id}/comments", data={"body": ""})
    assert response.status_code == 422
    assert "This field is required" in response.get_data(as_text=True)


def test_author_edits_and_earlier_text_is_kept(member_client, make_section, make_comment):
    """Does an edit show as edited and keep the earlier text in the comment's history?"""
    section = make_section()
    comment = make_comment(section, member_client.user, "First wording")
    response = member_client.post(
        f"/toolkit/comments/{comment.id}/edit", data={"body": "Second wording"}
    )
    assert response.status_code == 303
    member_client.post(f"/toolkit/comments/{comment.id}/edit", data={"body": "Third wording"})
    page = member_client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "Third wording" in page and "First wording" not in page and ">edited<" in page
    history = member_client.get(f"/toolkit/comments/{comment.id}/history").get_data(as_text=True)
    assert (
        history.index("Third wording")
        < history.index("Second wording")
        < history.index("First wording")
    )


def test_only_the_author_edits_or_deletes(client, make_member, make_section, make_comment):
    """Is another member refused editing or deleting someone else's comment?"""
    section = make_section()
    author, other = make_member(), make_member()
    comment = make_comment(section, author, "Mine")
    sign_in(client, other)
    assert client.get(f"/toolkit/comments/{comment.id}/edit").status_code == 403
    assert (
        client.post(f"/toolkit/comments/{comment.id}/edit", data={"body": "x"}).status_code == 403
    )
    assert client.post(f"/toolkit/comments/{comment.id}/delete").status_code == 403
    db.session.refresh(comment)
    assert comment.body == "Mine" and comment.deleted_at is None


def test_deleted_comment_with_replies_stays_as_deleted(
    member_client, make_member, make_section, make_comment
):
    """Does a deleted comment with replies show as deleted and keep its replies, and one without vanish?"""
    section = make_section()
    parent = make_comment(section, member_client.user, "Parent text")
    make_comment(section, make_member(), "Reply text", parent=parent)
    lonely = make_comment(section, member_client.user, "Lonely text")
    member_client.post(f"/toolkit/comments/{parent.id}/delete")
    member_client.post(f"/toolkit/comments/{lonely.id}/delete")
    html = member_client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "Parent text" not in html and "This comment was deleted by its author." in html
    assert "Reply text" in html
    assert "Lonely text" not in html and f'id="comment-{lonely.id}"' not in html


def test_secretariat_hides_with_a_reason(
    client, make_member, make_secretariat, make_section, make_comment
):
    """Do members see the reason instead of a hidden comment, and the Secretariat both?"""
    section = make_section()
    member, officer = make_member(), make_secretariat()
    comment = make_comment(section, member, "Something out of order")
    sign_in(client, member)
    assert (
        client.post(f"/toolkit/comments/{comment.id}/hide", data={"reason": "x"}).status_code == 403
    )
    sign_in(client, officer)
    assert (
        client.post(f"/toolkit/comments/{comment.id}/hide", data={"reason": ""}).status_code == 422
    )
    client.post(f"/toolkit/comments/{comment.id}/hide", data={"reason": "Personal remarks"})
    html = client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "Something out of order" in html and "Personal remarks" in html
    sign_in(client, member)
    html = client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "Something out of order" not in html
    assert "Hidden by the Secretariat: Personal remarks" in html
    api = client.get(f"/api/sections/{section.id}/comments").get_json()
    assert api["comments"][0]["state"] == "hidden" and api["comments"][0]["body"] == ""
    assert client.get(f"/toolkit/comments/{comment.id}/history").status_code == 404
    sign_in(client, officer)
    client.post(f"/toolkit/comments/{comment.id}/unhide")
    sign_in(client, member)
    assert "Something out of order" in client.get(f"/toolkit/sections/{section.id}").get_data(
        as_text=True
    )


def test_secretariat_resolves_and_reopens_threads(
    client, make_member, make_secretariat, make_section, make_comment
):
    """Can the Secretariat, and only the Secretariat, resolve a thread and reopen it?"""
    section = make_section()
    member, officer = make_member(), make_secretariat()
    root = make_comment(section, member, "Open question")
    reply = make_comment(section, member, "Answer", parent=root)
    sign_in(client, member)
    assert client.post(f"/toolkit/comments/{root.id}/resolve").status_code == 403
    sign_in(client, officer)
    assert client.post(f"/toolkit/comments/{reply.id}/resolve").status_code == 400
    client.post(f"/toolkit/comments/{root.id}/resolve")
    assert "Thread resolved" in client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    db.session.refresh(root)
    assert root.resolved_at is not None
    client.post(f"/toolkit/comments/{root.id}/reopen")
    db.session.refresh(root)
    assert root.resolved_at is None


def test_anonymous_visitors_cannot_read_or_post_the_discussion(
    client, make_section, make_member, make_comment
):
    """Are visitors kept out of the discussion, even of a published section?"""
    section = make_section(published=True)
    comment = make_comment(section, make_member(), "Members' remark")
    assert "Members' remark" not in client.get(f"/toolkit/sections/{section.id}").get_data(
        as_text=True
    )
    assert (
        client.post(f"/toolkit/sections/{section.id}/comments", data={"body": "x"}).status_code
        == 302
    )
    assert client.get(f"/api/sections/{section.id}/comments").status_code == 401
    assert client.get(f"/toolkit/sections/{section.id}/thread").status_code == 302
    assert client.get(f"/toolkit/comments/{comment.id}/reply").status_code == 302


def test_comment_markdown_is_sanitised_on_the_page(member_client, make_section, make_comment):
    """Is a script in a comment neutralised on the page and in the API?"""
    section = make_section()
    make_comment(
        section, member_client.user, "<img src=x onerror=alert(1)> [x](javascript:alert(1))"
    )
    html = member_client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    assert "<img src=x" not in html and 'href="javascript:' not in html
    data = member_client.get(f"/api/sections/{section.id}/comments").get_json()
    assert "<img" not in data["comments"][0]["body_html"]


def test_api_returns_the_nested_thread(member_client, make_section, make_comment):
    """Does the API nest replies under their parents?"""
    section = make_section()
    root = make_comment(section, member_client.user, "Root", stance=Stance.CONCERN)
    child = make_comment(section, member_client.user, "Child", parent=root)
    make_comment(section, member_client.user, "Grandchild", parent=child)
    data = member_client.get(f"/api/sections/{section.id}/comments").get_json()
    assert data["section"]["id"] == section.id and data["unresolved"] == 1
    (top,) = data["comments"]
    assert top["stance"] == "concern" and top["constituency"]["slug"] == "ngos"
    assert top["replies"][0]["body"] == "Child"
    assert top["replies"][0]["replies"][0]["body"] == "Grandchild"
    assert member_client.get("/api/sections/999999/comments").status_code == 404
