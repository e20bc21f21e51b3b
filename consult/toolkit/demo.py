"""Demo toolkit from the real case (FACTS.md ¶2, ¶4 to ¶6, ¶8): sections whose scope is not agreed.

The section texts only restate the source; the demo comments are the kind of exchange the
partners were having, each by a demo member of a different constituency.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.accounts.models import User
from consult.demo import SECRETARIAT_EMAIL
from consult.extensions import db
from consult.toolkit import discussion, live, sections
from consult.toolkit.models import Comment, Section, SectionStatus, Stance

SECTIONS = (
    (
        "Purpose and scope of the toolkit",
        SectionStatus.IN_DISCUSSION,
        False,
        "The VIA toolkit was proposed at the multi-stakeholder consultation in Toronto, Canada "
        "(March 1999). CSD-7 (decision 7/6) asked for information tools on voluntary initiatives "
        "and agreements, such as this toolkit.\n\n"
        "All partners agree that a toolkit is very useful and should be made. **There is no "
        "agreement yet on its scope and content.** Discussion goes on; the aim is to finish the "
        "toolkit before CSD-10, as an input to the 2002 ten-year review.",
    ),
    (
        "Key elements identified at Toronto",
        SectionStatus.IN_DISCUSSION,
        True,
        "The Toronto consultation (March 1999) brought together business, trade unions and NGOs, "
        "governments of developed and developing countries, UNEP and the OECD. It identified a "
        "set of key elements of VIAs, reported to CSD-7 as E/CN.17/1999/12.\n\n"
        "One line of the Steering Group's work is to explore methods to test these key elements.",
    ),
    (
        "Use and impact of VIAs in developing countries",
        SectionStatus.PROPOSED,
        False,
        "CSD-7 asked for information products on VIAs and their use and impact in developing "
        "countries. The small consultative forum in the second week of CSD-8 (1 to 5 May 2000, New "
        "York) is to say clearly which information materials are needed, mainly through "
        "discussion with developing countries.\n\n"
        "A joint project of the CSD Secretariat and MIT's Technology, Business and Environment "
        "Program is to review the potential of VIAs in selected countries. Tentative list:\n\n"
        "- Brazil\n- China\n- Hungary (economy in transition)\n- India\n- Indonesia\n"
        "- Mexico\n- South Africa",
    ),
    (
        "Information needs and related processes",
        SectionStatus.PROPOSED,
        False,
        "Lines of work agreed for the Steering Group:\n\n"
        "1. identify further information needs;\n"
        "2. identify related processes run by stakeholder groups alone or jointly;\n"
        "3. judge whether more consultations with governments and stakeholders are needed and "
        "feasible.",
    ),
)

#: (section title, author e-mail, stance, quoted passage, text, index of the comment replied to)
COMMENTS = (
    (
        "Purpose and scope of the toolkit",
        "unions.brussels@example.org",
        Stance.SUPPORT,
        "",
        "We support making the toolkit now and settling its scope as we go.",
        None,
    ),
    (
        "Purpose and scope of the toolkit",
        "business.geneva@example.org",
        Stance.CONCERN,
        "There is no agreement yet on its scope and content.",
        "Before drafting further we should agree what the toolkit is for: describing existing "
        "VIAs, or judging them.",
        None,
    ),
    (
        "Purpose and scope of the toolkit",
        "ngo.nairobi@example.org",
        Stance.OBJECTION,
        "",
        "A toolkit that leaves out how the key elements are tested would not serve NGOs.",
        None,
    ),
    (
        "Purpose and scope of the toolkit",
        SECRETARIAT_EMAIL,
        None,
        "",
        "Noted for the next teleconference: scope is the first agenda item.",
        1,
    ),
    (
        "Use and impact of VIAs in developing countries",
        "gov.china@example.org",
        Stance.CONCERN,
        "",
        "The information materials should follow what the forum at CSD-8 hears from "
        "developing countries.",
        None,
    ),
    (
        "Use and impact of VIAs in developing countries",
        "ngo.delhi@example.org",
        Stance.SUPPORT,
        "India",
        "Glad to see India on the tentative case-study list.",
        None,
    ),
    (
        "Key elements identified at Toronto",
        "oecd.paris@example.org",
        Stance.SUPPORT,
        "",
        "The NGO workshop's study of three codes, the OECD Guidelines for Multinational "
        "Enterprises among them, could feed the testing of the key elements.",
        None,
    ),
)


def seed_toolkit(users: dict[str, User]) -> None:
    """Create the demo sections, comments and stances that are missing."""
    officer = users[SECRETARIAT_EMAIL]
    by_title: dict[str, Section] = {}
    for title, status, published, body in SECTIONS:
        section = db.session.scalar(select(Section).where(Section.title == title))
        if section is None:
            section = sections.create_section(
                title=title, body=body, status=status, author=officer, published=published
            )
        by_title[title] = section
    db.session.flush()
    made: list[Comment] = []
    for title, email, stance, quote, text, parent_index in COMMENTS:
        section = by_title[title]
        comment = db.session.scalar(
            select(Comment).where(Comment.section_id == section.id, Comment.body == text)
        )
        if comment is None:
            parent = made[parent_index] if parent_index is not None else None
            comment = discussion.post_comment(
                section, users[email], text, parent=parent, stance=stance, quote=quote
            )
            comment.notified_at = comment.created_at  # demo history: nobody is e-mailed
        made.append(comment)
    live.forget_pending()
