"""The toolkit on the public home page."""


def test_home_lists_published_sections_only(client, make_section):
    """Does the public home page show the latest published sections, never drafts?"""
    make_section("Purpose and scope of the toolkit", published=True)
    make_section("Draft: use and impact in developing countries")
    html = client.get("/").get_data(as_text=True)
    assert "Latest toolkit sections" in html
    assert "Purpose and scope of the toolkit" in html
    assert "Draft: use and impact" not in html


def test_home_has_no_toolkit_block_without_published_sections(client, make_section):
    """Is the block left out while nothing is published?"""
    make_section("Only a draft")
    assert "Latest toolkit sections" not in client.get("/").get_data(as_text=True)
