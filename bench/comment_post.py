"""Benchmark: what posting a toolkit comment costs inside the server, with and without its e-mails.

Run by hand from the repository root (PostgreSQL through DATABASE_URL, else a fresh SQLite
file; the job queue is a SQLite file, as ``make run`` has it):

    .venv/bin/python bench/comment_post.py [--members 40] [--posts 200]

In one process, through the Flask test client (no network, no sockets listening), a member
posts comments to a section already holding some, with JSON answers as the page's script asks.
Two ways, alternating post by post in the same run:

- **now**: as Consult answers: the live event is built before the commit from the objects in
  hand, the e-mails are left to a job (``toolkit.notify-comment``, only enqueued here);
- **e-mails in the request**: the same, plus deciding and queueing the e-mails before
  answering (what the request did before: every active member and their choices loaded, the
  outbox rows written), i.e. the job run inline.

A quarter of the members want every comment, so the inline variant writes outbox rows too.
Prints the median and p95 of each, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--existing", type=int, default=200, help="comments already there")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="consult-bench-post-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/consult.sqlite3")
    os.environ.update(
        INSTANCE_PATH=str(folder),
        JOBS_URL=f"sqlite:///{folder}/jobs.sqlite3",
        JOBS_IMMEDIATE="false",
        RATELIMIT_ENABLED="false",
        SECRET_KEY="bench-" + "k" * 40,
        WTF_CSRF_ENABLED="false",
    )
    from flask_migrate import upgrade

    from consult import create_app
    from consult.accounts.models import Role, User, credential_fingerprint
    from consult.extensions import db
    from consult.toolkit import discussion, live, notifications, sections
    from consult.toolkit.models import SectionStatus

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        upgrade()
        users = [
            User(
                email=f"member{n}@example.org",
                display_name=f"Member {n}",
                role=Role.SECRETARIAT if n == 0 else Role.MEMBER,
                timezone="Africa/Nairobi",
            )
            for n in range(args.members)
        ]
        db.session.add_all(users)
        db.session.commit()
        section = sections.create_section(
            title="Bench", body="Text", status=SectionStatus.IN_DISCUSSION, author=users[0]
        )
        db.session.commit()
        for user in users[: args.members // 4]:
            notifications.set_preference(user, None, "every")
        for n in range(args.existing):
            comment = discussion.post_comment(section, users[n % args.members], f"Comment {n}")
            comment.notified_at = comment.created_at
        live.commit_and_broadcast()
        section_id, author_id = section.id, users[1].id

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{author_id}:{credential_fingerprint(None)}"
        session["_fresh"] = True

    inline = {"on": False}
    enqueue_later = notifications.notify_later

    def notify(comment_id: int, *, mentions_only: bool = False) -> None:
        if inline["on"]:
            notifications.notify_comment(comment_id, mentions_only)
        else:
            enqueue_later(comment_id, mentions_only=mentions_only)

    notifications.notify_later = notify
    timings: dict[str, list[float]] = {"now": [], "inline": []}
    body = "A comment of a few sentences, with *emphasis* and a [link](https://example.org). " * 3
    for n in range(args.posts * 2 + 10):
        way = "inline" if n % 2 else "now"
        inline["on"] = way == "inline"
        start = time.perf_counter()
        answer = client.post(
            f"/toolkit/sections/{section_id}/comments",
            data={"body": f"{body} ({n})"},
            headers={"Accept": "application/json"},
        )
        elapsed = time.perf_counter() - start
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        if n >= 10:  # warm-up left out
            timings[way].append(elapsed * 1000)

    print(
        f"database: {os.environ['DATABASE_URL'].split('@')[-1]}; members {args.members} "
        f"({args.members // 4} want every comment); {args.existing} comments before; "
        f"{args.posts} posts each way"
    )
    for way, label in (
        ("now", "POST, e-mails left to a job (now)"),
        ("inline", "POST, e-mails decided in the request (before)"),
    ):
        values = timings[way]
        print(
            f"{label}: median {statistics.median(values):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms"
        )
    ratio = statistics.median(timings["now"]) / statistics.median(timings["inline"])
    print(f"post_median_ratio_now_over_inline={ratio:.2f}")


if __name__ == "__main__":
    main()
