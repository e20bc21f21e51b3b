"""Decisions fixtures: the toolkit's sections and comments, made as the toolkit's tests make them."""

from __future__ import annotations

from tests.toolkit.conftest import make_comment, make_section, toolkit_server

__all__ = ["make_comment", "make_section", "toolkit_server"]
