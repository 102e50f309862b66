"""Make hostile text inert: one rule each for unsafe characters, clipping, http(s) URLs and escaping.

Every module that validates or shows a string from a file, an upload or a link judges it here,
so the rules cannot drift apart: the characters :mod:`siting.data` refuses are the ones every
view and the dossier blank out, and a source URL that passes validation is exactly one that
:func:`safe_link` and the dossier turn into a link. Standard library only (:mod:`siting.data`
imports it); no Streamlit.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

__all__ = [
    "ELLIPSIS", "MAX_URL", "UNSAFE_CHARS", "clean", "clip", "escape_unsafe", "html_escape", "is_http_url",
    "is_safe_text", "md_escape", "safe_link", "strip_unsafe",
]

ELLIPSIS = "…"
MAX_URL = 2000
"""Longest URL accepted as a source and turned into a link."""

UNSAFE_CHARS = re.compile(
    "["
    "\x00-\x1f\x7f-\x9f"  # C0 and C1 controls, tab and newline included
    "\u200b"  # zero-width space
    "\u2028\u2029"  # line and paragraph separators
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574)
    "\u2060-\u2064\u206a-\u206f\ufff9-\ufffb"  # other invisible format controls: joiners, deprecated, annotation
    "\ufeff"  # a stray byte-order mark
    "\ud800-\udfff"  # unpaired surrogates (not valid Unicode)
    "]"
)
"""Characters refused in every text value and blanked wherever text is shown.

They can spoof a name, forge an output line or reorder what a reader sees. ZWJ and ZWNJ
(emoji sequences, Persian, Indic scripts), the LRM/RLM marks, combining marks, emoji and
right-to-left scripts are ordinary text and stay legal.
"""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:&])")
_URL_FORBIDDEN = frozenset("\"'<>\\`")  # quote- and tag-breaking, or read as "/" by browsers


def clip(text: object, limit: int) -> str:
    """Return ``str(text)``, cut to at most ``limit`` characters with a final "…" when it was longer.

    Examples
    --------
    >>> clip("Fos-sur-Mer", 5)
    'Fos-…'
    """
    value = str(text)
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return value if len(value) <= limit else value[: limit - 1] + ELLIPSIS


def is_safe_text(text: str) -> bool:
    """Tell whether ``text`` holds none of :data:`UNSAFE_CHARS`."""
    return UNSAFE_CHARS.search(text) is None


def strip_unsafe(text: object, replacement: str = " ") -> str:
    """Return ``str(text)`` with every unsafe character replaced by ``replacement``."""
    return UNSAFE_CHARS.sub(replacement, str(text))


def escape_unsafe(text: object) -> str:
    r"""Return ``str(text)`` with every unsafe character written as a visible ``\uXXXX`` escape."""
    return UNSAFE_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def clean(text: object, limit: int | None = None, replacement: str = " ") -> str:
    """Return display text: unsafe characters replaced, then clipped to ``limit`` when given."""
    value = strip_unsafe(text, replacement)
    return value if limit is None else clip(value, limit)


def html_escape(text: object, limit: int | None = None) -> str:
    """Return :func:`clean` text escaped for HTML content and quoted attributes (``&<>"'``)."""
    return html.escape(clean(text, limit), quote=True)


def md_escape(text: object, limit: int = 300) -> str:
    r"""Escape Markdown and HTML syntax so a value shows as the literal text it is (None → "").

    Examples
    --------
    >>> print(md_escape("**bold** <b>"))
    \*\*bold\*\* \<b\>
    """
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", clean(text, limit))


def is_http_url(url: object) -> bool:
    """Tell whether ``url`` is an absolute http(s) URL with a host, safe to show as a link.

    Refused: anything not a string, empty or longer than :data:`MAX_URL`; whitespace and
    unprintable characters anywhere; the quote, angle-bracket, backslash and backtick
    characters; schemes other than http/https (``javascript:``, ``data:``...); relative and
    scheme-relative URLs; a missing or malformed host or port; credentials (``user@host``).
    The scheme is case-insensitive, as in RFC 3986; non-ASCII path characters are allowed.

    Examples
    --------
    >>> is_http_url("https://www.edf.fr/groupe-edf"), is_http_url("javascript:alert(1)")
    (True, False)
    """
    if not isinstance(url, str) or not 0 < len(url) <= MAX_URL:
        return False
    if any(ch.isspace() or not ch.isprintable() or ch in _URL_FORBIDDEN for ch in url):
        return False
    if not url[:8].lower().startswith(("http://", "https://")):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc


def safe_link(url: object) -> str | None:
    """Markdown link ``[host](url)`` for an http(s) URL (:func:`is_http_url`), or None when it is not one."""
    if not is_http_url(url):
        return None
    href = quote(url, safe=":/?#@!$&'*+,;=%~-._")
    href = href.replace("(", "%28").replace(")", "%29").replace("'", "%27")
    host = urlsplit(url).netloc.removeprefix("www.")
    return f"[{md_escape(host, 80)}]({href})"
