"""Headless Chromium for the tests (Debian's chromium and chromedriver), and axe-core on its pages."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.live import ROOT
from tests.services import require, require_chromium

#: Chromium as the probe of this workplace starts it: no network of its own, a fresh profile.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@contextmanager
def chromium(*, javascript: bool = True, width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A headless Chromium window of the given size (a selenium WebDriver), closed afterwards."""
    binary, driver_path = require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(driver_path))
        try:
            yield driver
        finally:
            driver.quit()


def viewport(driver: Any, width: int, height: int = 800) -> None:
    """Lay pages out at ``width`` CSS pixels, as a phone would (a window cannot be under 500 px)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )


def scrolls_sideways(driver: Any) -> bool:
    """True when the open page is wider than the viewport."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def axe_violations(
    driver: Any, impacts: tuple[str, ...] = ("serious", "critical"), disabled: tuple[str, ...] = ()
) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations of the page open in ``driver``, of those impacts.

    ``disabled`` names rules to leave out. axe is injected unless the page has it already
    (``Page.addScriptToEvaluateOnNewDocument`` puts it in every page at once).
    """
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        require(AXE.exists(), f"axe-core is not installed ({AXE}); run `make vendor`")
        driver.execute_script(AXE.read_text())
    result = driver.execute_async_script(
        """
        const disabled = arguments[0];
        const done = arguments[arguments.length - 1];
        const rules = Object.fromEntries(disabled.map(id => [id, {enabled: false}]));
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                           resultTypes: ['violations'], rules: rules})
          .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                   nodes: v.nodes.map(n => n.target.join(' '))}))));
        """,
        list(disabled),
    )
    return [v for v in result if v["impact"] in impacts]


def sign_in(driver: Any, base_url: str, email: str, password: str) -> None:
    """Sign in through the real form."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base_url}/sign-in")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.NAME, "password").submit()
    WebDriverWait(driver, 20).until(lambda d: "/sign-in" not in d.current_url)
