"""Work that leaves the request: a Huey task queue and the jobs it runs on a schedule.

Capabilities declare their jobs with :func:`task` and :func:`periodic` in their own
modules; :func:`init_app` gives them to the application's queue, each run inside
its own application context. The queue keeps its jobs in a SQLite file in the
instance folder by default (``make run`` needs no server) or in Redis
(``JOBS_URL=redis://...``), where workers on many machines share them. Workers are
started with ``flask --app consult worker``.

A job may run more than once (a worker can die after finishing it but before
saying so, and several workers each run the schedule): every job here is written
to be safe to repeat.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from huey import Huey, PriorityRedisHuey, SqliteHuey, crontab

__all__ = ["crontab", "enqueue", "init_app", "periodic", "queue", "task"]

EXTENSION = "consult_jobs"


@dataclass(frozen=True)
class Job:
    """A function the queue may run: now and then on request, or on a schedule."""

    name: str
    function: Callable[..., Any]
    schedule: Callable[[Any], bool] | None = None
    #: Higher runs first when work waits (Redis and SQLite queues honour it).
    priority: int = 0


#: Every job declared so far, by name (filled when the capabilities' modules are imported).
JOBS: dict[str, Job] = {}


def task(name: str, *, priority: int = 0) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare ``function`` as a job that :func:`enqueue` can ask for by ``name``."""

    def declare(function: Callable[..., Any]) -> Callable[..., Any]:
        JOBS[name] = Job(name, function, priority=priority)
        return function

    return declare


def periodic(name: str, schedule: Callable[[Any], bool]) -> Callable[[Callable[[], Any]], Any]:
    """Declare ``function`` as a job the workers run on ``schedule`` (a :func:`crontab`, UTC)."""

    def declare(function: Callable[[], Any]) -> Callable[[], Any]:
        JOBS[name] = Job(name, function, schedule=schedule)
        return function

    return declare


def make_queue(app: Flask) -> Huey:
    """The Huey instance the settings ask for (in-memory and synchronous with ``JOBS_IMMEDIATE``)."""
    config = app.config
    name = config["JOBS_NAME"]
    url = config["JOBS_URL"]
    common: dict[str, Any] = {"results": False, "immediate": config["JOBS_IMMEDIATE"]}
    if urlsplit(url).scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        if not config["JOBS_IMMEDIATE"]:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=path, **common)
    return PriorityRedisHuey(name, url=url, **common)


def _in_app(app: Flask, job: Job) -> Callable[..., Any]:
    """Run ``job`` in a fresh context with its own application context (and so its own session).

    A fresh context also keeps a job run at once (``JOBS_IMMEDIATE``) from seeing the
    request that enqueued it, as it would not in a worker.
    """

    def push_and_run(*args: Any, **kwargs: Any) -> Any:
        with app.app_context():
            return job.function(*args, **kwargs)

    @functools.wraps(job.function)
    def run(*args: Any, **kwargs: Any) -> Any:
        return contextvars.Context().run(push_and_run, *args, **kwargs)

    return run


def init_app(app: Flask, capabilities: tuple[str, ...] | None = None) -> None:
    """Build the application's queue with the jobs of the core and of the installed
    ``capabilities`` (all by default); add the ``worker`` command."""
    from consult import CAPABILITIES
    from consult.jobs.worker import worker_command

    absent = set(CAPABILITIES) - set(CAPABILITIES if capabilities is None else capabilities)
    huey = make_queue(app)
    wrappers = {}
    for job in JOBS.values():
        if ".".join(job.function.__module__.split(".")[:2]) in absent:
            continue  # declared by a capability this application was built without
        run = _in_app(app, job)
        if job.schedule is None:
            wrappers[job.name] = huey.task(name=job.name, priority=job.priority)(run)
        else:
            wrappers[job.name] = huey.periodic_task(job.schedule, name=job.name)(run)
    app.extensions[EXTENSION] = (huey, wrappers)
    app.cli.add_command(worker_command)


def queue(app: Flask | None = None) -> Huey:
    """The application's Huey instance."""
    return (app or current_app).extensions[EXTENSION][0]


def enqueue(name: str, *args: Any, **kwargs: Any) -> None:
    """Ask a worker to run the job ``name`` with these (picklable) arguments."""
    _huey, wrappers = current_app.extensions[EXTENSION]
    wrappers[name](*args, **kwargs)
