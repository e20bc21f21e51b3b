"""Live updates: Socket.IO rooms per section, numbered events, catch-up, several processes."""

from __future__ import annotations

import uuid

import pytest

from consult.extensions import db, socketio
from consult.toolkit.live import NAMESPACE
from tests.conftest import sign_in
from tests.live import LiveServer
from tests.services import require_redis
from tests.toolkit.conftest import live_env
from tests.toolkit.livehelpers import Listener, browser_session, post_comment, seed


def _socket(app, client):
    return socketio.test_client(app, namespace=NAMESPACE, flask_test_client=client)


def _events(socket_client) -> list[dict]:
    return [m["args"][0] for m in socket_client.get_received(NAMESPACE) if m["name"] == "comment"]


def test_anonymous_sockets_are_refused(app, client):
    """Is a socket without a signed-in session refused at connect?"""
    socket_client = _socket(app, client)
    assert not socket_client.is_connected(NAMESPACE)


def test_joining_an_unknown_section_is_refused(app, member_client):
    """Is joining a room of a section that does not exist refused?"""
    socket_client = _socket(app, member_client)
    assert socket_client.is_connected(NAMESPACE)
    answer = socket_client.emit("join", {"section": 999999}, namespace=NAMESPACE, callback=True)
    assert answer == {"ok": False, "error": "forbidden"}
    answer = socket_client.emit("join", "nonsense", namespace=NAMESPACE, callback=True)
    assert answer["ok"] is False
    socket_client.disconnect(NAMESPACE)


def test_changes_reach_the_room_with_increasing_ids(
    app, client, make_member, make_secretariat, make_section
):
    """Do new, edited, hidden, resolved and deleted comments reach a joined socket, numbered 1, 2, 3 ...?"""
    section, other_section = make_section(), make_section()
    member, officer = make_member(), make_secretariat()
    listener_http = app.test_client()
    sign_in(listener_http, make_member())
    socket_client = _socket(app, listener_http)
    answer = socket_client.emit(
        "join", {"section": section.id, "last": 0}, namespace=NAMESPACE, callback=True
    )
    assert answer == {"ok": True, "seq": 0, "events": []}

    sign_in(client, member)
    client.post(f"/toolkit/sections/{section.id}/comments", data={"body": "Hello *room*"})
    client.post(f"/toolkit/sections/{other_section.id}/comments", data={"body": "Elsewhere"})
    (created,) = _events(socket_client)
    assert created["seq"] == 1 and created["kind"] == "created"
    comment_id = created["comment"]["id"]
    assert "<p>Hello <em>room</em></p>" in created["html"]
    client.post(f"/toolkit/comments/{comment_id}/edit", data={"body": "Hello again"})
    sign_in(client, officer)
    client.post(f"/toolkit/comments/{comment_id}/hide", data={"reason": "Duplicate"})
    client.post(f"/toolkit/comments/{comment_id}/resolve")
    events = _events(socket_client)
    assert [(e["seq"], e["kind"]) for e in events] == [
        (2, "edited"),
        (3, "hidden"),
        (4, "resolved"),
    ]
    hidden = events[1]
    assert hidden["comment"]["state"] == "hidden"
    assert "Hello again" not in hidden["html"] and 'data-reason="Duplicate"' in hidden["html"]
    socket_client.disconnect(NAMESPACE)


def test_reconnecting_client_catches_up_with_nothing_missed(
    app, member_client, make_section, make_comment
):
    """Does a client that comes back with its last id get exactly the events it missed?"""
    section = make_section()
    first = _socket(app, member_client)
    first.emit("join", {"section": section.id, "last": 0}, namespace=NAMESPACE, callback=True)
    make_comment(section, member_client.user, "one")
    seen = [e["seq"] for e in _events(first)]
    first.disconnect(NAMESPACE)
    for text in ("two", "three", "four"):
        make_comment(section, member_client.user, text)

    again = _socket(app, member_client)
    answer = again.emit(
        "join", {"section": section.id, "last": seen[-1]}, namespace=NAMESPACE, callback=True
    )
    seen += [e["seq"] for e in answer["events"]]
    assert [
        e["html"].count(f"<p>{text}</p>")
        for e, text in zip(answer["events"], ("two", "three", "four"), strict=True)
    ] == [1, 1, 1]
    make_comment(section, member_client.user, "five")
    seen += [e["seq"] for e in _events(again)]
    assert seen == [1, 2, 3, 4, 5]
    again.disconnect(NAMESPACE)


@pytest.mark.live
def test_real_socketio_client_against_a_live_server(toolkit_server, live_database_url):
    """Does a real python-socketio client, signed in by cookie, hear a comment posted over HTTP?"""
    seeded = seed(live_database_url)
    author, reader = seeded.member_ids
    listener = Listener(toolkit_server.url, reader).connect()
    try:
        assert listener.join(seeded.section_id)["ok"] is True
        http = browser_session(toolkit_server.url, author)
        comment_id = post_comment(http, toolkit_server.url, seeded.section_id, "Posted over HTTP")
        event = listener.next_event()
        assert event["seq"] == 1 and event["comment"]["id"] == comment_id
        assert event["comment"]["author"].startswith("Live member")
    finally:
        listener.close()


@pytest.mark.live
def test_live_server_refuses_sockets_without_a_session(toolkit_server):
    """Is a real client without a session cookie refused by the live server?"""
    import socketio as socketio_client

    client = socketio_client.Client(reconnection=False)
    with pytest.raises(socketio_client.exceptions.ConnectionError):
        client.connect(
            toolkit_server.url, namespaces=[NAMESPACE], transports=["websocket"], wait_timeout=5
        )
    client.disconnect()


@pytest.mark.live
def test_catch_up_after_a_dropped_connection_on_a_live_server(toolkit_server, live_database_url):
    """After a dropped connection, does a client get what it missed, then the live events, without gaps?"""
    seeded = seed(live_database_url)
    author, reader = seeded.member_ids
    http = browser_session(toolkit_server.url, author)
    listener = Listener(toolkit_server.url, reader).connect()
    listener.join(seeded.section_id)
    post_comment(http, toolkit_server.url, seeded.section_id, "before the drop")
    seen = [listener.next_event()["seq"]]
    listener.close()
    for text in ("while away 1", "while away 2"):
        post_comment(http, toolkit_server.url, seeded.section_id, text)

    back = Listener(toolkit_server.url, reader).connect()
    try:
        answer = back.join(seeded.section_id, last=seen[-1])
        seen += [e["seq"] for e in answer["events"]]
        post_comment(http, toolkit_server.url, seeded.section_id, "after the return")
        seen.append(back.next_event()["seq"])
        assert seen == [1, 2, 3, 4]
    finally:
        back.close()


@pytest.mark.live
def test_two_processes_share_events_through_redis(live_database_url, tmp_path):
    """Does a comment posted through one process reach a client of another, through Redis?"""
    redis_url = require_redis()
    channel = f"consult-toolkit-test-{uuid.uuid4().hex}"
    env = {"SOCKETIO_MESSAGE_QUEUE": redis_url, "SOCKETIO_CHANNEL": channel}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = LiveServer(env=live_env(live_database_url, tmp_path / "a", **env)).start()
    try:
        second = LiveServer(env=live_env(live_database_url, tmp_path / "b", **env)).start()
    except Exception:
        first.stop()
        raise
    try:
        assert first.port != second.port
        seeded = seed(live_database_url)
        author, reader = seeded.member_ids
        listener = Listener(second.url, reader).connect()
        try:
            listener.join(seeded.section_id)
            http = browser_session(first.url, author)
            comment_id = post_comment(http, first.url, seeded.section_id, "Through Redis")
            event = listener.next_event()
            assert event["comment"]["id"] == comment_id and event["seq"] == 1
        finally:
            listener.close()
    finally:
        first.stop()
        second.stop()


def test_a_deactivated_member_rejoining_is_refused(app, make_member, make_section):
    """When a member loses access, is their next join refused (so the page stops listening)?"""
    member = make_member()
    section = make_section()
    client = app.test_client()
    sign_in(client, member)
    socket = socketio.test_client(app, namespace="/toolkit", flask_test_client=client)
    assert socket.emit(
        "join", {"section": section.id, "last": 0}, namespace="/toolkit", callback=True
    )["ok"]
    member.active = False
    db.session.commit()
    answer = socket.emit(
        "join", {"section": section.id, "last": 0}, namespace="/toolkit", callback=True
    )
    assert answer == {"ok": False, "error": "forbidden"}
    huge = socket.emit(
        "join", {"section": 10**30, "last": 10**30}, namespace="/toolkit", callback=True
    )
    assert huge["ok"] is False
    socket.disconnect(namespace="/toolkit")
