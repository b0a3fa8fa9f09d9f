"""The page's language: the address's `?lang=`, else the switch's last choice in this session,
else the browser's (its `Accept-Language`, or the language it reports), else English."""

from __future__ import annotations

import streamlit as st

from sinorus import i18n
from sinorus.i18n import _


def choose() -> str:
    """This run's language, set for everything the run words (`sinorus.i18n`)."""
    if "lang" not in st.session_state:
        st.session_state.lang = first_visit()
    return i18n.activate(st.session_state.lang)


def first_visit() -> str:
    """A session's first language: `?lang=` when it names one offered, else the browser's."""
    given = st.query_params.get_all("lang")
    if given and given[0] in i18n.available():
        return given[0]
    header = st.context.headers.get("Accept-Language")
    return i18n.from_accept_language(header or st.context.locale)


def resume() -> str:
    """A fragment's run (which does not run the page's top): the session's language again."""
    return i18n.activate(st.session_state.get("lang", i18n.DEFAULT))


def deferred(build):
    """`build` run in this run's language whenever it is called: a download made only when
    clicked is built outside the page's run, where the language would be English."""
    lang = i18n.current()

    def run():
        with i18n.using(lang):
            return build()

    return run


def switch(where=st) -> None:
    """The language menu beside the page's title: the language shown, named in itself, opens
    English · 中文 · Русский; a choice redraws the whole page (and the address says it)."""
    lang = i18n.current()
    menu = where.popover(
        i18n.language_name(lang),
        icon=":material/translate:",
        type="tertiary",
        help=_("Language"),
        key="language-menu",
    )
    menu.segmented_control(
        _("Language"),
        list(i18n.available()),
        format_func=i18n.language_name,
        key="lang",
        required=True,
    )
