"""Every page of the demo site a reader can reach, for the checks that go over all of them.

The pages are found by following links from the home page, the dashboard and a few pages no
link reaches (the private links e-mails carry), so that a page added later is checked without
anyone listing it. Each kind of page (a URL rule and the names of its query parameters) is kept
once, as first met; the starting points are all kept, so that the two event timetables and a
profile with its facts are each looked at.

``pages_of_demo`` works on any database holding the demo data: the tests' own (through the test
client) or a live server's.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, url_for
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from consult.accounts.models import User
from consult.accounts.services import INVITE, RESET, make_account_token
from consult.extensions import db

SECRETARIAT = "secretariat@example.org"
MEMBER = "ngo.nairobi@example.org"
DEMO_PASSWORD = "steering-group-2000"

#: Who reads the pages: a visitor, a member of the Steering Group, a Secretariat officer.
ROLES = ("visitor", "member", "secretariat")
ACCOUNTS = {"member": MEMBER, "secretariat": SECRETARIAT}

#: Answers that are files, not pages (calendars, spreadsheets, downloads, JSON).
NOT_PAGES = {
    "static",
    "favicon",
    "calls.feed_ics",
    "events.agenda_ics",
    "events.admin_csv",
    "documents.download",
    "toolkit.section_comments",
    "events.admin_xlsx",
    "events.admin_answer_file",
    "events.registration_agenda",
    "decisions.api_amendments",
    "decisions.api_proposals",
    "decisions.section_record_pdf",
}


@dataclass(frozen=True)
class Answer:
    """What a GET returned: the status, the media type, the body and any redirect target."""

    status: int
    mimetype: str
    text: str
    location: str | None = None


Fetch = Callable[[str], Answer]


class Links(HTMLParser):
    """The ``href`` of every ``<a>`` in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def site_path(href: str, host: str | None = None) -> str | None:
    """The path and query of a link to this site (``host``), or None for another site's."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != host):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def kind_of_page(app: Flask, path: str) -> tuple[str, tuple[str, ...]] | None:
    """The URL rule and the query's parameter names; None when no GET rule for a page matches."""
    parts = urlsplit(path)
    adapter = app.url_map.bind("localhost")
    try:
        rule, _ = adapter.match(parts.path, method="GET", return_rule=True)
    except HTTPException:
        return None
    if rule.endpoint in NOT_PAGES:
        return None
    return rule.rule, tuple(sorted({name for name, _ in parse_qsl(parts.query)}))


def page_rules(app: Flask) -> set[str]:
    """Every URL rule that answers GET with a page."""
    return {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint not in NOT_PAGES
    }


def crawl(
    app: Flask, fetch: Fetch, start: Iterable[str], host: str | None = None, limit: int = 150
) -> dict[str, str]:
    """Follow links from ``start``; every HTML page found (one per kind), path → its HTML."""
    seen_kinds: set[tuple[str, tuple[str, ...]]] = set()
    queued: set[str] = set()
    pages: dict[str, str] = {}
    waiting: deque[str] = deque()
    for path in start:  # each kept, even a second page of one kind, or no page at all (404)
        if path not in queued:
            seen_kinds.add(kind_of_page(app, path) or (path, ()))
            queued.add(path)
            waiting.append(path)
    while waiting and len(pages) < limit:
        path = waiting.popleft()
        answer = fetch(path)
        found = [answer.location] if answer.location else []
        if answer.mimetype == "text/html":  # error pages too: a reader sees them
            pages[path] = answer.text
            found += links_in(answer.text)
        for href in found:
            target = site_path(href, host)
            kind = kind_of_page(app, target) if target else None
            if kind is None or kind in seen_kinds or target in queued:
                continue
            seen_kinds.add(kind)
            queued.add(target)
            waiting.append(target)
    return pages


#: GET rules that are not pages of their own, and why.
NOT_CHECKED = {
    "/actions": "a permanent redirect to the work programme",
    "/toolkit/sections/<int:section_id>/thread": "a fragment the section page's script fetches",
    "/toolkit/comments/<int:comment_id>/node": "a fragment the section page's script fetches",
    "/toolkit/sections/<int:section_id>/decisions": "a fragment the section page's script fetches",
    "/amendments/<int:amendment_id>/comments": "a fragment the amendment page's script fetches",
    "/proposals/<int:proposal_id>/answers": "a fragment the proposal page's script fetches",
    "/documents/<int:document_id>/versions/<int:number>/download": "a file, not a page",
    "/events/admin/<int:event_id>/badges.pdf": "a PDF, not a page",
    "/events/admin/<int:event_id>/checkin/participants": "JSON the check-in page's script fetches",
    "/events/admin/checkin-worker.js": "the check-in page's service worker script",
}

#: An open event asking nothing but the standard registration form (added by complete_demo).
STANDARD_SLUG = "open-consultation"

#: Text in Arabic, as a member or a registrant types it, so that each check meets right-to-left
#: user text inside pages of every language.
ARABIC_NAME = "ليلى حسن"
ARABIC_ORGANISATION = "الشبكة العربية للبيئة والتنمية"
ARABIC_COMMENT = "نؤيد هذا القسم، مع تعديل بسيط في الفقرة الثانية (انظر المرفق)."


def complete_demo(users: dict[str, User]) -> None:
    """Add what the demo data lacks for every page to show something (inside an app context).

    An open availability poll, a registration for the practice event from a registrant who
    writes in Arabic, and an edited comment in Arabic by the member.
    """
    from consult.accounts.models import Role
    from consult.calls.models import CallSeries
    from consult.calls.polls import create_poll, open_poll
    from consult.database import utcnow
    from consult.events.allocation import RegistrationForm, register
    from consult.events.demo import PRACTICE_SLUG
    from consult.events.models import Event, FieldKind, FormField
    from consult.toolkit.discussion import edit_comment, post_comment
    from consult.toolkit.models import Section

    now = utcnow().replace(minute=0, second=0, microsecond=0)
    series = db.session.scalars(select(CallSeries).order_by(CallSeries.id)).first()
    officer = db.session.scalar(select(User).where(User.role == Role.SECRETARIAT))
    if series is not None and open_poll(series) is None:
        starts = [now + timedelta(days=days, hours=hours) for days in (8, 9) for hours in (2, 5)]
        create_poll(series, starts, now + timedelta(days=6), officer, now)
    event = db.session.scalar(select(Event).where(Event.slug == PRACTICE_SLUG))
    if not event.form_fields:  # a question of the event's own, with a condition
        needs = FormField(
            event=event, position=1, kind=FieldKind.YESNO, label="Do you need a visa?"
        )
        db.session.add(needs)
        db.session.flush()
        db.session.add(
            FormField(
                event=event,
                position=2,
                kind=FieldKind.TEXT,
                label="Passport number",
                shown_if=needs,
                shown_if_value="yes",
            )
        )
        db.session.commit()
    standard = db.session.scalar(select(Event).where(Event.slug == STANDARD_SLUG))
    if standard is None:  # an open event with the standard form only, none of its own questions
        db.session.add(
            Event(
                slug=STANDARD_SLUG,
                title="Open consultation (standard registration form)",
                kind=event.kind,
                venue="United Nations Headquarters, New York",
                timezone="America/New_York",
                starts_at=now + timedelta(days=40),
                ends_at=now + timedelta(days=40, hours=8),
                registration_opens_at=now - timedelta(days=1),
                registration_closes_at=now + timedelta(days=39),
                capacity=50,
                published=True,
            )
        )
        db.session.commit()
    form = RegistrationForm(
        name=ARABIC_NAME,
        email="layla.hassan@example.org",
        organisation=ARABIC_ORGANISATION,
        constituency_id=users[MEMBER].constituency_id,
        country="JO",
    )
    register(event.id, form)
    section = db.session.scalars(select(Section).order_by(Section.position)).first()
    comment = post_comment(section, users[MEMBER], ARABIC_COMMENT)
    db.session.commit()
    edit_comment(comment, users[MEMBER], ARABIC_COMMENT + " شكراً.")
    db.session.commit()


def starting_points(role: str) -> list[str]:
    """Where a reader in ``role`` starts, in the demo data (inside an app and request context).

    The private links of e-mails (invitation, password reset, answering a call or a poll,
    a registration's own page) are reached by no link; they start the visitor's crawl. The
    pages of :func:`complete_demo`'s rows start the members'.
    """
    from consult.calls.models import Attendance, Call, CallStatus
    from consult.calls.notifications import rsvp_token
    from consult.calls.poll_models import PollInvitee
    from consult.calls.poll_notifications import poll_token
    from consult.events.demo import FORUM_SLUG, PRACTICE_SLUG, WORKSHOP_SLUG
    from consult.events.models import Registration
    from consult.events.notifications import manage_token
    from consult.public.models import ProfileStatus, ViaProfile
    from consult.toolkit.models import Comment

    def first(query):
        return db.session.scalars(query.limit(1)).first()

    events = [url_for("events.show", slug=slug) for slug in (FORUM_SLUG, WORKSHOP_SLUG)]
    register = url_for("events.register", slug=PRACTICE_SLUG)
    profile = first(
        select(ViaProfile)
        .where(ViaProfile.status == ProfileStatus.PUBLISHED)
        .order_by(ViaProfile.id)
    )
    registered = url_for("events.registered", slug=PRACTICE_SLUG)
    start = ["/", *events, register, registered, "/no-such-page"]
    if profile:
        start.append(url_for("public.profile", profile_id=profile.id))
    if role == "visitor":
        member = db.session.scalar(select(User).where(User.email == MEMBER))
        start += [
            url_for("accounts.reset_password", token=make_account_token(member, RESET)),
            url_for("accounts.accept_invitation", token=make_account_token(member, INVITE)),
        ]
        attendance = first(
            select(Attendance)
            .join(Call)
            .where(Call.status == CallStatus.CONFIRMED)
            .order_by(Attendance.id)
        )
        if attendance:
            token = rsvp_token(attendance)
            start.append(
                url_for(
                    "calls.rsvp",
                    call_id=attendance.call_id,
                    user_id=attendance.user_id,
                    token=token,
                    answer="accept",
                )
            )
        invitee = first(select(PollInvitee).order_by(PollInvitee.poll_id, PollInvitee.user_id))
        if invitee:
            token = poll_token(invitee.poll_id, invitee.user_id)
            start.append(
                url_for(
                    "calls.poll_link",
                    poll_id=invitee.poll_id,
                    user_id=invitee.user_id,
                    token=token,
                )
            )
        registration = first(select(Registration).order_by(Registration.id))
        if registration:
            start.append(url_for("events.manage", token=manage_token(registration)))
        return start
    start.insert(0, "/dashboard")
    invitee = first(select(PollInvitee).order_by(PollInvitee.poll_id))
    if invitee:
        start.append(url_for("calls.poll_page", poll_id=invitee.poll_id))
        if role == "secretariat":  # the open poll hides the link to a new one
            start.append(url_for("calls.new_poll", series_id=invitee.poll.series_id))
    comment = first(
        select(Comment)
        .join(User, Comment.author_id == User.id)
        .where(User.email == MEMBER, Comment.deleted_at.is_(None))
        .order_by(Comment.id.desc())
    )
    if comment:
        start += [
            url_for("toolkit.section", section_id=comment.section_id),
            url_for("toolkit.diff", section_id=comment.section_id),
            url_for("toolkit.comment_history", comment_id=comment.id),
        ]
        if role == "member":
            start.append(url_for("toolkit.edit_comment", comment_id=comment.id))
    return start
