"""The public home page and its registry of blocks."""

from __future__ import annotations

from types import SimpleNamespace

from consult.public.home import HomeBlock, register_home_block
from consult.public.models import ProfileStatus, Visibility


def test_home_explains_the_process_to_a_visitor(client):
    """Does the home page say what the process is, with links to the public sections?"""
    html = client.get("/").get_data(as_text=True)
    assert "CSD-6" in html and "Toronto" in html and "March 1999" in html
    for path in ("/key-elements", "/profiles", "/studies", "/steering-group"):
        assert f'href="{path}"' in html


def test_registered_blocks_appear_in_order_and_none_hides_one(
    app, client, monkeypatch, make_profile
):
    """Does a block another capability registers appear in its place, and a None show nothing?"""
    blocks = list(app.extensions.get("consult_home_blocks", []))
    monkeypatch.setitem(app.extensions, "consult_home_blocks", blocks)
    profile = make_profile("Featured code")
    # Plain values: the block must not lazy-load the test's objects inside the request.
    featured = SimpleNamespace(id=profile.id, name=profile.name, organisation="Forum")
    register_home_block(
        app,
        lambda: HomeBlock(
            "Next public events", "public/_block_profiles.html", {"profiles": [featured]}
        ),
        order=1,
    )
    register_home_block(app, lambda: None, order=2)
    html = client.get("/").get_data(as_text=True)
    assert html.count('class="home-block"') == 2
    assert html.index("Next public events") < html.index("Recently added VIA profiles")


def test_home_lists_latest_public_documents_and_profiles_only(client, make_document, make_profile):
    """Are public documents and published profiles on the home page, members-only and drafts not?"""
    make_document("Open background paper")
    make_document("Members' draft", visibility=Visibility.MEMBERS)
    make_profile("Published code")
    make_profile("Draft code", status=ProfileStatus.DRAFT)
    html = client.get("/").get_data(as_text=True)
    assert "Open background paper" in html
    assert "Members&#39; draft" not in html
    assert "Published code" in html
    assert "Draft code" not in html
