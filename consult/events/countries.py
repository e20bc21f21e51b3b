"""Country groups (developed, developing, economy in transition), kept as data by ISO 3166 code.

The grouping follows the one the United Nations used around CSD-8 (2000) in its
World Economic and Social Survey: developed market economies, economies in
transition (Central and Eastern Europe and the former Soviet Union; FACTS.md
¶8 counts Hungary among them), and developing economies (every other country
or territory). Change the two sets below to regroup a country; names always
come from Babel's locale data through :mod:`consult.i18n`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DEVELOPED = "developed"
DEVELOPING = "developing"
TRANSITION = "transition"

#: Group keys and their labels, in display order.
GROUP_LABELS = {
    DEVELOPED: _l("Developed countries"),
    DEVELOPING: _l("Developing countries"),
    TRANSITION: _l("Economies in transition"),
}

#: Developed market economies (ISO 3166-1 alpha-2).
DEVELOPED_CODES = frozenset(
    {
        # North America, Asia and the Pacific
        "US", "CA", "JP", "AU", "NZ",
        # Western Europe
        "AT", "BE", "DK", "FI", "FR", "DE", "GR", "IE", "IT", "LU", "NL", "PT", "ES", "SE",
        "GB", "IS", "NO", "CH", "LI", "MC", "SM", "AD", "VA",
    }
)  # fmt: skip

#: Economies in transition (ISO 3166-1 alpha-2).
TRANSITION_CODES = frozenset(
    {
        # Central and Eastern Europe
        "AL", "BA", "BG", "CZ", "HR", "HU", "MK", "PL", "RO", "RS", "ME", "SK", "SI",
        # Baltic States
        "EE", "LV", "LT",
        # Commonwealth of Independent States
        "AM", "AZ", "BY", "GE", "KZ", "KG", "MD", "RU", "TJ", "TM", "UA", "UZ",
    }
)  # fmt: skip


def country_group(code: str | None) -> str:
    """The group of an ISO 3166 alpha-2 code; any code not listed counts as developing."""
    code = (code or "").upper()
    if code in DEVELOPED_CODES:
        return DEVELOPED
    if code in TRANSITION_CODES:
        return TRANSITION
    return DEVELOPING


def group_label(group: str | None) -> str:
    """The translated name of a group."""
    return str(GROUP_LABELS.get(group or "", group or ""))
