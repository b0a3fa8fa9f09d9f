"""Text from the data, made safe for Streamlit Markdown: escaped, never a link, quotes highlighted.

Pure functions (no Streamlit): the app shows data text only through `md()` or in widgets that
never interpret it.
"""

from __future__ import annotations

import re

from sinorus.checks import normalise_text

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


#: Where GitHub-flavoured Markdown would turn bare text into a link (http://, www., a@b);
#: a word joiner (U+2060, invisible) there keeps it text.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)")


_SAFE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(/[A-Za-z0-9._~/%?=&+-]*)?")


def md(text) -> str:
    """Escape text from the data for Streamlit Markdown: no formatting, no links (not even bare
    URLs), no LaTeX, no HTML."""
    text = _AUTOLINK.sub("\u2060", "" if text is None else str(text))
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_table(table):
    """A table for `st.table`, which renders every cell and header as Markdown: each escaped as
    text with `md` (no link, no image, no LaTeX, no HTML), shown as the reader's words."""
    return table.map(md).rename(columns=md)


def md_link(url: str, label: str | None = None) -> str:
    """A source's http(s) URL as a link (its text `label`, default the URL), if it is a plain
    one; otherwise the URL as escaped text."""
    if _SAFE_URL.fullmatch(url or ""):
        return f"[{md(label or url)}]({url})"
    return md(url)


def highlighted(text: str, quotes: list[str]) -> str:
    """The text as Markdown, paragraph by paragraph, with each quoted sentence highlighted."""
    targets = [normalise_text(q) for q in quotes]
    out = []
    for para in re.split(r"\n\s*\n", text):
        plain = normalise_text(para)
        if not plain:
            continue
        spans = sorted(
            (m.start(), m.start() + len(t))
            for t in set(targets)
            for m in re.finditer(re.escape(t), plain)
        )
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        pieces, pos = [], 0
        for start, end in merged:
            pieces.append(md(plain[pos:start]))
            pieces.append(f":orange-background[{md(plain[start:end])}]")
            pos = end
        pieces.append(md(plain[pos:]))
        out.append("".join(pieces))
    return "\n\n".join(out)
