"""The public members directory: consent first, e-mail never."""

from __future__ import annotations


def test_only_members_who_agreed_are_listed_without_email(client, make_member):
    """Are only consenting, active members shown, by constituency, and never an e-mail address?"""
    make_member(
        "listed@example.org",
        name="Listed Member",
        constituency="trade-unions",
        organisation="ICFTU",
        listed_in_directory=True,
        website="https://union.example.org",
    )
    make_member("quiet@example.org", name="Quiet Member", listed_in_directory=False)
    make_member("gone@example.org", name="Gone Member", listed_in_directory=True, active=False)
    make_member("ngo@example.org", name="NGO Member", constituency="ngos", listed_in_directory=True)
    html = client.get("/steering-group").get_data(as_text=True)
    assert "Listed Member" in html and "NGO Member" in html
    assert "Quiet Member" not in html
    assert "Gone Member" not in html
    assert "@example.org" not in html
    assert '<a href="https://union.example.org"' in html
    assert (
        html.index("Trade unions")
        < html.index("Listed Member")
        < html.index("NGOs")
        < html.index("NGO Member")
    )


def test_consent_can_be_withdrawn_on_the_profile_page(client, make_member):
    """Does unticking the consent on one's profile remove one from the directory?"""
    from tests.conftest import sign_in

    member = make_member(name="Changing Mind", listed_in_directory=True)
    assert "Changing Mind" in client.get("/steering-group").get_data(as_text=True)
    sign_in(client, member)
    response = client.post(
        "/profile",
        data={
            "display_name": "Changing Mind",
            "organisation": "",
            "country": "KE",
            "timezone": "Africa/Nairobi",
            "language": "en",
            "website": "",
        },
    )
    assert response.status_code == 302
    client.post("/sign-out")
    assert "Changing Mind" not in client.get("/steering-group").get_data(as_text=True)


def test_a_website_that_is_not_a_web_link_is_not_linked(client, make_member):
    """Is a 'javascript:' website shown as nothing rather than a link?"""
    make_member(name="Odd Site", listed_in_directory=True, website="javascript:alert(1)")
    html = client.get("/steering-group").get_data(as_text=True)
    assert "Odd Site" in html
    assert "javascript:" not in html
