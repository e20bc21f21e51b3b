"""A page whose member signs out (in another tab) stops receiving the discussion: real
Chromium, a real gunicorn process as the README deploys it."""

from __future__ import annotations

import time

import pytest

from tests.browser import chromium
from tests.toolkit.livehelpers import (
    Listener,
    browser_session,
    post_comment,
    seed,
    session_cookie,
)


@pytest.mark.browser
@pytest.mark.live
def test_a_signed_out_page_stops_receiving_new_comments(toolkit_server, live_database_url):
    """After the member signs out in another tab, does their open section page stop showing
    new comments, while another member still receives them?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    seeded = seed(live_database_url, members=2)
    reader, author = seeded.member_ids
    url = f"{toolkit_server.url}/toolkit/sections/{seeded.section_id}"
    http = browser_session(toolkit_server.url, author)
    control = Listener(toolkit_server.url, author).connect()
    try:
        assert control.join(seeded.section_id)["ok"]
        with chromium() as driver:
            wait = WebDriverWait(driver, 20)
            driver.get(f"{toolkit_server.url}/static/css/consult.css")
            driver.add_cookie({"name": "session", "value": session_cookie(reader), "path": "/"})
            driver.get(url)
            wait.until(
                ec.presence_of_element_located((By.CSS_SELECTOR, "#discussion[data-live='joined']"))
            )
            page = driver.current_window_handle

            post_comment(http, toolkit_server.url, seeded.section_id, "Heard while signed in")
            wait.until(ec.text_to_be_present_in_element((By.ID, "thread"), "Heard while signed in"))
            control.next_event()

            driver.switch_to.new_window("tab")
            driver.get(f"{toolkit_server.url}/dashboard")
            driver.find_element(By.CSS_SELECTOR, "form[action$='/sign-out'] button").click()
            wait.until(lambda d: "/dashboard" not in d.current_url)
            driver.switch_to.window(page)
            wait.until(
                ec.presence_of_element_located((By.CSS_SELECTOR, "#discussion[data-live='lost']"))
            )

            comment_id = post_comment(http, toolkit_server.url, seeded.section_id, "Said after")
            assert control.next_event()["comment"]["id"] == comment_id  # it was broadcast
            time.sleep(3)  # time enough for the page to show it, were it still listening
            assert "Said after" not in driver.find_element(By.ID, "thread").text
            assert "Heard while signed in" in driver.find_element(By.ID, "thread").text
    finally:
        control.close()
