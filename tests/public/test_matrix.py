"""The assessment matrix: profiles against key elements, in words."""

from __future__ import annotations

import re

from consult.public.matrix import build_matrix
from consult.public.models import Assessment, ProfileStatus, Rating


def cells_of(html: str, profile_name: str) -> list[str]:
    """The words in each cell of a profile's row of the matrix."""
    row = re.search(
        rf"<tr>\s*<th scope=\"row\"><a [^>]+><bdi>{re.escape(profile_name)}</bdi></a></th>(.*?)</tr>",
        html,
        re.S,
    )
    assert row, f"no row for {profile_name}"
    cells = re.findall(r"<td class=\"rating rating-[\w-]+\">(.*?)</td>", row.group(1), re.S)
    return [
        re.sub(r"<[^>]+>|\s+", " ", cell)
        .replace("✓", "")
        .replace("◐", "")
        .replace("✗", "")
        .replace("?", "")
        .strip()
        for cell in cells
    ]


def test_matrix_shows_each_judgement_in_words(client, make_profile, make_key_element, assess):
    """Does each cell say met / partly met / not met / unknown, in key element order?"""
    first = make_key_element("Transparency", position=2)
    second = make_key_element("Monitoring", position=1)
    third = make_key_element("Participation", position=3)
    code = make_profile("Pesticides code")
    care = make_profile("Responsible Care")
    assess(code, first, Rating.MET)
    assess(code, second, Rating.PARTLY)
    assess(code, third, Rating.NOT_MET)
    assess(care, third, Rating.MET)
    html = client.get("/key-elements/matrix").get_data(as_text=True)
    assert html.index("Monitoring") < html.index("Transparency") < html.index("Participation")
    assert cells_of(html, "Pesticides code") == ["Partly met", "Met", "Not met"]
    assert cells_of(html, "Responsible Care") == ["Unknown", "Unknown", "Met"]


def test_matrix_holds_only_published_profiles(client, make_profile, make_key_element):
    """Are drafts, proposals and archived profiles kept out of the public matrix?"""
    make_key_element("Monitoring")
    make_profile("Public one")
    for status in (ProfileStatus.DRAFT, ProfileStatus.PROPOSED, ProfileStatus.ARCHIVED):
        make_profile(f"Hidden {status.value}", status=status)
    html = client.get("/key-elements/matrix").get_data(as_text=True)
    assert "Public one" in html
    assert "Hidden" not in html


def test_secretariat_records_and_changes_a_judgement(
    secretariat_client, make_profile, make_key_element
):
    """Does the assessment form create one judgement per cell and then update it?"""
    profile = make_profile("Code")
    element = make_key_element("Monitoring")
    path = f"/manage/profiles/{profile.id}/assess/{element.id}"
    secretariat_client.post(
        path, data={"rating": "partly", "note": "Self-reporting only", "source": "Code, art. 12"}
    )
    secretariat_client.post(
        path, data={"rating": "met", "note": "Audited since", "source": "Annual report"}
    )
    assert len(profile.assessments) == 1
    assessment = profile.assessments[0]
    assert (assessment.rating, assessment.note, assessment.source) == (
        Rating.MET,
        "Audited since",
        "Annual report",
    )
    page = secretariat_client.get(f"/profiles/{profile.id}").get_data(as_text=True)
    assert "Audited since" in page and "Annual report" in page
    bad = secretariat_client.post(path, data={"rating": "excellent"})
    assert bad.status_code == 422


def test_members_cannot_assess(member_client, make_profile, make_key_element):
    """Is the assessment form closed to members?"""
    profile = make_profile("Code")
    element = make_key_element("Monitoring")
    response = member_client.post(
        f"/manage/profiles/{profile.id}/assess/{element.id}", data={"rating": "met"}
    )
    assert response.status_code == 403
    assert profile.assessments == []


def test_build_matrix_without_http(app, make_profile, make_key_element):
    """Does the matrix rule fill missing cells with 'unknown' and count ratings?"""
    profile = make_profile("Code")
    one, two = make_key_element("One"), make_key_element("Two")
    judged = Assessment(profile_id=profile.id, key_element_id=two.id, rating=Rating.NOT_MET)
    rows = build_matrix([profile], [one, two], [judged])
    assert [cell.rating for cell in rows[0].cells] == [Rating.UNKNOWN, Rating.NOT_MET]
    assert rows[0].cells[1].assessment is judged
    assert rows[0].count(Rating.UNKNOWN) == 1
