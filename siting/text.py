"""Make hostile strings inert for Markdown display and links (no Streamlit here)."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:&])")


def md_escape(text, limit: int = 300) -> str:
    """Escape Markdown and HTML syntax so a value shows as the literal text it is."""
    if text is None:
        return ""
    value = "".join(ch if ch.isprintable() else " " for ch in str(text))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", value)


def safe_link(url: str) -> str | None:
    """Markdown link ``[host](url)`` for an http(s) URL, or None when the URL is not one."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    href = quote(url, safe=":/?#@!$&'*+,;=%~-._")
    href = href.replace("(", "%28").replace(")", "%29").replace("'", "%27")
    host = parts.netloc.removeprefix("www.")
    return f"[{md_escape(host, 80)}]({href})"
