"""What a live event carries: the change itself (ids and one rendered node), built once, for everyone."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from consult.extensions import db, socketio
from consult.toolkit.live import NAMESPACE
from consult.toolkit.models import LiveEvent
from tests.conftest import sign_in
from tests.queries import counting_queries


def _listen(app, user, section):
    http = app.test_client()
    sign_in(http, user)
    socket = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=http)
    answer = socket.emit(
        "join", {"section": section.id, "last": 0}, namespace=NAMESPACE, callback=True
    )
    assert answer["ok"]
    return socket


def _events(socket) -> list[dict]:
    return [m["args"][0] for m in socket.get_received(NAMESPACE) if m["name"] == "comment"]


def _post(client, section, body, **extra):
    answer = client.post(
        f"/toolkit/sections/{section.id}/comments",
        data={"body": body, **extra},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def test_a_new_comment_arrives_as_its_own_node_the_same_for_every_member(
    app, client, make_member, make_section
):
    """Does a new comment reach the room as ids plus one rendered node, in no reader's language?"""
    section = make_section()
    author, reader = make_member(name="Ama Mensah"), make_member()
    socket = _listen(app, reader, section)
    sign_in(client, author)
    answer = _post(client, section, "Case studies *first*", stance="support", quote="Para 2")
    (event,) = _events(socket)
    assert answer == {"ok": True, "comment": event["comment"]["id"], "seq": 1}
    assert event["seq"] == 1 and event["kind"] == "created" and event["section_id"] == section.id
    assert event["comment"] == {
        "id": answer["comment"],
        "parent_id": None,
        "root_id": answer["comment"],
        "author_id": author.id,
        "author": "Ama Mensah",
        "state": "visible",
    }
    html = event["html"]
    assert html.startswith(
        f'<article class="comment depth-0 state-visible" id="comment-{answer["comment"]}"'
    )
    assert "<em>first</em>" in html and "Para 2" in html and "Ama Mensah" in html
    assert 'class="stance stance-support"><span data-t="stance_support"></span>' in html
    # the interface words, the time and the actions are the reader's page's business
    assert ">Reply<" not in html and '<span data-t="reply"></span>' in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" data-local></time>', html)
    assert 'data-for="author"' in html and 'data-for="secretariat"' in html
    assert 'name="csrf_token" value="" data-csrf' in html
    stored = db.session.scalar(select(LiveEvent).where(LiveEvent.section_id == section.id))
    assert stored.payload == event
    socket.disconnect(NAMESPACE)


def test_the_payload_is_built_before_the_commit_without_reading_the_comment_again(
    app, client, make_member, make_section, make_comment, monkeypatch
):
    """Does posting read nothing back after the commit, and leave the e-mails to a job?"""
    from consult.toolkit import notifications

    section = make_section()
    author = make_member()
    make_comment(section, author, "warm up")
    asked: list[tuple] = []
    monkeypatch.setattr(notifications.jobs, "enqueue", lambda *args: asked.append(args))
    sign_in(client, author)
    with counting_queries() as statements:
        answer = _post(client, section, "Counted")
    statements = [s for s in statements if "SAVEPOINT" not in s]  # the tests' transaction
    inserted = [
        i for i, s in enumerate(statements) if s.startswith("INSERT INTO toolkit_live_events")
    ]
    assert len(inserted) == 1
    assert statements[inserted[0] + 1 :] == []  # nothing read back after the commit
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in reads if "FROM toolkit_comments" in s], reads
    assert not [s for s in reads if "users.active IS" in s], reads
    assert len([s for s in reads if "FROM constituencies" in s]) <= 1, reads  # the author's
    assert asked == [(notifications.NOTIFY_JOB, answer["comment"], False)]


def test_a_reply_carries_its_parent_so_the_page_can_place_it(
    app, client, make_member, make_section, make_comment
):
    """Does a reply's event name its parent and thread?"""
    section = make_section()
    first, second = make_member(), make_member()
    top = make_comment(section, first, "Top")
    socket = _listen(app, first, section)
    sign_in(client, second)
    answer = _post(client, section, "Below", parent_id=str(top.id))
    (event,) = _events(socket)
    assert event["comment"]["parent_id"] == top.id and event["comment"]["root_id"] == top.id
    assert f'data-parent="{top.id}"' in event["html"]
    assert f'href="#comment-{top.id}"' in event["html"]  # "in reply to", shown past the indent cap
    assert answer["comment"] == event["comment"]["id"]
    socket.disconnect(NAMESPACE)


def test_edit_hide_show_resolve_and_delete_each_carry_the_node_as_it_now_is(
    app, client, make_member, make_secretariat, make_section, make_comment
):
    """Does each change carry the new node, with a hidden comment's text left out?"""
    section = make_section()
    author, officer = make_member(name="Jun Li"), make_secretariat()
    comment = make_comment(section, author, "First words")
    socket = _listen(app, make_member(), section)
    sign_in(client, author)
    client.post(f"/toolkit/comments/{comment.id}/edit", data={"body": "Second words"})
    sign_in(client, officer)
    client.post(f"/toolkit/comments/{comment.id}/hide", data={"reason": "Off topic"})
    client.post(f"/toolkit/comments/{comment.id}/unhide")
    client.post(f"/toolkit/comments/{comment.id}/resolve")
    client.post(f"/toolkit/comments/{comment.id}/reopen")
    sign_in(client, author)
    client.post(f"/toolkit/comments/{comment.id}/delete")
    events = _events(socket)
    assert [(e["seq"], e["kind"], e["comment"]["state"]) for e in events] == [
        (2, "edited", "visible"),
        (3, "hidden", "hidden"),
        (4, "shown", "visible"),
        (5, "resolved", "visible"),
        (6, "reopened", "visible"),
        (7, "deleted", "deleted"),
    ]
    edited, hidden, shown, resolved, reopened, deleted = (e["html"] for e in events)
    assert "Second words" in edited and '<span data-t="edited"></span>' in edited
    assert "words" not in hidden and 'data-reason="Off topic"' in hidden
    assert "Second words" in shown
    assert "is-resolved" in resolved and '<span data-t="reopen"></span>' in resolved
    assert "is-resolved" not in reopened and '<span data-t="resolve"></span>' in reopened
    assert "Second words" not in deleted and "Jun Li" not in deleted
    # "Deleted comment", its text, "Reply", and the Secretariat's "Mark thread resolved"
    assert deleted.count("<span data-t=") == 4
    assert events[-1]["comment"]["author"] is None
    socket.disconnect(NAMESPACE)


def test_catching_up_never_replays_a_text_hidden_since(
    app, client, make_member, make_secretariat, make_section, make_comment
):
    """Does a page that missed a comment and its hiding get the node without the text?"""
    section = make_section()
    comment = make_comment(section, make_member(), "Regrettable words")
    sign_in(client, make_secretariat())
    client.post(f"/toolkit/comments/{comment.id}/hide", data={"reason": "Personal remark"})
    reader = app.test_client()
    sign_in(reader, make_member())
    socket = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=reader)
    answer = socket.emit(
        "join", {"section": section.id, "last": 0}, namespace=NAMESPACE, callback=True
    )
    assert [(e["seq"], e["kind"]) for e in answer["events"]] == [(1, "created"), (2, "hidden")]
    assert not [e for e in answer["events"] if "Regrettable" in e["html"]]
    assert answer["seq"] == 2
    socket.disconnect(NAMESPACE)


def test_the_secretariat_reads_a_hidden_comment_through_its_node(
    app, client, make_member, make_secretariat, make_section, make_comment
):
    """Does the node address give the Secretariat the hidden text and members only the reason?"""
    section = make_section()
    author = make_member()
    comment = make_comment(section, author, "Regrettable words")
    sign_in(client, make_secretariat())
    client.post(f"/toolkit/comments/{comment.id}/hide", data={"reason": "Personal remark"})
    node = client.get(f"/toolkit/comments/{comment.id}/node").get_data(as_text=True)
    assert "Regrettable words" in node and "Show again" in node
    assert "Hidden from members by the Secretariat: Personal remark" in node
    sign_in(client, author)
    node = client.get(f"/toolkit/comments/{comment.id}/node").get_data(as_text=True)
    assert "Regrettable words" not in node and "Hidden by the Secretariat: Personal remark" in node
    assert client.get("/toolkit/comments/999999/node").status_code == 404
    client.post("/sign-out")
    assert client.get(f"/toolkit/comments/{comment.id}/node").status_code in (302, 401)


def test_the_page_gives_its_script_the_readers_words_zone_and_rights(
    app, client, make_member, make_section
):
    """Does the section page hand the script the interface words in the reader's language?"""
    section = make_section()
    member = make_member(language="fr", timezone="Africa/Nairobi")
    sign_in(client, member)
    page = client.get(f"/toolkit/sections/{section.id}").get_data(as_text=True)
    raw = re.search(r'data-live-settings="([^"]+)"', page).group(1)
    settings = json.loads(raw.replace("&#34;", '"').replace("&amp;", "&"))
    assert settings["user"] == member.id and settings["secretariat"] is False
    assert settings["zone"] == "Africa/Nairobi" and settings["locale"] == "fr"
    assert settings["strings"]["reply"] == "Répondre"
    assert "%(reason)s" in settings["strings"]["hidden_member"]
    assert settings["nodeUrl"] == "/toolkit/comments"
