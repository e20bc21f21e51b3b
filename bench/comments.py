"""Benchmark: live comments as the README deploys Consult, beside bare Flask-SocketIO.

Run by hand from the repository root (Redis on 127.0.0.1:6379 for the two-process part;
PostgreSQL through DATABASE_URL, else a fresh SQLite file; jobs in Redis, as deployed):

    .venv/bin/python bench/comments.py [--quick]

Both servers run as the README deploys Consult: ``gunicorn -k gevent -w 1`` (Consult with the
settings of a live test; the bare server is ``bench/bare_socketio.py``: no sign-in, one row
inserted and committed in the same database, then a message of the same size emitted). The clients are ``bench/crowd.py``: raw
WebSockets joined to one section's room, read by one thread. In the same run:

1. post-to-arrival at 200 clients, 10 posts a second, and at 500 clients, 1 post a second,
   on Consult and on the bare server: each post timed from the start of its HTTP POST to its
   arrival at each client; every delivery is waited for up to 30 s after the last post, the
   rest counted as lost;
2. the same at 500 clients on two Consult processes sharing Redis (posts through the first,
   clients spread over both), beside one bare process;
3. server CPU per post with 200 open pages: "before", each page fetching the thread again on
   every event as the old page did (``GET /toolkit/sections/<id>/thread``), and "after", the
   event applied as it is;
4. ``GET /`` with 1,000 idle sockets open (signed in, joined), and with none before and after.

The output ends with one line:
``fanout_p95_ratio_200=<Consult/bare> fanout_p95_ratio_500=<Consult/bare> lost=<n>
idle_get_p95_ratio=<with/without idle sockets>``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.crowd import Crowd  # noqa: E402
from consult.accounts.models import Constituency, User  # noqa: E402
from consult.config import normalise_database_url  # noqa: E402
from consult.toolkit.models import Comment, Section, SectionStatus, Stance  # noqa: E402
from tests.live import LiveServer  # noqa: E402
from tests.toolkit.livehelpers import LIVE_SECRET, csrf_token, session_cookie  # noqa: E402

_runs = itertools.count(1)


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(label: str, seconds: list[float]) -> str:
    """One line: count, median and p95 in milliseconds."""
    if not seconds:
        return f"{label:<58} n=0"
    ms = [s * 1000 for s in seconds]
    return (
        f"{label:<58} n={len(ms):<6} median={statistics.median(ms):8.1f} ms"
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


def seed(url: str, comments: int) -> tuple[list[int], int]:
    """Authors from five constituencies, one reader, and a section holding ``comments``."""
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
        section = Section(
            title=f"Bench thread of {comments}", body="Text", status=SectionStatus.IN_DISCUSSION
        )
        session.add(section)
        session.flush()
        made: list[Comment] = []
        for n in range(comments):
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
            session.flush()
            if parent is None:
                comment.root_id = comment.id
            made.append(comment)
        session.commit()
        ids, section_id = [user.id for user in users], section.id
    engine.dispose()
    return ids, section_id


_started: list[LiveServer] = []


def start(env: dict[str, str], **options: object) -> LiveServer:
    """Start one gunicorn process (quietly: LiveServer leaves its log file to the collector)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        server = LiveServer(env=env, connections=4000, **options).start(timeout=60)
    _started.append(server)
    return server


def print_logs() -> None:
    """The end of every server's log (on a failure, before the temporary folder goes)."""
    for server in _started:
        if server.log_path and server.log_path.exists():
            tail = server.log_path.read_text(errors="replace")[-3000:]
            print(f"--- {server.log_path.name} ---\n{tail}", file=sys.stderr)


def worker_cpu(server: LiveServer) -> float:
    """CPU seconds (user + system) used so far by the server's gunicorn worker."""
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    fields = Path(f"/proc/{children[0]}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Target:
    """A server to post to: Consult's comment form, or the bare server's ``/send``."""

    name: str
    url: str
    section_id: int
    cookie: str | None
    post: Callable[[requests.Session, str], None]
    prepare: Callable[[requests.Session], None] = lambda http: None
    sessions: threading.local = field(default_factory=threading.local)

    def http(self) -> requests.Session:
        """This thread's HTTP session, signed in and holding its CSRF token."""
        if not hasattr(self.sessions, "http"):
            http = requests.Session()
            if self.cookie:
                http.cookies.set("session", self.cookie, domain="127.0.0.1", path="/")
            self.prepare(http)
            self.sessions.http = http
        return self.sessions.http


def consult_target(url: str, section_id: int, author: int) -> Target:
    """Posting a comment through the section page's form, as a member."""
    tokens: dict[int, str] = {}

    def prepare(http: requests.Session) -> None:
        tokens[id(http)] = csrf_token(http, url, section_id)

    def post(http: requests.Session, body: str) -> None:
        response = http.post(
            f"{url}/toolkit/sections/{section_id}/comments",
            data={"csrf_token": tokens[id(http)], "body": body},
            headers={"Accept": "application/json", "Connection": "close"},
            timeout=60,
        )
        response.raise_for_status()

    return Target("consult", url, section_id, session_cookie(author), post, prepare)


def bare_target(url: str, section_id: int, size: int) -> Target:
    """Posting to the bare server, which emits a message of about ``size`` bytes."""

    def post(http: requests.Session, body: str) -> None:
        html = f"<article><p>{body}</p>" + "x" * max(0, size - len(body) - 160) + "</article>"
        response = http.post(
            f"{url}/send",
            data={"section": section_id, "html": html},
            headers={"Connection": "close"},
            timeout=60,
        )
        response.raise_for_status()

    return Target("bare", url, section_id, None, post)


@dataclass
class Result:
    """One fan-out run."""

    delays: list[float]
    posts: list[float]
    lost: int
    cpu_per_post: float


def fan_out(
    target: Target,
    crowds: list[Crowd],
    posts: int,
    rate: float,
    cpu_of: LiveServer | None = None,
    refetches: Callable[[], int] | None = None,
    patience: float = 30,
) -> Result:
    """Post ``posts`` comments at ``rate`` a second (without waiting for one to arrive before
    the next); wait up to ``patience`` seconds after the last for every delivery (and every
    one of ``refetches``)."""
    run = next(_runs)
    clients = sum(crowd.size for crowd in crowds)
    began: dict[int, float] = {}
    post_times: list[float] = []
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda _: target.http(), range(16)))  # sign in and fetch tokens first
        cpu_before = worker_cpu(cpu_of) if cpu_of else 0.0
        start = time.perf_counter() + 0.2

        def one(n: int) -> None:
            time.sleep(max(0.0, start + n / rate - time.perf_counter()))
            began[n] = time.perf_counter()
            target.post(target.http(), f"benchpost{run}x{n} from the bench")
            post_times.append(time.perf_counter() - began[n])

        list(pool.map(one, range(posts)))
    deadline = time.monotonic() + patience
    expected = clients * posts
    while time.monotonic() < deadline:
        done = sum(crowd.count(run) for crowd in crowds)
        if done >= expected and (refetches is None or refetches() >= expected):
            break
        time.sleep(0.05)
    cpu_after = worker_cpu(cpu_of) if cpu_of else 0.0
    delays = []
    seen = set()
    for number, crowd in enumerate(crowds):
        for client, r, post, at in list(crowd.arrivals):
            if r == run and (number, client, post) not in seen:
                seen.add((number, client, post))
                delays.append(at - began[post])
    return Result(delays, post_times, expected - len(seen), (cpu_after - cpu_before) / posts)


def idle_gets(url: str, count: int) -> list[float]:
    """Wall time of ``count`` anonymous ``GET /``, one after the other."""
    http = requests.Session()
    http.get(url + "/", timeout=60).raise_for_status()
    times = []
    for _ in range(count):
        began = time.perf_counter()
        response = http.get(url + "/", timeout=60)
        times.append(time.perf_counter() - began)
        response.raise_for_status()
    return times


def main() -> None:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer posts (a trial run)")
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    )
    args = parser.parse_args()
    fast_posts, slow_posts = (20, 8) if args.quick else (50, 20)

    with tempfile.TemporaryDirectory() as tmp:
        try:
            idle_ratio, ratios, lost = measure(Path(tmp), args, fast_posts, slow_posts)
        except BaseException:
            print_logs()
            raise
        finally:
            for server in _started:
                server.stop()
    print(
        f"fanout_p95_ratio_200={ratios[200]:.2f} fanout_p95_ratio_500={ratios[500]:.2f} "
        f"lost={lost} idle_get_p95_ratio={idle_ratio:.2f}"
    )


def measure(
    instance: Path, args: argparse.Namespace, fast_posts: int, slow_posts: int
) -> tuple[float, dict[int, float], int]:
    """Every measurement, printed as it is made; returns the figures of the last line."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'bench.sqlite3'}"
    jobs_name = f"consult-bench-{uuid.uuid4().hex[:8]}"
    prepare_database(url)
    users, section = seed(url, comments=100)
    reader, author = users[-1], users[0]
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": LIVE_SECRET,
        "INSTANCE_PATH": str(instance),
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": str(instance / "outbox"),
        "RATELIMIT_ENABLED": "false",
        "SOCKETIO_MESSAGE_QUEUE": "",
        "SOCKETIO_MAX_CONNECTIONS_PER_ADDRESS": "5000",
        # as the README deploys it: jobs in Redis (a SQLite queue's fsync would stall every
        # greenlet of the process at each comment's notification job)
        "JOBS_URL": args.redis,
        "JOBS_NAME": jobs_name,
    }
    print(
        f"# bench/comments.py  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  "
        f"cpus={os.cpu_count()}  load={os.getloadavg()[0]:.1f}  database={url.split(':')[0]}  "
        "servers: gunicorn -k gevent -w 1 (Consult and bare Flask-SocketIO)"
    )
    cookie = session_cookie(reader)
    consult = start(env)
    bare = start(
        {"INSTANCE_PATH": str(instance), "BENCH_DATABASE_URL": normalise_database_url(url)},
        target="bench.bare_socketio:app",
    )
    ratios: dict[int, float] = {}
    lost = 0
    try:
        consult_posts = consult_target(consult.url, section, author)
        probe = Crowd(consult.url, cookie, section, 1).connect()
        fan_out(consult_posts, [probe], 2, 2.0)  # warm up, and learn the message size
        size = len(probe.sample or "") or 1500
        probe.close()
        bare_posts = bare_target(bare.url, section, size)
        print(f"message size: {size} bytes (Consult's event; the bare server sends as many)")

        p95s: dict[tuple[str, int], float] = {}
        for clients, rate, posts in ((200, 10.0, fast_posts), (500, 1.0, slow_posts)):
            for name, server, target, crowd_cookie in (
                ("bare", bare, bare_posts, None),
                ("Consult", consult, consult_posts, cookie),
            ):
                crowd = Crowd(server.url, crowd_cookie, section, clients).connect()
                try:
                    result = fan_out(target, [crowd], posts, rate)
                finally:
                    crowd.close()
                label = f"{clients} clients, {rate:g} posts/s"
                print(summary(f"post-to-arrival, {label}, {name}", result.delays))
                print(summary(f"  POST, {label}, {name}", result.posts))
                print(f"  lost: {result.lost} (closed by the server: {crowd.closed_by_server})")
                lost += result.lost
                p95s[(name, clients)] = percentile(result.delays, 0.95)
                p95s[(name + "-p50", clients)] = statistics.median(result.delays)
            ratios[clients] = p95s[("Consult", clients)] / p95s[("bare", clients)]
            print(
                f"  Consult/bare at {clients}: p50 "
                f"{p95s[('Consult-p50', clients)] / p95s[('bare-p50', clients)]:.2f}x, "
                f"p95 {ratios[clients]:.2f}x"
            )

        # CPU per post with 200 open pages, before (refetch on every event) and after.
        pool = ThreadPoolExecutor(max_workers=32)
        fetched = [0]
        failed: list[Exception] = []
        lock = threading.Lock()
        page_http = threading.local()

        def refetch(_client: int) -> None:
            if not hasattr(page_http, "http"):
                page_http.http = requests.Session()
                page_http.http.cookies.set("session", cookie, domain="127.0.0.1", path="/")
            try:
                page_http.http.get(
                    f"{consult.url}/toolkit/sections/{section}/thread",
                    headers={"Connection": "close"},
                    timeout=120,
                ).raise_for_status()
            except requests.RequestException as error:
                failed.append(error)
            with lock:
                fetched[0] += 1

        for label, on_event in (
            ("after (the event applied as it is)", None),
            ("before (every page fetches the thread again)", lambda c: pool.submit(refetch, c)),
        ):
            fetched[0] = 0
            crowd = Crowd(consult.url, cookie, section, 200, on_event=on_event).connect()
            try:
                result = fan_out(
                    consult_posts,
                    [crowd],
                    5,
                    1.0,
                    cpu_of=consult,
                    refetches=(lambda: fetched[0]) if on_event else None,
                    patience=600,  # every refetch is counted, however long the storm lasts
                )
            finally:
                crowd.close()
            print(f"server CPU per post, 200 pages, {label}: {result.cpu_per_post:.3f} s")
            if on_event is not None:
                print(f"  refetches: {fetched[0]}, of which failed: {len(failed)}")
            lost += result.lost
        pool.shutdown()

        quiet = idle_gets(consult.url, 100)
        idle = Crowd(consult.url, cookie, section, 1000).connect()
        try:
            busy = idle_gets(consult.url, 200)
        finally:
            idle.close()
        quiet += idle_gets(consult.url, 100)  # before and after, against the machine's drift
        print(summary("GET /, no socket open", quiet))
        print(summary("GET /, 1,000 idle sockets open (signed in, joined)", busy))
        idle_ratio = percentile(busy, 0.95) / percentile(quiet, 0.95)
    finally:
        consult.stop()

    (instance / "a").mkdir()
    (instance / "b").mkdir()
    channel = f"consult-bench-{uuid.uuid4().hex}"
    queue_env = {**env, "SOCKETIO_MESSAGE_QUEUE": args.redis, "SOCKETIO_CHANNEL": channel}
    first = start({**queue_env, "INSTANCE_PATH": str(instance / "a")})
    second = start({**queue_env, "INSTANCE_PATH": str(instance / "b")})
    try:
        target = consult_target(first.url, section, author)
        crowds = [Crowd(s.url, cookie, section, 250).connect() for s in (first, second)]
        try:
            result = fan_out(target, crowds, slow_posts, 1.0)
        finally:
            for crowd in crowds:
                crowd.close()
        print(summary("post-to-arrival, 500 clients, 1 post/s, Consult x2 + Redis", result.delays))
        print(f"  lost: {result.lost}")
        lost += result.lost
        two = percentile(result.delays, 0.95) / p95s[("bare", 500)]
        print(f"  two Consult processes / one bare process at 500: p95 {two:.2f}x")
    finally:
        first.stop()
        second.stop()
        bare.stop()
    queue = redis.Redis.from_url(args.redis)
    for key in queue.scan_iter(f"*{jobs_name}*"):
        queue.delete(key)  # the jobs nobody ran (the bench starts no worker)
    return idle_ratio, ratios, lost


if __name__ == "__main__":
    main()
