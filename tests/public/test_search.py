"""The public list of VIA profiles: search, filters, pagination, and what it never shows."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from consult.public.models import ProfileStatus, ProfileType
from consult.public.profiles import ProfileQuery, search_profiles


def names_on(client, query: str = "") -> list[str]:
    """Profile names listed on the public page for ``query``."""
    html = client.get(f"/profiles{query}").get_data(as_text=True)
    return re.findall(r'<h2><a href="/profiles/\d+"><bdi>([^<]+)</bdi></a></h2>', html)


def test_words_match_name_organisation_and_description(client, make_profile):
    """Does a word find profiles by name, sponsoring organisation or description?"""
    make_profile("Pesticides code", organisation="FAO")
    make_profile("Breast-milk code", organisation="WHO", description="Marketing in Geneva")
    make_profile("Responsible Care", organisation="Chemical Manufacturers Association")
    assert names_on(client, "?q=pesticides") == ["Pesticides code"]
    assert names_on(client, "?q=fao") == ["Pesticides code"]
    assert names_on(client, "?q=GENEVA") == ["Breast-milk code"]
    assert names_on(client, "?q=code") == ["Breast-milk code", "Pesticides code"]


def test_every_word_must_match_and_accents_do_not_matter(client, make_profile):
    """Must all words occur, and does 'sao paulo' find 'São Paulo' on every database?"""
    make_profile("Forest pact", description="Signed in São Paulo by timber firms")
    make_profile("Forest label", description="Certified timber")
    assert names_on(client, "?q=forest+timber") == ["Forest label", "Forest pact"]
    assert names_on(client, "?q=sao+paulo") == ["Forest pact"]
    assert names_on(client, "?q=SÃO") == ["Forest pact"]
    assert names_on(client, "?q=forest+mining") == []


def test_like_wildcards_in_a_query_are_plain_characters(client, make_profile):
    """Does a '%' or '_' typed by a visitor match only itself, not everything?"""
    make_profile("Ten per cent", description="cuts 10% of emissions")
    make_profile("Other")
    assert names_on(client, "?q=%25") == ["Ten per cent"]
    assert names_on(client, "?q=_") == []


def test_filters_by_sector_country_and_type(client, make_profile):
    """Do the sector, country and type filters narrow the list, alone and together?"""
    make_profile("A", sector="chemicals", countries=["BR", "MX"], type=ProfileType.CODE_OF_CONDUCT)
    make_profile("B", sector="chemicals", countries=["IN"], type=ProfileType.CERTIFICATION)
    make_profile("C", sector="forestry", countries=["BR"], type=ProfileType.CERTIFICATION)
    assert names_on(client, "?sector=chemicals") == ["A", "B"]
    assert names_on(client, "?country=BR") == ["A", "C"]
    assert names_on(client, "?country=br") == ["A", "C"]
    assert names_on(client, "?type=certification") == ["B", "C"]
    assert names_on(client, "?sector=chemicals&country=BR") == ["A"]
    assert names_on(client, "?sector=forestry&type=code-of-conduct") == []


def test_unknown_filter_values_are_ignored_not_errors(client, make_profile):
    """Does a made-up filter value or page number show the list instead of an error?"""
    make_profile("A")
    for query in ("?sector=nonsense", "?type=<script>", "?country=XYZ", "?page=abc", "?page=-3"):
        response = client.get(f"/profiles{query}")
        assert response.status_code == 200, query
        assert "A" in names_on(client, query)


def test_country_filter_offers_only_countries_of_published_profiles(client, make_profile):
    """Are the country choices those of published profiles, by name?"""
    make_profile("Public", countries=["ZA"])
    make_profile("Hidden", countries=["HU"], status=ProfileStatus.DRAFT)
    html = client.get("/profiles").get_data(as_text=True)
    assert '<option value="ZA">South Africa</option>' in html
    assert 'value="HU"' not in html


def test_pages_of_ten_with_links_that_keep_the_filters(client, make_profile):
    """Are 23 matching profiles shown ten a page, with links that keep the search?"""
    for number in range(23):
        make_profile(f"Chem {number:02d}", sector="chemicals")
    make_profile("Unrelated", sector="mining")
    first = client.get("/profiles?sector=chemicals").get_data(as_text=True)
    assert "23 profiles found." in first
    assert names_on(client, "?sector=chemicals") == [f"Chem {n:02d}" for n in range(10)]
    assert 'href="/profiles?sector=chemicals&amp;page=2"' in first
    assert names_on(client, "?sector=chemicals&page=3") == ["Chem 20", "Chem 21", "Chem 22"]
    last = client.get("/profiles?sector=chemicals&page=3").get_data(as_text=True)
    assert 'rel="next"' not in last
    beyond = client.get("/profiles?sector=chemicals&page=9")
    assert beyond.status_code == 200
    assert "There is no such page." in beyond.get_data(as_text=True)


def test_only_published_profiles_are_listed_or_found(client, make_profile):
    """Do drafts, proposals and archived profiles stay out of the list and the search?"""
    make_profile("Visible code")
    make_profile("Draft code", status=ProfileStatus.DRAFT)
    make_profile("Proposed code", status=ProfileStatus.PROPOSED)
    make_profile("Archived code", status=ProfileStatus.ARCHIVED)
    assert names_on(client) == ["Visible code"]
    assert names_on(client, "?q=code") == ["Visible code"]
    assert names_on(client, "?q=draft") == []


def test_query_cleaning_without_http(app):
    """Does the query reader keep known filters and drop the rest?"""
    query = ProfileQuery.from_args(
        MultiDict({"q": "  Responsible  Care ", "sector": "bogus", "country": "mx", "page": "2"})
    )
    assert query.words == ["responsible", "care"]
    assert (query.sector, query.country, query.page) == ("", "MX", 2)
    assert query.args(page=1) == {"q": "Responsible  Care", "country": "MX"}


def test_search_rule_without_http(app, make_profile):
    """Does the search function page and count on its own?"""
    for number in range(5):
        make_profile(f"P{number}", description="tourism")
    page = search_profiles(ProfileQuery(text="TOURISM", page=2), per_page=2)
    assert page.total == 5
    assert [p.name for p in page.items] == ["P2", "P3"]
