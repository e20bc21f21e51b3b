"""The availability poll, through the pages and the e-mails: asked, answered, shown, confirmed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_time
from freezegun import freeze_time
from sqlalchemy import select

from consult.calls import lifecycle, services
from consult.calls.models import AwayPeriod, Call, CallStatus
from consult.calls.planner import assess, burdens, plan_call
from consult.calls.poll_models import Availability, Poll, PollAnswer, PollStatus
from consult.extensions import db
from consult.i18n.formats import format_locale
from tests.conftest import body_text, links_in, post_acknowledging, sign_in

NEW_YORK = ZoneInfo("America/New_York")
#: A Monday afternoon: with no call yet, the window runs from 7 to 14 December 2026.
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
#: A Saturday in the window, 10:00 in New York.
SATURDAY = datetime(2026, 12, 12, 10, 0, tzinfo=NEW_YORK).astimezone(UTC)


@pytest.fixture
def frozen():
    """The Secretariat's afternoon of 30 November 2026."""
    with freeze_time(NOW, tick=True):
        yield


def _candidates(client, series) -> list[str]:
    html = client.get(f"/calls/series/{series.id}/poll").get_data(as_text=True)
    return re.findall(r'name="candidates" value="([^"]+)"', html)


def _send(client, series, candidates=(), typed=(), **extra):
    """Post the new-poll form: planner slots by value, typed slots as New York datetimes."""
    data = {"candidates": list(candidates), **extra}
    for index, moment in enumerate(typed):
        local = moment.astimezone(NEW_YORK)
        data[f"typed-{index}-day"] = local.date().isoformat()
        data[f"typed-{index}-time"] = local.strftime("%H:%M")
    return client.post(f"/calls/series/{series.id}/poll", data=data)


def _poll(series) -> Poll:
    return db.session.scalar(select(Poll).where(Poll.series_id == series.id).order_by(Poll.id))


def _member(series, zone: str):
    return next(m for m in series.members if m.timezone == zone)


def _poll_link(mailbox, user) -> str:
    link = next(link for link in links_in(mailbox.last(user.email)) if "/answer/" in link)
    return re.sub(r"^https?://[^/]+", "", link)


def _answers(poll, *choices: str) -> dict[str, str]:
    return {f"slot-{slot.id}": choice for slot, choice in zip(poll.slots, choices, strict=True)}


def _sent_poll(client, mailbox, series, typed=()):
    sign_in(client, series.organiser)
    offered = _candidates(client, series)
    response = _send(client, series, offered[: 3 - len(typed)], typed)
    assert response.status_code == 302, response.get_data(as_text=True)
    return _poll(series)


def test_each_member_gets_the_slots_in_their_own_time_zone(frozen, client, make_series, mailbox):
    """Does a poll of three planner slots e-mail every member the slots in their zone, with a link?"""
    series = make_series()
    sign_in(client, series.organiser)
    offered = _candidates(client, series)
    assert len(offered) >= 3
    response = _send(client, series, offered[:3])
    assert response.status_code == 302
    poll = _poll(series)
    assert [s.starts_at for s in poll.slots] == sorted(
        datetime.fromisoformat(v) for v in offered[:3]
    )
    assert poll.status is PollStatus.OPEN and len(poll.invitees) == 3
    for zone in ("Europe/Paris", "Asia/Kolkata", "America/New_York"):
        member = _member(series, zone)
        message = mailbox.last(member.email)
        assert message["Subject"] == f"When can you meet? {series.name}"
        text = body_text(message)
        for slot in poll.slots:
            local = slot.starts_at.astimezone(ZoneInfo(zone))
            assert format_time(local, "short", locale=format_locale("en")) in text
        assert zone in text
        assert _poll_link(mailbox, member).startswith(f"/calls/polls/{poll.id}/answer/")


def test_a_member_answers_from_the_link_and_the_planner_shows_it(
    frozen, client, make_series, mailbox
):
    """Does the e-mailed link record yes / if need be / no without signing in, and does the
    planner page show the answers beside each slot's time-zone score, and who has not answered?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series)
    paris = _member(series, "Europe/Paris")
    delhi = _member(series, "Asia/Kolkata")
    link = _poll_link(mailbox, paris)
    client.post("/sign-out")

    page = client.get(link)
    assert page.status_code == 200
    first_local = poll.slots[0].starts_at.astimezone(ZoneInfo("Europe/Paris"))
    assert format_time(first_local, "short", locale=format_locale("en")) in page.get_data(
        as_text=True
    )
    assert db.session.scalars(select(PollAnswer)).all() == []  # opening the link answers nothing

    response = client.post(link, data=_answers(poll, "yes", "if-need-be", "no"))
    assert response.status_code == 200
    assert "your answers are recorded" in response.get_data(as_text=True)
    db.session.refresh(poll)
    mine = {a.slot_id: a.choice for s in poll.slots for a in s.answers if a.user_id == paris.id}
    assert list(mine.values()) == [Availability.YES, Availability.IF_NEED_BE, Availability.NO]

    sign_in(client, series.organiser)
    html = client.get(f"/calls/series/{series.id}/plan").get_data(as_text=True)
    section = html[html.index('id="poll"') :]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", section, re.S)
    assert len(rows) == 3
    assert re.search(
        r'answers-yes"><strong>1</strong>.*?' + re.escape(paris.display_name), rows[0], re.S
    )
    assert re.search(r'answers-if-need-be"><strong>1</strong>', rows[1])
    assert re.search(r'answers-no"><strong>1</strong>', rows[2])
    assert all("Score " in row and "in good hours" in row for row in rows)
    waiting = section[section.index("Not answered yet:") :].split("</p>")[0]
    assert delhi.display_name in waiting and paris.display_name not in waiting


def test_a_signed_in_member_answers_and_changes_their_answers(frozen, client, make_series, mailbox):
    """Can a member answer on the poll's page, then change an answer?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series)
    delhi = _member(series, "Asia/Kolkata")
    sign_in(client, delhi)
    page = client.get(f"/calls/polls/{poll.id}").get_data(as_text=True)
    assert "Asia/Kolkata" in page
    assert (
        client.post(f"/calls/polls/{poll.id}", data=_answers(poll, "no", "no", "yes")).status_code
        == 302
    )
    client.post(f"/calls/polls/{poll.id}", data=_answers(poll, "yes", "no", "yes"))
    db.session.refresh(poll)
    mine = [a.choice for s in poll.slots for a in s.answers if a.user_id == delhi.id]
    assert mine == [Availability.YES, Availability.NO, Availability.YES]
    assert poll.invitee(delhi.id).answered_at is not None


def test_the_calls_page_lists_the_polls_waiting_for_an_answer(frozen, client, make_series, mailbox):
    """Does a member see on the calls page the open poll, whether they answered, and not once
    it is closed?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series)
    delhi = _member(series, "Asia/Kolkata")
    sign_in(client, delhi)
    html = client.get("/calls").get_data(as_text=True)
    assert f'href="/calls/polls/{poll.id}"' in html and "you have not answered yet" in html
    client.post(f"/calls/polls/{poll.id}", data=_answers(poll, "no", "no", "yes"))
    assert "you have answered" in client.get("/calls").get_data(as_text=True)
    sign_in(client, series.organiser)
    client.post(f"/calls/polls/{poll.id}/close")
    sign_in(client, delhi)
    assert f"/calls/polls/{poll.id}" not in client.get("/calls").get_data(as_text=True)


def test_every_slot_needs_an_answer(frozen, client, make_series, mailbox):
    """Is an answer that skips a slot (or says something else) refused, nothing saved?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series)
    link = _poll_link(mailbox, _member(series, "Europe/Paris"))
    partial = _answers(poll, "yes", "yes", "yes")
    partial.pop(f"slot-{poll.slots[2].id}")
    assert client.post(link, data=partial).status_code == 422
    assert client.post(link, data=_answers(poll, "yes", "maybe", "no")).status_code == 422
    assert db.session.scalars(select(PollAnswer)).all() == []


def test_a_member_not_asked_cannot_open_the_poll(frozen, client, make_series, make_member, mailbox):
    """Does a member outside the series get 403 on the poll's page?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series)
    sign_in(client, make_member())
    assert client.get(f"/calls/polls/{poll.id}").status_code == 403
    assert (
        client.post(f"/calls/polls/{poll.id}", data=_answers(poll, "yes", "yes", "yes")).status_code
        == 403
    )


# --- the signed link -----------------------------------------------------------------------


def _tampered(link: str) -> str:
    head, token = link.rsplit("/", 1)
    return f"{head}/{token[:-3]}{'abc' if token[-3:] != 'abc' else 'xyz'}"


def test_a_tampered_or_borrowed_link_is_refused(frozen, client, make_series, mailbox):
    """Is a link with an altered token, or a member's token on another member's address, refused?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series)
    paris, delhi = _member(series, "Europe/Paris"), _member(series, "Asia/Kolkata")
    link = _poll_link(mailbox, paris)
    client.post("/sign-out")
    answers = _answers(poll, "yes", "yes", "yes")
    assert client.get(_tampered(link)).status_code == 400
    assert client.post(_tampered(link), data=answers).status_code == 400
    borrowed = link.replace(f"/answer/{paris.id}/", f"/answer/{delhi.id}/")
    assert client.post(borrowed, data=answers).status_code == 400
    other_poll = link.replace(f"/polls/{poll.id}/", f"/polls/{poll.id + 1}/")
    assert client.post(other_poll, data=answers).status_code == 400
    assert db.session.scalars(select(PollAnswer)).all() == []


def test_the_link_stops_when_the_poll_is_closed(frozen, client, make_series, mailbox):
    """Once the Secretariat closes the poll, does its link answer 409 and record nothing?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series)
    link = _poll_link(mailbox, _member(series, "Europe/Paris"))
    assert client.post(f"/calls/polls/{poll.id}/close").status_code == 302
    client.post("/sign-out")
    assert client.get(link).status_code == 409
    response = client.post(link, data=_answers(poll, "yes", "yes", "yes"))
    assert response.status_code == 409
    assert "This poll is closed" in response.get_data(as_text=True)
    assert db.session.scalars(select(PollAnswer)).all() == []


def test_the_link_stops_after_the_poll(client, make_series, mailbox):
    """After the poll's closing time, does the link answer 409 and record nothing?"""
    series = make_series()
    with freeze_time(NOW, tick=True):
        poll = _sent_poll(client, mailbox, series)
        link = _poll_link(mailbox, _member(series, "Europe/Paris"))
        client.post("/sign-out")
    with freeze_time(poll.closes_at + timedelta(minutes=1)):
        assert client.get(link).status_code == 409
        assert client.post(link, data=_answers(poll, "yes", "yes", "yes")).status_code == 409
    assert db.session.scalars(select(PollAnswer)).all() == []


def test_the_link_stops_for_a_deactivated_member(frozen, client, make_series, mailbox):
    """Does the link of a member whose account was deactivated stop working?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series)
    paris = _member(series, "Europe/Paris")
    link = _poll_link(mailbox, paris)
    paris.active = False
    db.session.commit()
    client.post("/sign-out")
    assert client.get(link).status_code == 403
    assert client.post(link, data=_answers(poll, "yes", "yes", "yes")).status_code == 403
    assert db.session.scalars(select(PollAnswer)).all() == []


# --- sending a poll: what is refused ---------------------------------------------------------


@pytest.mark.parametrize("count", [2, 7])
def test_a_poll_asks_about_three_to_six_slots(frozen, client, make_series, mailbox, count):
    """Is a poll of fewer than three or more than six slots refused with a reason?"""
    series = make_series()
    sign_in(client, series.organiser)
    offered = _candidates(client, series)[:count]
    typed = [NOW + timedelta(days=8, hours=h) for h in range(count - len(offered))]
    response = _send(client, series, offered, typed[:6])
    assert response.status_code == 422
    assert "Choose between 3 and 6 different slots" in response.get_data(as_text=True)
    assert _poll(series) is None and mailbox.messages == []


def test_a_slot_too_close_to_a_confirmed_call_is_refused(
    frozen, client, make_series, make_call, mailbox
):
    """Is a typed slot within the series' minimum gap of a confirmed call refused, with why?"""
    series = make_series()
    make_call(series, NOW + timedelta(days=10))
    sign_in(client, series.organiser)
    offered = _candidates(client, series)[:2]
    response = _send(client, series, offered, [NOW + timedelta(days=20)])
    assert response.status_code == 422
    assert "must be at least 28 days apart" in response.get_data(as_text=True)
    assert _poll(series) is None and mailbox.messages == []


def test_a_second_open_poll_is_refused(frozen, client, make_series, mailbox):
    """While a poll is open, is another for the same series refused (409), nothing sent?"""
    series = make_series()
    _sent_poll(client, mailbox, series)
    mailbox.clear()
    response = _send(client, series, _candidates(client, series)[:3])
    assert response.status_code == 409
    assert "A poll is already open" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Poll)).all()) == 1 and mailbox.messages == []


def test_only_the_secretariat_sends_polls(frozen, client, make_series, mailbox):
    """Can a member open the new-poll page or send a poll? (No.)"""
    series = make_series()
    sign_in(client, _member(series, "Europe/Paris"))
    assert client.get(f"/calls/series/{series.id}/poll").status_code == 403
    assert _send(client, series, [], [NOW + timedelta(days=8)]).status_code == 403


# --- confirming from the poll ----------------------------------------------------------------


def test_confirming_a_poll_slot_checks_it_and_closes_the_poll(frozen, client, make_series, mailbox):
    """Does confirming a weekend slot from the poll show the warning first (nothing sent), then,
    acknowledged, create the call, invite everyone and close the poll, its links dead?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series, typed=[SATURDAY])
    link = _poll_link(mailbox, _member(series, "Europe/Paris"))
    mailbox.clear()
    data = {"start": SATURDAY.isoformat()}
    review = client.post(f"/calls/polls/{poll.id}/confirm", data=data)
    assert review.status_code == 200
    html = review.get_data(as_text=True)
    assert "Check before sending" in html and "is a weekend day" in html
    assert f'action="/calls/polls/{poll.id}/confirm"' in html
    assert series.calls == [] and mailbox.messages == []
    db.session.refresh(poll)
    assert poll.status is PollStatus.OPEN

    response = post_acknowledging(client, f"/calls/polls/{poll.id}/confirm", data={**data})
    assert response.status_code == 302
    call = db.session.scalar(select(Call).where(Call.series_id == series.id))
    assert call.starts_at == SATURDAY and call.status is CallStatus.CONFIRMED
    db.session.refresh(poll)
    assert poll.status is PollStatus.CLOSED and poll.call_id == call.id
    assert {str(m["To"]) for m in mailbox.messages} == {m.email for m in series.members}
    assert all(m["Subject"].startswith("Invitation:") for m in mailbox.messages)

    client.post("/sign-out")
    assert client.get(link).status_code == 409
    sign_in(client, series.organiser)
    again = post_acknowledging(client, f"/calls/polls/{poll.id}/confirm", data={**data})
    assert again.status_code == 302 and again.location.endswith(f"/calls/{call.id}")
    assert len(db.session.scalars(select(Call)).all()) == 1


def test_only_a_slot_of_the_poll_is_confirmed_from_it(frozen, client, make_series, mailbox):
    """Is a start that is not one of the poll's slots refused by the poll's confirm?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series)
    other = poll.slots[0].starts_at + timedelta(hours=1)
    response = post_acknowledging(
        client, f"/calls/polls/{poll.id}/confirm", data={"start": other.isoformat()}
    )
    assert response.status_code == 302
    assert db.session.scalars(select(Call)).all() == []


def test_confirming_from_the_planner_closes_the_open_poll(frozen, client, make_series, mailbox):
    """When the Secretariat confirms a slot from the planner instead, is the open poll closed?"""
    series = make_series()
    poll = _sent_poll(client, mailbox, series)
    start = poll.slots[1].starts_at
    post_acknowledging(
        client,
        f"/calls/series/{series.id}/confirm",
        data={"start": start.isoformat()},
    )
    db.session.refresh(poll)
    assert poll.status is PollStatus.CLOSED and poll.call is not None
    assert poll.call.starts_at == start


def test_a_poll_slot_is_scored_as_the_planner_scores_it(frozen, make_series):
    """Is the score shown beside a poll slot the planner's own score for that start, absences
    and the fairness term included?"""
    series = make_series()
    member = _member(series, "Asia/Kolkata")
    db.session.add(
        AwayPeriod(
            user=member,
            starts_on=NOW.date() + timedelta(days=1),
            ends_on=NOW.date() + timedelta(days=3),
        )
    )
    past = lifecycle.confirm_call(series.id, NOW - timedelta(days=30, hours=13), notify=False)
    past.status = CallStatus.HELD  # a night for New York and Paris: their burden weighs
    db.session.commit()
    data = services.plan_input(series)
    assert any(burdens(data).values())
    candidates = plan_call(data, limit=6).candidates
    assert any(c.away for c in candidates)
    for candidate in candidates:
        assert assess(data, candidate.start).score == pytest.approx(candidate.score)
        assert assess(data, candidate.start).away == candidate.away
