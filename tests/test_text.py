"""siting.text: one rule each for clipping, unsafe characters, http(s) URLs and escaping, used everywhere."""

from __future__ import annotations

import doctest
import html
import json

import pytest

from siting import data, dossier, schema, text

# ---------------------------------------------------------------------------------------
# Clipping
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, limit, expected", [
    ("abc", 3, "abc"),
    ("abcd", 3, "ab…"),
    ("", 1, ""),
    ("ab", 1, "…"),
    (12345, 3, "12…"),
    ("é😀xyz", 3, "é😀…"),  # counted in code points, never splitting one
    ("x" * 300, 300, "x" * 300),
    ("x" * 301, 300, "x" * 299 + "…"),
])
def test_clip(value, limit, expected):
    result = text.clip(value, limit)
    assert result == expected and len(result) <= limit


def test_clip_refuses_a_limit_below_one():
    with pytest.raises(ValueError):
        text.clip("abc", 0)


# ---------------------------------------------------------------------------------------
# Unsafe characters
# ---------------------------------------------------------------------------------------

REFUSED_CHARS = {
    "NUL": "\x00", "bell": "\x07", "tab": "\t", "newline": "\n", "carriage return": "\r", "escape": "\x1b",
    "DEL": "\x7f", "C1 next line": "\x85", "C1 CSI": "\x9b",
    "LRE": "\u202a", "RLE": "\u202b", "PDF": "\u202c", "LRO": "\u202d", "RLO": "\u202e",
    "LRI": "\u2066", "RLI": "\u2067", "FSI": "\u2068", "PDI": "\u2069",
    "zero-width space": "\u200b", "line separator": "\u2028", "paragraph separator": "\u2029",
    "word joiner": "\u2060", "invisible times": "\u2062", "inhibit symmetric swapping": "\u206a",
    "interlinear annotation anchor": "\ufff9", "byte-order mark": "\ufeff",
    "unpaired high surrogate": "\ud800", "unpaired low surrogate": "\udfff",
}
ALLOWED_TEXT = {
    "ascii": "Fos-sur-Mer",
    "accents": "Île-de-France, Quaëdypre",
    "emoji": "Centre 🏭⚡🌍",
    "ZWJ emoji sequence": "👩\u200d💻 + 👨🏽\u200d🔧",
    "flags": "🇫🇷🇪🇺",
    "Arabic": "مركز بيانات مرسيليا",
    "Persian with ZWNJ": "مرکز داده\u200cهای پاریس",
    "Hebrew with RLM": "מרכז נתונים ליל \u200f2028\u200f",
    "LRM": "a\u200eb",
    "combining marks": "I\u0302le, Zo\u0308e",
    "Devanagari": "डेटा सेंटर ल्योन",
    "CJK and Hangul": "数据中心 · データセンター · 데이터 센터",
    "mathematical letters": "𝔇𝔞𝔱𝔞 ∑ ≤ ∞",
    "no-break spaces": "1\u00a0000\u202fMW",
    "markup and formulas": "<script>alert(1)</script> **x** [a](b) =1+1",
    "quotes and backslash": "Zoë's «quote» & \"double\" \\ back\u2011slash",
}


@pytest.mark.parametrize("char", REFUSED_CHARS.values(), ids=REFUSED_CHARS.keys())
def test_unsafe_characters_are_refused_blanked_or_shown_escaped(char):
    value = f"a{char}b"
    assert not text.is_safe_text(value)
    assert text.strip_unsafe(value) == "a b"
    assert text.clean(value, replacement="?") == "a?b"
    assert text.escape_unsafe(value) == f"a\\u{ord(char):04x}b"
    assert text.md_escape(value) == "a b"
    assert text.html_escape(value) == "a b"


@pytest.mark.parametrize("value", ALLOWED_TEXT.values(), ids=ALLOWED_TEXT.keys())
def test_ordinary_text_in_any_script_is_kept_as_is(value):
    assert text.is_safe_text(value)
    assert text.strip_unsafe(value) == text.escape_unsafe(value) == text.clean(value) == value
    assert html.unescape(text.html_escape(value)) == value


def _site_feature(i: int, **props) -> dict:
    base = {"site_id": f"t-{i}", "name": f"Site {i}", "region": "Île-de-France", "evidence": "project",
            "evidence_note": "siting.text test", "location_precision_km": 5, "sources": ["https://example.org/t"]}
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.35, 48.86]}, "properties": base | props}


def _accepted_ids(features: list[dict]) -> set[str]:
    raw = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=True).encode()
    return set(data.load_upload(raw, schema.CANDIDATE_SITES, "t.geojson").accepted["site_id"])


def test_validation_refuses_exactly_the_unsafe_characters():
    values = [f"Site {ch}" for ch in REFUSED_CHARS.values()] + list(ALLOWED_TEXT.values())
    accepted = _accepted_ids([_site_feature(i, name=v) for i, v in enumerate(values)])
    assert accepted == {f"t-{i}" for i, v in enumerate(values) if text.is_safe_text(v)}
    assert len(accepted) == len(ALLOWED_TEXT)


# ---------------------------------------------------------------------------------------
# http(s) URLs
# ---------------------------------------------------------------------------------------

GOOD_URLS = [
    "https://example.org",
    "http://example.org/",
    "https://www.edf.fr/groupe-edf/a?b=1&c=2#part",
    "HTTPS://EXAMPLE.ORG/",  # schemes are case-insensitive
    "https://example.org:8443/p",
    "https://[2001:db8::1]/x",
    "https://fr.wikipedia.org/wiki/Quaëdypre",
    "https://example.org/a_(b)",
    "https://example.org/?q=%22quoted%22",
    "https://example.org/" + "a" * (text.MAX_URL - len("https://example.org/")),
]
BAD_URLS = {
    "empty": "",
    "javascript": "javascript:alert(1)",
    "javascript, mixed case": "JavaScript:alert(1)",
    "javascript split by a tab": "java\tscript:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "ftp": "ftp://example.org/x",
    "scheme-relative": "//example.org/x",
    "relative": "/relative/path",
    "no scheme": "example.org",
    "no slashes": "http:example.org",
    "no host": "https:///etc/passwd",
    "only a scheme": "https://",
    "space before scheme": "HTTP ://example.org",
    "leading space": " https://example.org",
    "trailing space": "https://example.org ",
    "space in host": "https://exa mple.org",
    "tab in path": "https://example.org/a\tb",
    "newline": "https://example.org/a\n",
    "bidi override": "https://example.org/\u202egpj.exe",
    "zero-width space": "https://exa\u200bmple.org",
    "escape sequence": "https://example.org/\x1b[2J",
    "broken IPv6": "https://[::1",
    "port out of range": "https://example.org:99999/",
    "port not a number": "https://example.org:port/",
    "credentials": "https://user:secret@example.org/",
    "user name": "https://user@example.org/",
    "double quote": 'https://example.org/a"onmouseover="x',
    "single quote": "https://example.org/a'b",
    "angle brackets": "https://example.org/<script>",
    "backslash": "https://example.org\\@evil.example/",
    "backtick": "https://example.org/`x`",
    "too long": "https://example.org/" + "a" * text.MAX_URL,
}


@pytest.mark.parametrize("url", GOOD_URLS)
def test_http_urls_are_accepted_and_linked(url):
    assert text.is_http_url(url)
    link = text.safe_link(url)
    assert link is not None and link.startswith("[") and "](http" in link.lower()
    assert dossier.safe_href(url) == html.escape(url, quote=True)


@pytest.mark.parametrize("url", [*BAD_URLS.values(), None, 42, ["https://example.org"]],
                         ids=[*BAD_URLS, "None", "int", "list"])
def test_everything_else_is_refused_and_never_linked(url):
    assert not text.is_http_url(url)
    assert text.safe_link(url) is None
    assert dossier.safe_href(url) is None


def test_validation_accepts_exactly_the_urls_that_get_linked():
    urls = [*GOOD_URLS, *BAD_URLS.values()]
    accepted = _accepted_ids([_site_feature(i, sources=[u]) for i, u in enumerate(urls)])
    assert accepted == {f"t-{i}" for i in range(len(GOOD_URLS))}


@pytest.mark.parametrize("url, link", [
    ("https://www.example.org/a", "[example\\.org](https://www.example.org/a)"),
    ("https://example.org/a_(b)", "[example\\.org](https://example.org/a_%28b%29)"),
    ("https://exa-mple.org:8443/", "[exa\\-mple\\.org\\:8443](https://exa-mple.org:8443/)"),
    ("https://example.org/é", "[example\\.org](https://example.org/%C3%A9)"),
])
def test_safe_link_writes_markdown_that_cannot_break_out(url, link):
    assert text.safe_link(url) == link


# ---------------------------------------------------------------------------------------
# Escaping
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("plain words", "plain words"),
    ("**bold** _it_", r"\*\*bold\*\* \_it\_"),
    ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
    ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
    ("# title", r"\# title"),
    ("1. item", r"1\. item"),
    ("- item + more", r"\- item \+ more"),
    ("`code` | $x$ ~y~ !z", r"\`code\` \| \$x\$ \~y\~ \!z"),
    ("a & b", r"a \& b"),
    ("back\\slash", r"back\\slash"),
    ("line\nbreak", "line break"),  # no new Markdown block
    ("\u202eevil", " evil"),
    ("👩\u200d💻", "👩\u200d💻"),
    (None, ""),
    (3.5, r"3\.5"),
    ("x" * 400, "x" * 299 + "…"),
])
def test_md_escape(value, expected):
    assert text.md_escape(value) == expected


def test_md_escape_limit():
    assert text.md_escape("abcdef", 4) == "abc…"


@pytest.mark.parametrize("value, expected", [
    ("plain", "plain"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('" onmouseover="x', "&quot; onmouseover=&quot;x"),
    ("it's", "it&#x27;s"),
    ("&amp;", "&amp;amp;"),
    ("a\x07b\u202ec", "a b c"),
    (42, "42"),
])
def test_html_escape(value, expected):
    assert text.html_escape(value) == expected


def test_html_escape_clips_before_escaping():
    assert text.html_escape("<<<<<", 3) == "&lt;&lt;…"


def test_docstring_examples():
    assert doctest.testmod(text).failed == 0
