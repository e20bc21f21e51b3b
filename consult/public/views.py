"""Public pages: home, key elements, the VIA compilation and matrix, the members directory."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult import signals
from consult.extensions import db
from consult.i18n import country_name
from consult.i18n.countries import sort_key
from consult.public import bp
from consult.public.directory import directory_groups
from consult.public.matrix import build_matrix
from consult.public.models import (
    RATING_SIGNS,
    SECTORS,
    Assessment,
    KeyElement,
    ProfileStatus,
    ProfileType,
    Rating,
    ViaProfile,
)
from consult.public.profiles import (
    ProfileQuery,
    can_view_profile,
    published_countries,
    search_profiles,
)

#: Sectors, profile types and rating signs, for templates of this blueprint.
LABELS = {"sign": RATING_SIGNS, "sector": SECTORS, "types": list(ProfileType)}


@bp.context_processor
def _labels() -> dict:
    return {"via_labels": LABELS}


def key_elements() -> list[KeyElement]:
    """The key elements in display order."""
    return list(db.session.scalars(select(KeyElement).order_by(KeyElement.position, KeyElement.id)))


@bp.get("/")
def home():
    """What the process is, for a visitor, and the blocks capabilities contribute."""
    return render_template("public/home.html", blocks=signals.ordered(signals.home_blocks))


@bp.get("/key-elements")
def key_elements_page():
    """The key elements identified at Toronto."""
    return render_template("public/key_elements.html", elements=key_elements())


@bp.get("/profiles")
def profiles():
    """The public compilation of VIA profiles: search, filters, pages."""
    query = ProfileQuery.from_args(request.args)
    page = search_profiles(query)
    locale = str(get_locale())
    countries = sorted(
        ((code, country_name(code, locale)) for code in published_countries()),
        key=lambda pair: sort_key(pair[1]),
    )
    return render_template(
        "public/profiles.html",
        query=query,
        page=page,
        countries=countries,
        query_page_args=lambda number: query.args(page=number),
    )


@bp.get("/profiles/<int:profile_id>")
def profile(profile_id: int):
    """One VIA profile, its assessments, and what other capabilities add (its documents)."""
    item = db.session.get(ViaProfile, profile_id)
    if item is None or not can_view_profile(current_user, item):
        abort(404)
    elements = key_elements()
    row = build_matrix([item], elements, item.assessments)[0]
    sections = signals.ordered(
        signals.profile_sections, profile=item, user=current_user._get_current_object()
    )
    return render_template("public/profile.html", profile=item, row=row, sections=sections)


@bp.get("/key-elements/matrix")
def matrix():
    """Every published profile against every key element, in words."""
    profiles_ = list(
        db.session.scalars(
            select(ViaProfile)
            .where(ViaProfile.status == ProfileStatus.PUBLISHED)
            .order_by(ViaProfile.name)
            .options(selectinload(ViaProfile.country_rows))
        )
    )
    assessments = db.session.scalars(
        select(Assessment).where(Assessment.profile_id.in_([p.id for p in profiles_]))
    )
    elements = key_elements()
    rows = build_matrix(profiles_, elements, assessments)
    return render_template("public/matrix.html", rows=rows, elements=elements, ratings=list(Rating))


@bp.get("/steering-group")
def directory():
    """Steering Group members who agreed to be listed, by constituency; no e-mail addresses."""
    return render_template("public/directory.html", groups=directory_groups())
