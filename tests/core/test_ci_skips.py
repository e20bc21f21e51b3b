"""In CI every collected test runs: a test that skips for a missing service fails there."""

from __future__ import annotations

import pytest

CONFTEST = """
from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport
"""

SKIPPING_TEST = """
import pytest

from tests.services import require


def test_needs_a_service():
    require(False, "no Redis at redis://127.0.0.1:6379/15")


def test_runs():
    assert True


@pytest.mark.xfail(reason="a known bug")
def test_known_bug():
    assert False
"""

SKIPPING_MODULE = """
import pytest

pytest.skip("headless Chromium is not installed", allow_module_level=True)


def test_in_a_browser():
    assert True
"""


@pytest.fixture(autouse=True)
def _own_options(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner runs ignore options meant for this one (CI sets ``--durations=20``)."""
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A small suite with the project's hooks: one test skips, one passes, one is a known bug."""
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_service=SKIPPING_TEST)
    return pytester


@pytest.mark.parametrize("value", ["true", "1"])
def test_a_skip_fails_in_ci(suite, monkeypatch, value):
    """With ``CI`` set, does a test that skips fail, saying why, while an xfail stays an xfail?"""
    monkeypatch.setenv("CI", value)
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1, xfailed=1)
    result.stdout.fnmatch_lines(
        ["*CI must run every test, but this one skipped: no Redis at redis://127.0.0.1:6379/15"]
    )


@pytest.mark.parametrize("value", [None, "", "false"])
def test_a_skip_stays_a_skip_elsewhere(suite, monkeypatch, value):
    """Without ``CI`` (or with ``CI=false``), does a test missing its service only skip?"""
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    result = suite.runpytest("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(passed=1, skipped=1, xfailed=1)
    result.stdout.fnmatch_lines(["SKIPPED*no Redis at redis://127.0.0.1:6379/15"])


def test_a_module_that_skips_itself_fails_in_ci(pytester, monkeypatch):
    """In CI, does a whole module skipping itself (say, with no browser) stop the run?"""
    monkeypatch.setenv("CI", "true")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_browser=SKIPPING_MODULE)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*CI must run every test, but this one skipped: headless Chromium is not installed"]
    )
