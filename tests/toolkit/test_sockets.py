"""Socket.IO as deployed (consult/sockets): the handshake gate, caps, malformed events, idle
sockets that do not stall pages, and access that ends in every process at once."""

from __future__ import annotations

import contextvars
import threading
import time
import uuid

import pytest
import requests
import socketio as socketio_client
import websocket
from sqlalchemy import create_engine, update

from consult.accounts.models import Role, User
from consult.config import normalise_database_url
from consult.extensions import socketio
from consult.toolkit.live import NAMESPACE
from tests.conftest import sign_in
from tests.live import LiveServer, csrf_token_in
from tests.services import require_redis
from tests.toolkit.conftest import live_env
from tests.toolkit.livehelpers import (
    Listener,
    browser_session,
    post_comment,
    seed,
    session_cookie,
)


def _socket(app, client):
    return contextvars.Context().run(
        socketio.test_client, app, namespace=NAMESPACE, flask_test_client=client
    )


@pytest.fixture
def joined(app, member_client, make_section):
    """A member's socket on the toolkit namespace, and a section it may join."""
    return _socket(app, member_client), make_section()


def test_join_and_leave_without_an_argument_answer_an_error(joined):
    """Do ``join`` and ``leave`` with no argument, or two, answer ``bad-request`` (no TypeError)?"""
    socket, _ = joined
    for event in ("join", "leave"):
        assert socket.emit(event, namespace=NAMESPACE, callback=True) == {
            "ok": False,
            "error": "bad-request",
        }
        assert socket.emit(event, {}, {}, namespace=NAMESPACE, callback=True)["ok"] is False
    assert socket.is_connected(NAMESPACE)


@pytest.mark.parametrize(
    "argument",
    [
        None,
        "nonsense",
        17,
        [1, 2],
        {},
        {"section": "abc"},
        {"section": -3},
        {"section": 10**30},
        {"section": True},
        {"section": None},
        {"section": "{id}", "last": "yesterday"},
        {"section": "{id}", "last": -1},
        {"section": "{id}", "last": [1]},
    ],
)
def test_malformed_join_arguments_answer_bad_request(joined, argument):
    """Is every malformed ``join`` answered with ``bad-request``, the socket staying usable?"""
    socket, section = joined
    if isinstance(argument, dict) and argument.get("section") == "{id}":
        argument = {**argument, "section": section.id}
    answer = socket.emit("join", argument, namespace=NAMESPACE, callback=True)
    assert answer == {"ok": False, "error": "bad-request"}
    good = socket.emit("join", {"section": section.id}, namespace=NAMESPACE, callback=True)
    assert good["ok"] is True


def test_events_beyond_the_per_socket_limit_are_refused(app, joined, make_member, monkeypatch):
    """Past ``SOCKETIO_EVENT_RATE_LIMIT``, is each event answered ``too-many-events`` without
    running, while another socket keeps its own allowance?"""
    monkeypatch.setitem(app.config, "SOCKETIO_EVENT_RATE_LIMIT", "3 per minute")
    monkeypatch.delitem(app.extensions, "consult.sockets.events", raising=False)
    socket, section = joined
    answers = [
        socket.emit("join", {"section": section.id}, namespace=NAMESPACE, callback=True)
        for _ in range(5)
    ]
    assert [a["ok"] for a in answers] == [True, True, True, False, False]
    assert answers[-1] == {"ok": False, "error": "too-many-events"}
    assert socket.emit("leave", {"section": section.id}, namespace=NAMESPACE, callback=True) == {
        "ok": False,
        "error": "too-many-events",
    }
    other = app.test_client()
    sign_in(other, make_member())
    second = _socket(app, other)
    assert second.emit("join", {"section": section.id}, namespace=NAMESPACE, callback=True)["ok"]


# Against real gunicorn processes, as the README deploys them (one gevent worker each).


def _handshake(url: str, cookie: str | None = None) -> requests.Response:
    headers = {"Cookie": f"session={cookie}"} if cookie else {}
    return requests.get(f"{url}/socket.io/?EIO=4&transport=polling", headers=headers, timeout=30)


def _websocket(url: str, cookie: str | None = None) -> websocket.WebSocket:
    """A raw Engine.IO WebSocket, opened and left idle (it answers no pings)."""
    ws = websocket.create_connection(
        url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
        cookie=f"session={cookie}" if cookie else None,
        timeout=30,
    )
    assert ws.recv().startswith("0{")  # the Engine.IO open packet
    return ws


def _watch(listener: Listener) -> threading.Event:
    """Set when the server disconnects ``listener``."""
    gone = threading.Event()
    listener.client.on("disconnect", lambda *args: gone.set(), namespace=NAMESPACE)
    return gone


@pytest.mark.live
def test_the_handshake_refuses_clients_without_a_valid_session(toolkit_server, live_database_url):
    """Is the Engine.IO handshake itself (before any namespace) refused with 401 without a
    session, with a forged one or with another site's, and granted with a member's?"""
    (member,) = seed(live_database_url, members=1).member_ids
    assert _handshake(toolkit_server.url).status_code == 401
    forged = session_cookie(member, secret="not-the-site-secret-" + "x" * 30)
    assert _handshake(toolkit_server.url, forged).status_code == 401
    assert _handshake(toolkit_server.url, session_cookie(999_999)).status_code == 401
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        _websocket(toolkit_server.url)
    assert refused.value.status_code == 401
    granted = _handshake(toolkit_server.url, session_cookie(member))
    assert granted.status_code == 200 and granted.text.startswith("0{")


@pytest.mark.live
def test_malformed_events_are_answered_by_the_live_server(toolkit_server, live_database_url):
    """Does the real server answer ``join`` and ``leave`` without or with a bad argument with an
    error, and keep serving the socket?"""
    seeded = seed(live_database_url, members=1)
    listener = Listener(toolkit_server.url, seeded.member_ids[0]).connect()
    try:
        bad = {"ok": False, "error": "bad-request"}
        assert listener.client.call("join", namespace=NAMESPACE, timeout=10) == bad
        assert listener.client.call("leave", namespace=NAMESPACE, timeout=10) == bad
        assert listener.client.call("join", "x", namespace=NAMESPACE, timeout=10) == bad
        assert listener.join(seeded.section_id)["ok"] is True
    finally:
        listener.close()


@pytest.fixture(scope="module")
def capped_server(live_database_url, tmp_path_factory):
    """A live server that allows 3 connections per address and 5 events per socket a minute."""
    instance = tmp_path_factory.mktemp("capped")
    env = live_env(
        live_database_url,
        instance,
        SOCKETIO_MAX_CONNECTIONS_PER_ADDRESS="3",
        SOCKETIO_EVENT_RATE_LIMIT="5 per minute",
    )
    server = LiveServer(env=env).start()
    yield server
    server.stop()


@pytest.mark.live
def test_connections_and_events_are_capped(capped_server, live_database_url):
    """Is a fourth connection from one address refused at the handshake (and allowed again once
    one closes), and is the sixth event of a socket answered ``too-many-events``?"""
    seeded = seed(live_database_url, members=1)
    cookie = session_cookie(seeded.member_ids[0])
    sockets = [_websocket(capped_server.url, cookie) for _ in range(3)]
    try:
        over = _handshake(capped_server.url, cookie)
        assert over.status_code == 401 and "too many connections" in over.text
        sockets.pop().close()
        deadline = time.monotonic() + 10
        while _handshake(capped_server.url, cookie).status_code != 200:
            assert time.monotonic() < deadline, "the closed socket's place was not freed"
            time.sleep(0.2)
    finally:
        for ws in sockets:
            ws.close()
    time.sleep(1)  # the polling handshakes above are let go by the server's ping timeout
    listener = Listener(capped_server.url, seeded.member_ids[0])
    deadline = time.monotonic() + 60
    while True:
        try:
            listener.connect()
            break
        except socketio_client.exceptions.ConnectionError:
            assert time.monotonic() < deadline, "the address stayed over its cap"
            listener = Listener(capped_server.url, seeded.member_ids[0])
            time.sleep(1)
    try:
        answers = [listener.join(seeded.section_id) for _ in range(6)]
        assert [a["ok"] for a in answers] == [True] * 5 + [False]
        assert answers[-1]["error"] == "too-many-events"
    finally:
        listener.close()


@pytest.mark.live
def test_idle_sockets_do_not_stall_page_loads(live_database_url, tmp_path):
    """With 100 anonymous WebSocket attempts and 300 signed-in idle sockets open (more than the
    100 threads of the former deployment), do pages still load?"""
    seeded = seed(live_database_url, members=1)
    cookie = session_cookie(seeded.member_ids[0])
    env = live_env(live_database_url, tmp_path, SOCKETIO_MAX_CONNECTIONS_PER_ADDRESS="1000")
    with LiveServer(env=env) as server:
        for _ in range(100):
            with pytest.raises(websocket.WebSocketBadStatusException):
                _websocket(server.url)
        idle = []
        try:
            for _ in range(300):
                idle.append(_websocket(server.url, cookie))
            home = requests.get(server.url + "/", timeout=30)
            assert home.status_code == 200
            page = browser_session(server.url, seeded.member_ids[0]).get(
                f"{server.url}/toolkit/sections/{seeded.section_id}", timeout=30
            )
            assert page.status_code == 200 and "Live section" in page.text
        finally:
            for ws in idle:
                ws.close()


@pytest.fixture
def two_processes(live_database_url, tmp_path):
    """Two live servers sharing live events through Redis."""
    redis_url = require_redis()
    env = {
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SOCKETIO_CHANNEL": f"consult-sockets-test-{uuid.uuid4().hex}",
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = LiveServer(env=live_env(live_database_url, tmp_path / "a", **env)).start()
    try:
        second = LiveServer(env=live_env(live_database_url, tmp_path / "b", **env)).start()
    except Exception:
        first.stop()
        raise
    yield first, second
    first.stop()
    second.stop()


def _form_token(http: requests.Session, url: str) -> str:
    page = http.get(url, timeout=30)
    page.raise_for_status()
    token = csrf_token_in(page.text)
    assert token, url
    return token


@pytest.mark.live
def test_signing_out_disconnects_sockets_held_by_another_process(two_processes, live_database_url):
    """When a member signs out through one process, is their socket on the other process
    disconnected at once, does it hear no more comments, and does a copy of their cookie stop
    working there, while another member's socket keeps listening?"""
    first, second = two_processes
    seeded = seed(live_database_url, members=2)
    leaving, staying = seeded.member_ids
    reader = Listener(second.url, leaving).connect()
    gone = _watch(reader)
    bystander = Listener(second.url, staying).connect()
    try:
        assert reader.join(seeded.section_id)["ok"] and bystander.join(seeded.section_id)["ok"]
        http = browser_session(first.url, leaving)
        token = _form_token(http, f"{first.url}/toolkit/sections/{seeded.section_id}")
        signed_out = http.post(
            f"{first.url}/sign-out", data={"csrf_token": token}, allow_redirects=False, timeout=30
        )
        assert signed_out.status_code == 302
        assert gone.wait(10), "the socket on the other process was not disconnected"

        author = browser_session(first.url, staying)
        comment_id = post_comment(author, first.url, seeded.section_id, "After the sign-out")
        assert bystander.next_event()["comment"]["id"] == comment_id
        assert reader.events.empty()

        copy = browser_session(second.url, leaving)
        assert copy.get(f"{second.url}/dashboard", allow_redirects=False).status_code == 302
        assert _handshake(second.url, session_cookie(leaving)).status_code == 401
    finally:
        reader.close()
        bystander.close()


@pytest.mark.live
def test_deactivation_disconnects_sockets_held_by_another_process(two_processes, live_database_url):
    """When the Secretariat deactivates a member through one process, is the member's socket on
    the other process disconnected at once?"""
    first, second = two_processes
    seeded = seed(live_database_url, members=2)
    member, officer = seeded.member_ids
    engine = create_engine(normalise_database_url(live_database_url))
    with engine.begin() as connection:
        connection.execute(update(User).where(User.id == officer).values(role=Role.SECRETARIAT))
    engine.dispose()
    listener = Listener(second.url, member).connect()
    gone = _watch(listener)
    try:
        assert listener.join(seeded.section_id)["ok"]
        admin = browser_session(first.url, officer)
        token = _form_token(admin, f"{first.url}/members")
        answer = admin.post(
            f"{first.url}/members/{member}/deactivate",
            data={"csrf_token": token},
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 303
        assert gone.wait(10), "the socket on the other process was not disconnected"
    finally:
        listener.close()
