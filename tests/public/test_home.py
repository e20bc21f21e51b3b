"""The public home page and the blocks capabilities answer ``signals.home_blocks`` with."""

from __future__ import annotations

from types import SimpleNamespace

from consult import signals
from consult.public.models import ProfileStatus
from consult.signals import Panel


def test_home_explains_the_process_to_a_visitor(client):
    """Does the home page say what the process is, with links to the public sections?"""
    html = client.get("/").get_data(as_text=True)
    assert "CSD-6" in html and "Toronto" in html and "March 1999" in html
    for path in ("/key-elements", "/profiles", "/studies", "/steering-group"):
        assert f'href="{path}"' in html


def test_connected_blocks_appear_in_order_and_none_hides_one(app, client, make_profile):
    """Does a block another capability answers with appear in its place, and a None show nothing?"""
    profile = make_profile("Featured code")
    # Plain values: the block must not lazy-load the test's objects inside the request.
    featured = SimpleNamespace(id=profile.id, name=profile.name, organisation="Forum")

    def featured_block(sender):
        return Panel(
            "Next public events", "public/_block_profiles.html", {"profiles": [featured]}, order=1
        )

    def no_block(sender):
        return None

    with (
        signals.home_blocks.connected_to(featured_block, app),
        signals.home_blocks.connected_to(no_block, app),
    ):
        html = client.get("/").get_data(as_text=True)
    assert html.count('class="home-block"') == 2
    assert html.index("Next public events") < html.index("Recently added VIA profiles")


def test_home_lists_published_profiles_only(client, make_profile):
    """Are published profiles on the home page, and drafts not?"""
    make_profile("Published code")
    make_profile("Draft code", status=ProfileStatus.DRAFT)
    html = client.get("/").get_data(as_text=True)
    assert "Published code" in html
    assert "Draft code" not in html
