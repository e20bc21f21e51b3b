"""Benchmark: serving a 1,000-comment thread, and post-to-arrival delay to 200 socket clients.

Run by hand from the repository root (Redis on 127.0.0.1:6379 for the two-process part):

    .venv/bin/python bench/comments.py [--clients 200] [--posts 20] [--requests 30]

It builds a fresh SQLite database (or uses DATABASE_URL), starts gunicorn as in production
(one worker; enough threads for every open socket, see README), seeds two threads (10 and
1,000 comments), times JSON and HTML, then connects the socket clients and times how long
a comment posted over HTTP takes to reach each of them, on one process and on two
processes sharing Redis. Figures go to standard output, ready for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from consult.accounts.models import Constituency, User  # noqa: E402
from consult.config import normalise_database_url  # noqa: E402
from consult.toolkit.models import Comment, Section, SectionStatus, Stance  # noqa: E402
from tests.live import LiveServer  # noqa: E402
from tests.toolkit.livehelpers import (  # noqa: E402
    LIVE_SECRET,
    Listener,
    browser_session,
    csrf_token,
    post_comment,
    session_cookie,
)


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(label: str, seconds: list[float]) -> str:
    """One line: median and p95 in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return (
        f"{label:<48} n={len(ms):<5} median={statistics.median(ms):8.1f} ms"
        f"  p95={percentile(ms, 0.95):8.1f} ms"
    )


def prepare_database(url: str) -> None:
    """Build the schema with the migrations."""
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "consult", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def seed(url: str, sizes: tuple[int, ...]) -> tuple[list[int], list[int]]:
    """Authors from five constituencies, one reader, and a section per thread size."""
    engine = create_engine(normalise_database_url(url))
    with Session(engine) as session:
        constituencies = []
        for position, slug in enumerate(("business", "trade-unions", "ngos", "unep", "oecd")):
            found = session.scalar(select(Constituency).where(Constituency.slug == slug))
            found = found or Constituency(slug=slug, name=slug, description="", position=position)
            constituencies.append(found)
        users = [
            User(
                email=f"bench-{uuid.uuid4().hex[:8]}@example.org",
                display_name=f"Bench member {n}",
                constituency=constituencies[n % 5],
                timezone="Europe/Paris",
            )
            for n in range(41)
        ]
        session.add_all(users)
        section_ids = []
        for size in sizes:
            section = Section(
                title=f"Bench thread of {size}", body="Text", status=SectionStatus.IN_DISCUSSION
            )
            session.add(section)
            session.flush()
            made: list[Comment] = []
            for n in range(size):
                parent = (made[-1] if n % 7 else made[n // 2]) if n % 4 and made else None
                comment = Comment(
                    section_id=section.id,
                    parent_id=parent.id if parent else None,
                    root_id=(parent.root_id or parent.id) if parent else None,
                    author=users[n % 40],
                    constituency_id=None,
                    stance=list(Stance)[n % 3] if parent is None else None,
                    body=f"Comment {n}: *Markdown* with a [link](https://www.un.org/) and a list\n\n- a\n- b",
                )
                session.add(comment)
                if n % 50 == 49 or not n % 4:
                    session.flush()
                if parent is None:
                    session.flush()
                    comment.root_id = comment.id
                made.append(comment)
            section_ids.append(section.id)
        session.commit()
        ids = [user.id for user in users]
    engine.dispose()
    return ids, section_ids


def start(env: dict[str, str], threads: int) -> LiveServer:
    """Start one gunicorn process (quietly: LiveServer leaves its log file to the collector)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        return LiveServer(env=env, threads=threads).start()


def time_gets(url: str, cookie_user: int, path: str, count: int) -> list[float]:
    """Wall time of ``count`` GET requests, one after the other."""
    http = browser_session(url, cookie_user)
    http.get(url + path, timeout=60).raise_for_status()  # warm up
    times = []
    for _ in range(count):
        began = time.perf_counter()
        response = http.get(url + path, timeout=60)
        times.append(time.perf_counter() - began)
        response.raise_for_status()
    return times


def fan_out(
    servers: list[LiveServer], reader: int, author: int, section_id: int, clients: int, posts: int
) -> tuple[list[float], list[float]]:
    """Connect ``clients`` sockets spread over ``servers``; post ``posts`` comments through the
    first; return each arrival's delay after the post began, and each POST's own duration."""
    arrivals: list[tuple[int, float]] = []
    lock = threading.Lock()
    listeners = []
    for n in range(clients):
        listener = Listener(servers[n % len(servers)].url, reader)

        def record(event, lock=lock):
            with lock:
                arrivals.append((event["comment"]["id"], time.perf_counter()))

        listener.client.on("comment", record, namespace="/toolkit")
        listener.client.connect(
            listener.base_url,
            namespaces=["/toolkit"],
            headers={"Cookie": f"session={session_cookie(reader)}"},
            transports=["websocket"],
            wait_timeout=30,
        )
        listener.join(section_id)
        listeners.append(listener)
    http = browser_session(servers[0].url, author)
    token = csrf_token(http, servers[0].url, section_id)
    started: dict[int, float] = {}
    post_times = []
    try:
        for n in range(posts):
            began = time.perf_counter()
            comment_id = post_comment(http, servers[0].url, section_id, f"Bench post {n}", token)
            post_times.append(time.perf_counter() - began)
            started[comment_id] = began
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with lock:
                    got = sum(1 for cid, _ in arrivals if cid == comment_id)
                if got >= clients:
                    break
                time.sleep(0.005)
            else:
                print(f"  warning: post {n} reached {got} of {clients} clients", file=sys.stderr)
            time.sleep(0.2)
    finally:
        for listener in listeners:
            listener.close()
    delays = [at - started[cid] for cid, at in arrivals if cid in started]
    return delays, post_times


def main() -> None:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    )
    args = parser.parse_args()
    threads = args.clients + 50  # each open socket holds one gunicorn thread in threading mode

    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'bench.sqlite3'}"
        prepare_database(url)
        users, (small, large, fan) = seed(url, (10, 1000, 0))
        reader, author = users[-1], users[0]
        env = {
            "DATABASE_URL": url,
            "SECRET_KEY": LIVE_SECRET,
            "INSTANCE_PATH": str(instance),
            "MAIL_SERVER": "",
            "MAIL_OUTBOX_DIR": str(instance / "outbox"),
            "RATELIMIT_ENABLED": "false",
            "SOCKETIO_MESSAGE_QUEUE": "",
        }
        print(
            f"# bench/comments.py  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  "
            f"cpus={os.cpu_count()}  database={url.split(':')[0]}"
        )
        server = start(env, threads)
        try:
            for label, path in (
                ("JSON, 10 comments (comparison)", f"/api/sections/{small}/comments"),
                ("JSON, 1,000 comments", f"/api/sections/{large}/comments"),
                ("HTML page, 10 comments (comparison)", f"/toolkit/sections/{small}"),
                ("HTML page, 1,000 comments", f"/toolkit/sections/{large}"),
            ):
                print(summary(label, time_gets(server.url, reader, path, args.requests)))
            page = browser_session(server.url, reader).get(
                f"{server.url}/toolkit/sections/{large}", timeout=60
            )
            size = len(page.content)
            print(f"{'HTML page size, 1,000 comments':<48} {size / 1024:.0f} KiB")
            delays, posts = fan_out([server], reader, author, fan, args.clients, args.posts)
            print(summary(f"POST comment, {args.clients} listening (1 process)", posts))
            print(summary(f"post-to-arrival, {args.clients} clients, 1 process", delays))
        finally:
            server.stop()

        (instance / "a").mkdir()
        (instance / "b").mkdir()
        channel = f"consult-bench-{uuid.uuid4().hex}"
        queue_env = {**env, "SOCKETIO_MESSAGE_QUEUE": args.redis, "SOCKETIO_CHANNEL": channel}
        first = start({**queue_env, "INSTANCE_PATH": str(instance / "a")}, threads)
        second = start({**queue_env, "INSTANCE_PATH": str(instance / "b")}, threads)
        try:
            delays, posts = fan_out([first, second], reader, author, fan, args.clients, args.posts)
            print(summary(f"POST comment, {args.clients} listening (2 processes)", posts))
            print(summary(f"post-to-arrival, {args.clients} clients, 2 processes + Redis", delays))
        finally:
            first.stop()
            second.stop()


if __name__ == "__main__":
    main()
