"""Builders for the public site's tests: profiles, key elements, assessments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from consult.extensions import db
from consult.public.models import (
    Assessment,
    KeyElement,
    ProfileStatus,
    ProfileType,
    Rating,
    ViaProfile,
)


@pytest.fixture
def make_profile(app: Flask) -> Callable[..., ViaProfile]:
    """Build a VIA profile (published unless told otherwise)."""
    counter = iter(range(1, 1_000_000))

    def make(name: str | None = None, **fields: Any) -> ViaProfile:
        number = next(counter)
        countries = fields.pop("countries", [])
        fields.setdefault("organisation", f"Organisation {number}")
        fields.setdefault("description", "A voluntary initiative.")
        fields.setdefault("sector", "other")
        fields.setdefault("type", ProfileType.OTHER)
        fields.setdefault("status", ProfileStatus.PUBLISHED)
        profile = ViaProfile(name=name or f"Initiative {number:03d}", **fields)
        profile.countries = countries
        db.session.add(profile)
        db.session.commit()
        return profile

    return make


@pytest.fixture
def make_key_element(app: Flask) -> Callable[..., KeyElement]:
    """Build a key element at the end of the list."""
    counter = iter(range(1, 1_000_000))

    def make(title: str | None = None, position: int | None = None) -> KeyElement:
        number = next(counter)
        element = KeyElement(
            title=title or f"Element {number}", position=position or number, explanation=""
        )
        db.session.add(element)
        db.session.commit()
        return element

    return make


@pytest.fixture
def assess(app: Flask) -> Callable[..., Assessment]:
    """Record a judgement of a profile against a key element."""

    def make(
        profile: ViaProfile, element: KeyElement, rating: Rating, note: str = ""
    ) -> Assessment:
        assessment = Assessment(profile=profile, key_element=element, rating=rating, note=note)
        db.session.add(assessment)
        db.session.commit()
        return assessment

    return make
