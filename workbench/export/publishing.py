"""What a ClaimReview needs to be publishable: who publishes it, where each review lives, which URLs may go out.

Two settings, set once per database (``workbench settings set``):

* ``publisher``: the fact-checking organisation, ``author`` and ``publisher``
  of every ClaimReview. A JSON object ``{"name": ..., "url": ..., "logo": ...}``
  (``logo`` optional) or just a name.
* ``review_url``: where a review is published, a template with ``{claim_id}``
  (``https://factcheck.example/claims/{claim_id}``). A template without it
  would give every review the same URL, so it is refused.

The validators here are what ``settings set`` calls before storing, and what
the export calls again on what it reads (a value stored by an older version,
or by hand, gets the same checks).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from workbench.urls import citation_url, web_url  # noqa: F401  (citation_url: re-exported for the exports)

PUBLISHER_HINT = ("workbench settings set publisher "
                  "'{\"name\": \"Your Newsroom\", \"url\": \"https://newsroom.example\"}'")
REVIEW_URL_HINT = "workbench settings set review_url 'https://newsroom.example/fact-checks/{claim_id}'"
LEGACY_REVIEW_URL_KEY = "claimreview_url_template"  # read when review_url is unset

Warn = Callable[[str], None]


class SettingError(ValueError):
    """A publishing setting that cannot be used as given (the settings registry reports it in one line)."""


def parse_publisher(value: Any) -> dict[str, str]:
    """The ``publisher`` setting from text (a JSON object or a bare name) or a decoded value."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError as exc:
                raise SettingError(f"publisher is not valid JSON: {exc}") from None
        elif text:
            return {"name": text}
        else:
            raise SettingError("the publisher needs a name (non-blank text)")
    if not isinstance(value, Mapping):
        raise SettingError("publisher is a name or a JSON object with name, url and optionally logo")
    unknown = set(value) - {"name", "url", "logo"}
    if unknown:
        raise SettingError(f"publisher has unknown fields: {', '.join(sorted(map(str, unknown)))}"
                           " (name, url, logo)")
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SettingError("the publisher needs a name (non-blank text)")
    out = {"name": name.strip()}
    for field in ("url", "logo"):
        if value.get(field) is not None:
            url = web_url(value[field])
            if url is None:
                raise SettingError(f"publisher {field} must be an http(s) URL, not {value[field]!r}")
            out[field] = url
    return out


def check_review_url(template: Any) -> str:
    """The ``review_url`` template, refused unless it is an http(s) URL containing ``{claim_id}``."""
    if not isinstance(template, str) or "{claim_id}" not in template:
        raise SettingError("review_url must contain {claim_id} (otherwise every review gets the same URL),"
                           " e.g. https://newsroom.example/fact-checks/{claim_id}")
    if web_url(template.replace("{claim_id}", "1")) is None:
        raise SettingError(f"review_url must be an http(s) URL, not {template!r}")
    return template.strip()


def publishing_settings(publisher: Any, review_url: Any, warn: Warn) -> tuple[dict | None, str | None]:
    """The usable publisher and template from stored values; warns (once each) about what is missing or wrong."""
    organisation = template = None
    if publisher is None:
        warn(f"no publisher is set: the reviews have no author or publisher; set it with: {PUBLISHER_HINT}")
    else:
        try:
            organisation = parse_publisher(publisher)
        except SettingError as exc:
            warn(f"the publisher setting is not used ({exc}); set it with: {PUBLISHER_HINT}")
    if review_url is None:
        warn(f"no review_url is set: the reviews have no url (Google requires one); set it with: {REVIEW_URL_HINT}")
    else:
        try:
            template = check_review_url(review_url)
        except SettingError as exc:
            warn(f"the review_url setting is not used ({exc}); set it with: {REVIEW_URL_HINT}")
    if organisation is not None and "url" not in organisation:
        warn(f"the publisher has no url; Google recommends one; set it with: {PUBLISHER_HINT}")
    return organisation, template


def _publisher_setting(value: Any) -> dict[str, str] | None:
    return None if value is None else parse_publisher(value)


def _review_url_setting(value: Any) -> str | None:
    return None if value is None else check_review_url(value)


def _register() -> None:
    from workbench.store.settings import register

    register("publisher", _publisher_setting, None,
             'the organisation publishing the ClaimReviews: a name, or {"name": ..., "url": ..., "logo": ...}')
    register("review_url", _review_url_setting, None,
             "where each review is published: an http(s) URL with {claim_id}")
    register(LEGACY_REVIEW_URL_KEY, _review_url_setting, None, "the old name of review_url (read when it is unset)")


_register()
