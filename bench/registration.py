"""Burst of registrations against Consult, beside a bare Flask + SQLAlchemy insert, in one run.

    .venv/bin/python bench/registration.py      # 2,000 posts, 64 in flight, 50 seats, PostgreSQL

Both applications are served the same way, ``gunicorn -w 4`` (four sync workers), on
the same PostgreSQL server, one after the other in the same run. Client threads
(``--clients``, 64 in flight) each fetch the registration form once (CSRF cookie and
token, not timed), then post their share of the registrations, each with its own
e-mail address; the bare endpoint gets the same number of posts.

Each post carries the cookie of the form's page alone, as a registrant's would: the
answer's flash message (shown on the page the registrant is sent to) is not carried
into the next post. Consult queues each registrant's letter in its outbox (no worker runs during the
burst). Afterwards one ``flask --app consult worker`` delivers them to an SMTP sink
(aiosmtpd, in this process), which counts them. Then the time from registration
(the answer to the post) to delivery (the sink receiving the letter) is measured on
a steady stream of registrations with one worker running, and again with two.

The output ends with one line:
``registration_ratio=<Consult/bare throughput> p95_ratio=<Consult/bare p95>
oversold=<n> delivered=<d>/<expected>``.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psycopg(url: str) -> str:
    """The SQLAlchemy URL of ``url`` with the psycopg 3 driver."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


# --- the SMTP sink ------------------------------------------------------------------------------


@dataclass
class Sink:
    """An aiosmtpd handler that notes when each recipient's message arrived."""

    arrivals: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:
        now = time.time()
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.arrivals.setdefault(recipient.lower(), []).append(now)
        return "250 Message accepted for delivery"

    def count(self, prefix: str) -> int:
        """Messages received by addresses starting with ``prefix``."""
        with self.lock:
            return sum(len(v) for k, v in self.arrivals.items() if k.startswith(prefix))


# --- processes ----------------------------------------------------------------------------------


@contextmanager
def servers(app: str, env: dict[str, str], logs: Path, workers: int) -> Iterator[str]:
    """``gunicorn -w <workers>`` (sync) serving ``app``; yields its base URL."""
    port = free_port()
    log = (logs / f"{app.replace(':', '_')}-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--backlog", "2048", "--timeout", "120", app],
        cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"},
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log.close()
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{app} did not start; see {logs}")
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(2)  # every worker process booted
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def start_worker(env: dict[str, str], logs: Path, number: int) -> subprocess.Popen:
    """One ``flask --app consult worker`` process."""
    log = (logs / f"worker-{number}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "consult", "worker"],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log.close()
    return process


def stop(process: subprocess.Popen) -> None:
    """Stop a process this script started (SIGTERM; SIGKILL if it is still there after 90 s)."""
    process.terminate()
    try:
        process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- the load ---------------------------------------------------------------------------------


@dataclass
class Burst:
    """What the clients saw."""

    wall: float
    latencies: list[float]
    answered: dict[str, float]  # e-mail address: when its post was answered (epoch seconds)
    failures: int

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[int(q * (len(ordered) - 1))]

    def row(self, name: str) -> str:
        """One Markdown table row."""
        return (
            f"| {name} | {len(self.latencies)} | {self.throughput:.1f}/s | "
            f"{statistics.median(self.latencies) * 1000:.0f} ms | "
            f"{self.quantile(0.95) * 1000:.0f} ms | {self.failures} |"
        )


def burst(jobs: list[list[tuple[requests.Session, str, dict]]]) -> Burst:
    """Run each client's posts, all clients at once."""
    latencies: list[float] = []
    answered: dict[str, float] = {}
    failures = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs) + 1)

    def run(job: list[tuple[requests.Session, str, dict]]) -> None:
        barrier.wait()
        mine, when, bad = [], {}, 0
        for session, url, data in job:
            cookies = session.cookies.copy()
            begin = time.perf_counter()
            response = session.post(url, data=data, allow_redirects=False, timeout=120)
            mine.append(time.perf_counter() - begin)
            session.cookies = cookies  # each post a new registrant's: their flash not carried on
            when[data["email"]] = time.time()
            if response.status_code not in (201, 303):
                bad += 1
                print(f"failed: {response.status_code} {url}", file=sys.stderr)
        with lock:
            latencies.extend(mine)
            answered.update(when)
            failures[0] += bad

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait()
    begin = time.perf_counter()
    for thread in threads:
        thread.join()
    return Burst(time.perf_counter() - begin, latencies, answered, failures[0])


def consult_jobs(base: str, slug: str, ngos: int, total: int, clients: int, prefix: str):
    """Each client's session (with its CSRF token) and registrations."""
    jobs, number = [], 0
    for index in range(clients):
        share = total // clients + (index < total % clients)
        session = requests.Session()
        page = session.get(f"{base}/events/{slug}/register", timeout=60)
        token = TOKEN.search(page.text).group(1)
        job = []
        for _ in range(share):
            number += 1
            job.append((session, f"{base}/events/{slug}/register", {
                "csrf_token": token, "name": f"Bench {number}",
                "email": f"{prefix}{number}@example.org", "organisation": "Bench",
                "constituency": str(ngos), "country": "KE", "consent_listed": "y",
            }))  # fmt: skip
        jobs.append(job)
    return jobs


def bare_jobs(base: str, total: int, clients: int):
    """The same number of posts for the bare insert."""
    jobs, number = [], 0
    for index in range(clients):
        share = total // clients + (index < total % clients)
        session = requests.Session()
        job = []
        for _ in range(share):
            number += 1
            job.append((session, f"{base}/insert",
                        {"name": f"Bench {number}", "email": f"bare{number}@example.org"}))  # fmt: skip
        jobs.append(job)
    return jobs


# --- the database -------------------------------------------------------------------------------


def prepare_database(url: str) -> None:
    """Create an empty database and build the schema with the migrations."""
    parsed = make_url(psycopg(url))
    if parsed.get_backend_name() == "postgresql":
        admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        admin.dispose()
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "consult", "db", "upgrade"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True, capture_output=True,
    )  # fmt: skip


def create_events(url: str, capacity: int, folder: Path, count: int) -> tuple[list[str], int]:
    """``count`` open events of ``capacity`` seats; their slugs and the NGO constituency's id."""
    from consult import create_app
    from consult.accounts.constituencies import ensure_standard_constituencies
    from consult.extensions import db
    from tests.events.conftest import build_event

    app = create_app({"SQLALCHEMY_DATABASE_URI": psycopg(url), "INSTANCE_PATH": str(folder),
                      "SECRET_KEY": "bench", "JOBS_IMMEDIATE": True})  # fmt: skip
    slugs = []
    with app.app_context():
        ngos = ensure_standard_constituencies()["ngos"].id
        for number in range(count):
            event = build_event(number + 1, capacity=capacity)
            event.slug = f"bench-{number}-{secrets.token_hex(3)}"
            db.session.add(event)
            slugs.append(event.slug)
        db.session.commit()
        db.engine.dispose()
    return slugs, ngos


def seats_of(url: str, slug: str) -> dict[str, int]:
    """Registrations of the event by status, and its counter, read back from the database."""
    engine = create_engine(psycopg(url))
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT r.status, count(*) FROM event_registrations r JOIN events e "
                "ON e.id = r.event_id WHERE e.slug = :slug GROUP BY r.status"
            ),
            {"slug": slug},
        ).all()
        taken = connection.execute(
            text("SELECT taken FROM events WHERE slug = :slug"), {"slug": slug}
        ).scalar_one()
    engine.dispose()
    return {**{status: count for status, count in rows}, "counter": taken}


def unsent(url: str, prefix: str) -> int:
    """Outbox rows to addresses starting with ``prefix`` not sent yet."""
    engine = create_engine(psycopg(url))
    with engine.connect() as connection:
        left = connection.execute(
            text(
                "SELECT count(*) FROM outbox_messages WHERE recipient LIKE :prefix "
                "AND status IN ('queued', 'sending')"
            ),
            {"prefix": f"{prefix}%"},
        ).scalar_one()
    engine.dispose()
    return left


def wait_for_delivery(sink: Sink, url: str, prefix: str, expected: int, limit: float) -> float:
    """Seconds until the sink holds ``expected`` messages for ``prefix`` (or ``limit`` passed)."""
    begin = time.monotonic()
    while time.monotonic() - begin < limit:
        if sink.count(prefix) >= expected and unsent(url, prefix) == 0:
            break
        time.sleep(0.2)
    return time.monotonic() - begin


def delivery_times(sink: Sink, answered: dict[str, float]) -> list[float]:
    """For each registration, seconds from the answer to its post to its letter's arrival."""
    times = []
    for address, when in answered.items():
        arrived = sink.arrivals.get(address.lower())
        if arrived:
            times.append(max(0.0, arrived[0] - when))
    return times


def describe(values: list[float]) -> str:
    ordered = sorted(values)
    if not ordered:
        return "none"
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


# --- the run ----------------------------------------------------------------------------------


def main() -> None:
    """Both bursts, the delivery, the delivery times; the closing line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=64, help="posts in flight")
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--stream", type=int, default=200, help="posts per delivery-time run")
    parser.add_argument("--stream-clients", type=int, default=4)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/consult_bench_events"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="the job queue")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="consult-bench-"))
    prepare_database(args.database_url)
    slugs, ngos = create_events(args.database_url, args.capacity, folder, 3)
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    queue_name = f"bench-{secrets.token_hex(4)}"
    env = {
        "DATABASE_URL": args.database_url,
        "BENCH_DATABASE_URL": psycopg(args.database_url),
        "SECRET_KEY": "bench",
        "INSTANCE_PATH": str(folder),
        "PUBLIC_URL": "http://consult.bench",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "JOBS_URL": args.redis,
        "JOBS_NAME": queue_name,
        "REGISTRATION_RATE_LIMIT": "1000000 per minute",
    }
    workers: list[subprocess.Popen] = []
    try:
        with servers("wsgi:app", env, folder, args.workers) as base:
            jobs = consult_jobs(base, slugs[0], ngos, args.requests, args.clients, "burst")
            consult = burst(jobs)
        subprocess.run(  # the bare table, made once before its four processes start
            [sys.executable, "-c", "import bare_app"], cwd=ROOT / "bench", check=True,
            env={**os.environ, **env},
        )  # fmt: skip
        with servers("bare_app:app", env, folder, args.workers) as base:
            bare = burst(bare_jobs(base, args.requests, args.clients))
        seats = seats_of(args.database_url, slugs[0])
        oversold = max(0, seats.get("confirmed", 0) - args.capacity)
        backend = make_url(args.database_url).get_backend_name()
        say(f"{args.requests} posts, gunicorn -w {args.workers} (sync) each, "
            f"{args.clients} in flight, {args.capacity} seats, {backend}")  # fmt: skip
        say("| endpoint | requests | throughput | median | p95 | failures |")
        say("|---|---|---|---|---|---|")
        say(consult.row("Consult registration (seat + letter queued in the outbox)"))
        say(bare.row("Bare Flask + SQLAlchemy insert"))
        say(f"Seats read back: {seats} (capacity {args.capacity}); oversold {oversold}")

        workers.append(start_worker(env, folder, 1))
        backlog = wait_for_delivery(sink, args.database_url, "burst", args.requests, 900)
        delivered = sink.count("burst")
        say(
            f"Backlog of {args.requests} letters delivered by one worker in {backlog:.1f} s "
            f"({delivered / backlog:.0f}/s); {delivered} arrived"
        )

        with servers("wsgi:app", env, folder, args.workers) as base:
            for count, slug in ((1, slugs[1]), (2, slugs[2])):
                while len(workers) < count:
                    workers.append(start_worker(env, folder, len(workers) + 1))
                    time.sleep(3)
                prefix = f"stream{count}-"
                stream = burst(
                    consult_jobs(base, slug, ngos, args.stream, args.stream_clients, prefix)
                )
                wait_for_delivery(sink, args.database_url, prefix, args.stream, 300)
                times = delivery_times(sink, stream.answered)
                say(
                    f"Registration to delivery, {count} worker(s), {args.stream} posts "
                    f"({args.stream_clients} in flight, {stream.throughput:.0f}/s): "
                    f"{describe(times)}; {len(times)}/{args.stream} arrived"
                )
    finally:
        for worker in workers:
            stop(worker)
        smtp.stop()
        from huey import PriorityRedisHuey

        PriorityRedisHuey(queue_name, url=args.redis).storage.flush_all()

    say(
        f"registration_ratio={consult.throughput / bare.throughput:.3f} "
        f"p95_ratio={consult.quantile(0.95) / bare.quantile(0.95):.2f} "
        f"oversold={oversold} delivered={delivered}/{args.requests}"
    )


def say(line: str) -> None:
    """Print a line of the report at once (a long run shows what it has so far)."""
    print(line, flush=True)


if __name__ == "__main__":
    main()
