"""Burst of registrations against Consult, beside a bare Flask + SQLAlchemy insert, in one run.

    .venv/bin/python bench/registration.py            # 2,000 registrations, 4 processes, PostgreSQL
    .venv/bin/python bench/registration.py --requests 500 --database-url sqlite:////tmp/b.sqlite3

Both servers run as ``gunicorn -w 1 --threads 100`` processes (``--processes`` of
them) on the same database server. Client threads (``--clients``) each fetch the
registration form once (CSRF cookie and token, not timed), then post their share
of registrations, each with its own e-mail address; the bare endpoint gets the
same number of posts. The event has ``--capacity`` seats, so the burst goes
through both the confirmed and the waiting-list paths. Consult writes each
confirmation e-mail (with its .ics) to an outbox folder, as a local install does.
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
from pathlib import Path

import requests
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


def start_servers(
    app: str, count: int, env: dict[str, str], logs: Path
) -> list[tuple[subprocess.Popen, str]]:
    """Start ``count`` gunicorn processes of ``app``; wait until each answers."""
    started = []
    for _ in range(count):
        port = free_port()
        log = (logs / f"{app.replace(':', '_')}-{port}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "100", "-b",
             f"127.0.0.1:{port}", "--timeout", "120", "--keep-alive", "30", app],
            cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"},
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        started.append((process, f"http://127.0.0.1:{port}"))
    for process, url in started:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"server {url} exited; see {logs}")
            try:
                socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), 1).close()
                break
            except OSError:
                time.sleep(0.1)
    return started


def stop_servers(servers: list[tuple[subprocess.Popen, str]]) -> None:
    """Stop the processes this script started."""
    for process, _ in servers:
        process.terminate()
    for process, _ in servers:
        process.wait(timeout=30)


def burst(jobs: list[list[tuple[requests.Session, str, dict]]]) -> tuple[float, list[float], int]:
    """Run each thread's posts; return wall time, latencies and the number of failures."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs) + 1)

    def run(job: list[tuple[requests.Session, str, dict]]) -> None:
        barrier.wait()
        mine = []
        bad = 0
        for session, url, data in job:
            begin = time.perf_counter()
            response = session.post(url, data=data, allow_redirects=False, timeout=120)
            mine.append(time.perf_counter() - begin)
            if response.status_code not in (201, 303):
                bad += 1
                print(f"failed: {response.status_code} {url}", file=sys.stderr)
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait()
    begin = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - begin, latencies, failures[0]


def report(name: str, wall: float, latencies: list[float], failures: int) -> str:
    """One Markdown table row."""
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (
        f"| {name} | {len(latencies)} | {len(latencies) / wall:.0f}/s | "
        f"{statistics.median(ordered) * 1000:.0f} ms | {p95 * 1000:.0f} ms | {failures} |"
    )


def prepare_database(url: str) -> None:
    """Create an empty database (PostgreSQL) and build the schema with the migrations."""
    parsed = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
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


def create_event(url: str, capacity: int, folder: Path) -> tuple[str, int]:
    """An open event with ``capacity`` seats; returns its slug and the NGO constituency id."""
    from consult import create_app
    from consult.accounts.constituencies import ensure_standard_constituencies
    from consult.extensions import db
    from tests.events.conftest import build_event

    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1),
                      "INSTANCE_PATH": str(folder), "SECRET_KEY": "bench"})  # fmt: skip
    with app.app_context():
        ngos = ensure_standard_constituencies()["ngos"].id
        event = build_event(1, capacity=capacity)
        event.slug = f"bench-{secrets.token_hex(4)}"
        db.session.add(event)
        db.session.commit()
        slug = event.slug
        db.engine.dispose()
    return slug, ngos


def seat_check(url: str, slug: str) -> str:
    """Confirmed and waiting counts of the bench event, read back from the database."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT r.status, count(*) FROM event_registrations r JOIN events e "
                "ON e.id = r.event_id WHERE e.slug = :slug GROUP BY r.status ORDER BY r.status"
            ),
            {"slug": slug},
        ).all()
    engine.dispose()
    return ", ".join(f"{count} {status}" for status, count in rows)


def main() -> None:
    """Run both bursts and print the Markdown rows."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/consult_bench_events"
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="consult-bench-"))
    prepare_database(args.database_url)
    slug, ngos = create_event(args.database_url, args.capacity, folder)
    env = {
        "DATABASE_URL": args.database_url,
        "BENCH_DATABASE_URL": args.database_url.replace(
            "postgresql://", "postgresql+psycopg://", 1
        ),
        "SECRET_KEY": "bench",
        "INSTANCE_PATH": str(folder),
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "REGISTRATION_RATE_LIMIT": "1000000 per minute",
    }
    per_client = [args.requests // args.clients + (i < args.requests % args.clients)
                  for i in range(args.clients)]  # fmt: skip

    rows = []
    servers = start_servers("wsgi:app", args.processes, env, folder)
    try:
        jobs, number = [], 0
        for index, share in enumerate(per_client):
            base = servers[index % len(servers)][1]
            session = requests.Session()
            page = session.get(f"{base}/events/{slug}/register", timeout=60)
            token = TOKEN.search(page.text).group(1)
            job = []
            for _ in range(share):
                number += 1
                job.append((session, f"{base}/events/{slug}/register", {
                    "csrf_token": token, "name": f"Bench {number}",
                    "email": f"bench{number}@example.org", "organisation": "Bench",
                    "constituency": str(ngos), "country": "KE", "consent_listed": "y",
                }))  # fmt: skip
            jobs.append(job)
        rows.append(report("Consult registration (locked seat allocation + e-mail)", *burst(jobs)))
    finally:
        stop_servers(servers)

    servers = start_servers("bare_app:app", args.processes, env, folder)
    try:
        jobs, number = [], 0
        for index, share in enumerate(per_client):
            base = servers[index % len(servers)][1]
            session = requests.Session()
            job = []
            for _ in range(share):
                number += 1
                job.append((session, f"{base}/insert",
                            {"name": f"Bench {number}", "email": f"bench{number}@example.org"}))  # fmt: skip
            jobs.append(job)
        rows.append(report("Bare Flask + SQLAlchemy insert", *burst(jobs)))
    finally:
        stop_servers(servers)

    backend = make_url(args.database_url).get_backend_name()
    print(
        f"{args.requests} posts, {args.processes} processes, {args.clients} client threads, {backend}"
    )
    print(f"Seats read back ({args.capacity} seats): {seat_check(args.database_url, slug)}")
    print("| endpoint | requests | throughput | median | p95 | failures |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
