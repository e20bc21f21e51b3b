"""Two headless Chromium pages on one section: every change is patched in place in the other page.

The reader's page is checked for what a member on it would notice: the new or changed
comment is there, in the right place; the reply they are typing, its focus and their scroll
position are untouched; the page did not reload and never fetched the whole thread again
(the browser's own list of the resources it fetched says so).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from sqlalchemy import create_engine, update
from sqlalchemy.orm import Session

from consult.accounts.models import Role, User
from consult.config import normalise_database_url
from tests.browser import axe_violations, chromium
from tests.live import LiveServer
from tests.toolkit.conftest import live_env
from tests.toolkit.livehelpers import (
    browser_session,
    csrf_token,
    post_comment,
    seed,
    session_cookie,
)

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture(scope="module")
def page_server(
    live_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A gunicorn process of these pages' own: other tests' sockets count against the
    per-address cap of the shared one."""
    instance = tmp_path_factory.mktemp("toolkit-pages")
    server = LiveServer(env=live_env(live_database_url, instance)).start()
    yield server
    server.stop()


THREAD_FETCHES = (
    "return performance.getEntriesByType('resource').filter(e => e.name.includes('/thread')).length"
)


def _make_secretariat(database_url: str, user_id: int) -> None:
    engine = create_engine(normalise_database_url(database_url))
    with Session(engine) as session:
        session.execute(update(User).where(User.id == user_id).values(role=Role.SECRETARIAT))
        session.commit()
    engine.dispose()


def _open(driver: Any, base_url: str, user_id: int, section_id: int) -> None:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base_url}/static/css/toolkit.css")
    driver.add_cookie({"name": "session", "value": session_cookie(user_id), "path": "/"})
    driver.get(f"{base_url}/toolkit/sections/{section_id}")
    try:  # generous: the machine running the tests may be busy
        WebDriverWait(driver, 60).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, "#discussion[data-live='joined']"))
        )
    except TimeoutException as error:
        raise AssertionError(f"the page did not join its room: {driver.current_url}") from error


def _state(driver: Any) -> dict:
    """What the reader would notice changing under them."""
    return driver.execute_script(
        """
        const reply = document.getElementById('reply-form');
        const anchor = document.getElementById(window.__anchor);
        return {
          marker: window.__marker || null,
          reply: reply.elements.body.value,
          replyShown: !reply.hidden,
          focused: document.activeElement === reply.elements.body,
          anchorTop: anchor ? Math.round(anchor.getBoundingClientRect().top) : null,
          threadFetches: performance.getEntriesByType('resource')
            .filter(e => e.name.includes('/thread')).length,
        };
        """
    )


def test_changes_are_patched_in_place_in_another_page(page_server, live_database_url):
    """Do new comments, replies, edits, hiding, resolving and deleting reach another page in place?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    seeded = seed(live_database_url, members=3)
    writer_id, reader_id, officer_id = seeded.member_ids
    _make_secretariat(live_database_url, officer_id)
    section_id = seeded.section_id
    base = page_server.url
    writer_http = browser_session(base, writer_id)
    token = csrf_token(writer_http, base, section_id)
    first = post_comment(writer_http, base, section_id, "First comment", token)
    for number in range(2, 31):  # enough to scroll
        post_comment(
            writer_http, base, section_id, f"Earlier comment {number}\n\n" + "Text. " * 40, token
        )
    own = post_comment(writer_http, base, section_id, "The writer's last comment", token)

    with ExitStack() as stack:
        reader = stack.enter_context(chromium())
        writer = stack.enter_context(chromium())
        _open(reader, base, reader_id, section_id)
        _open(writer, base, writer_id, section_id)
        wait = WebDriverWait(reader, 40)

        # the reader starts a reply to the last comment, scrolled down to it, and types
        reader.execute_script("window.__marker = 'same page'; window.__anchor = 'reply-form';")
        reader.find_element(By.CSS_SELECTOR, f"#comment-{own} a[data-reply]").click()
        reader.find_element(By.ID, "reply-body").send_keys("Half-written reply")
        reader.execute_script(
            "document.getElementById('reply-form').scrollIntoView({block: 'center'});"
        )
        before = _state(reader)
        assert before["focused"] and before["reply"] == "Half-written reply"

        def unchanged() -> None:
            now = _state(reader)
            assert now["marker"] == "same page"  # no reload
            assert now["reply"] == "Half-written reply" and now["replyShown"] and now["focused"]
            assert now["threadFetches"] == 0  # never the whole thread again
            assert abs(now["anchorTop"] - before["anchorTop"]) <= 1  # nothing jumped

        # 1. a reply to the first comment, far above what the reader looks at
        writer.find_element(By.CSS_SELECTOR, f"#comment-{first} a[data-reply]").click()
        writer.find_element(By.ID, "reply-body").send_keys("A reply to the first")
        writer.find_element(By.CSS_SELECTOR, "#reply-form button[type=submit]").click()
        wait.until(lambda d: "A reply to the first" in d.find_element(By.ID, "thread").text)
        placed = reader.execute_script(
            """
            const reply = [...document.querySelectorAll('#thread-items > article')]
              .find(a => a.textContent.includes('A reply to the first'));
            return {previous: reply.previousElementSibling.id, depth: reply.className,
                    path: reply.dataset.path, time: reply.querySelector('time').textContent,
                    words: reply.querySelector('.reply-link').textContent,
                    mine: reply.querySelectorAll('[data-for], input[data-csrf]').length,
                    edit: !!reply.querySelector('a[href$="/edit"]')};
            """
        )
        assert placed["previous"] == f"comment-{first}" and "depth-1" in placed["depth"]
        assert placed["path"].startswith(f"{first}/") and placed["time"]
        assert placed["words"] == "Reply" and placed["mine"] == 0 and not placed["edit"]
        unchanged()

        # 2. a new top-level comment, at the end, announced to screen readers
        writer.find_element(By.ID, "body").send_keys("Seen without reload")
        writer.find_element(By.CSS_SELECTOR, "#comment-form button[type=submit]").click()
        wait.until(lambda d: "Seen without reload" in d.find_element(By.ID, "thread").text)
        assert reader.find_element(By.ID, "live-status").get_attribute("aria-live") == "polite"
        assert "New comment by Live member" in reader.find_element(By.ID, "live-status").text
        last = reader.execute_script(
            "return document.querySelector('#thread-items > article:last-child').textContent"
        )
        assert "Seen without reload" in last
        unchanged()

        # 3. the writer edits the comment the reader is answering: patched in the same node
        reader.execute_script(f"document.getElementById('comment-{own}').__same = true;")
        writer.get(f"{base}/toolkit/comments/{own}/edit")
        body = writer.find_element(By.ID, "body")
        body.clear()
        body.send_keys("The writer's last comment, corrected")
        body.submit()
        wait.until(lambda d: "corrected" in d.find_element(By.ID, f"comment-{own}").text)
        assert reader.execute_script(f"return document.getElementById('comment-{own}').__same;")
        assert "edited" in reader.find_element(By.ID, f"comment-{own}").text
        unchanged()

        # 4. the Secretariat hides it, then resolves the first thread
        officer = browser_session(base, officer_id)
        officer_token = csrf_token(officer, base, section_id)
        officer.post(
            f"{base}/toolkit/comments/{own}/hide",
            data={"csrf_token": officer_token, "reason": "Off topic"},
            timeout=10,
        ).raise_for_status()
        wait.until(
            lambda d: (
                "Hidden by the Secretariat: Off topic"
                in d.find_element(By.ID, f"comment-{own}").text
            )
        )
        assert "corrected" not in reader.find_element(By.ID, f"comment-{own}").text
        unchanged()
        officer.post(
            f"{base}/toolkit/comments/{first}/resolve",
            data={"csrf_token": officer_token},
            timeout=10,
        ).raise_for_status()
        wait.until(
            lambda d: (
                "is-resolved" in d.find_element(By.ID, f"comment-{first}").get_attribute("class")
            )
        )
        assert "Thread resolved" in reader.find_element(By.ID, f"comment-{first}").text
        unchanged()

        # 5. the writer deletes the reply (no replies under it): it leaves the thread
        reply_id = int(
            reader.execute_script(
                "return [...document.querySelectorAll('#thread-items > article')]"
                ".find(a => a.textContent.includes('A reply to the first')).dataset.comment"
            )
        )
        writer.get(f"{base}/toolkit/sections/{section_id}")
        writer.find_element(
            By.CSS_SELECTOR, f"#comment-{reply_id} form[action$='/delete'] button"
        ).click()
        wait.until(lambda d: not d.find_elements(By.ID, f"comment-{reply_id}"))
        unchanged()
        assert reader.execute_script(THREAD_FETCHES) == 0
        assert axe_violations(reader) == []  # the patched thread as accessible as a served one


#: Keeps the socket the page's script opens, so that the test can drop and restore it.
CATCH_SOCKET = """
let real;
Object.defineProperty(window, 'io', {
  configurable: true,
  get() { return real; },
  set(value) {
    real = value && function () {
      const socket = value.apply(this, arguments);
      if (socket.nsp === '/toolkit') { window.__socket = socket; }  // not another panel's
      return socket;
    };
    if (real) { Object.assign(real, value); }
  },
});
"""


def test_a_page_back_from_a_lost_connection_catches_up(page_server, live_database_url):
    """Does a page that was away replay what it missed, and fetch the thread only when too far behind?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from consult.toolkit.live import CATCH_UP_LIMIT

    seeded = seed(live_database_url, members=2)
    writer_id, reader_id = seeded.member_ids
    base = page_server.url
    writer_http = browser_session(base, writer_id)
    token = csrf_token(writer_http, base, seeded.section_id)
    joined = (By.CSS_SELECTOR, "#discussion[data-live='joined']")
    with chromium() as reader:
        reader.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_SOCKET})
        _open(reader, base, reader_id, seeded.section_id)
        wait = WebDriverWait(reader, 40)
        reader.execute_script("window.__marker = 'same page';")

        reader.execute_script("window.__socket.disconnect();")
        for text in ("While away one", "While away two"):
            post_comment(writer_http, base, seeded.section_id, text, token)
        reader.execute_script("window.__socket.connect();")
        wait.until(lambda d: "While away two" in d.find_element(By.ID, "thread").text)
        text = reader.find_element(By.ID, "thread").text
        assert text.index("While away one") < text.index("While away two")
        assert reader.execute_script(THREAD_FETCHES) == 0  # replayed from the join's answer
        wait.until(ec.presence_of_element_located(joined))

        # a reply half written to the first comment is carried over the fetch of the thread
        first = reader.execute_script(
            "return [...document.querySelectorAll('#thread-items > article')]"
            ".find(a => a.textContent.includes('While away one')).id"
        )
        reader.find_element(By.CSS_SELECTOR, f"#{first} a[data-reply]").click()
        reader.find_element(By.ID, "reply-body").send_keys("Still typing")
        reader.execute_script("window.__socket.disconnect();")
        for number in range(CATCH_UP_LIMIT + 1):
            post_comment(writer_http, base, seeded.section_id, f"Long away {number}", token)
        reader.execute_script("window.__socket.connect();")
        wait.until(lambda d: f"Long away {CATCH_UP_LIMIT}" in d.find_element(By.ID, "thread").text)
        assert reader.execute_script(THREAD_FETCHES) == 1  # too far behind: the thread, once
        assert reader.execute_script("return window.__marker;") == "same page"
        reply = reader.execute_script(
            """
            const form = document.getElementById('reply-form');
            return {value: form.elements.body.value, shown: !form.hidden,
                    under: form.parentNode.id, parent: form.elements.parent_id.value,
                    focused: document.activeElement === form.elements.body};
            """
        )
        assert reply == {
            "value": "Still typing",
            "shown": True,
            "under": first,
            "parent": first.removeprefix("comment-"),
            "focused": True,
        }


def test_the_secretariat_page_fetches_only_the_hidden_node(page_server, live_database_url):
    """Does a Secretariat page, told a comment was hidden, fetch that one node with its text?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    seeded = seed(live_database_url, members=3)
    writer_id, officer_id, other_officer_id = seeded.member_ids
    for user_id in (officer_id, other_officer_id):
        _make_secretariat(live_database_url, user_id)
    base = page_server.url
    writer_http = browser_session(base, writer_id)
    comment = post_comment(writer_http, base, seeded.section_id, "Regrettable words")
    with chromium() as page:
        _open(page, base, officer_id, seeded.section_id)
        node = page.find_element(By.ID, f"comment-{comment}")
        assert "Show again" not in node.text and "Hide" in node.text
        other = browser_session(base, other_officer_id)
        other.post(
            f"{base}/toolkit/comments/{comment}/hide",
            data={"csrf_token": csrf_token(other, base, seeded.section_id), "reason": "Personal"},
            timeout=10,
        ).raise_for_status()
        WebDriverWait(page, 40).until(
            lambda d: "Show again" in d.find_element(By.ID, f"comment-{comment}").text
        )
        text = page.find_element(By.ID, f"comment-{comment}").text
        assert "Regrettable words" in text
        assert "Hidden from members by the Secretariat: Personal" in text
        fetched = page.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(n => n.includes('/thread') || n.includes('/node'))"
        )
        assert fetched == [f"{base}/toolkit/comments/{comment}/node"]
