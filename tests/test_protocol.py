"""A tampered client: widget values the page could never send, straight over Streamlit's WebSocket.

The browser only offers valid choices, but anyone can open the app's WebSocket and send any widget
state. Such values must neither raise in the app nor come back into the page.
"""

from __future__ import annotations

import asyncio

from tests.browser_support import serve
from tests.support.st_protocol import CARD_LABEL, SLIDER_LABEL, Session, WidgetState

HOSTILE_SITE = "<img src=x onerror=alert(1)>no-such-site"


async def _tamper(url: str) -> tuple[list[str], list[str]]:
    echoed = []

    def spy(element) -> None:
        if "onerror" in str(element):
            echoed.append(element.WhichOneof("type"))

    session = Session(url, on_element=spy)
    await session.connect()
    try:
        await session.run([])
        assert SLIDER_LABEL in session.widgets and CARD_LABEL in session.widgets, session.widgets
        await session.run([WidgetState(id=session.widgets[CARD_LABEL][0], string_value=HOSTILE_SITE)])
        for value in (1e9, -5.0, float("nan"), float("inf")):
            state = WidgetState(id=session.widgets[SLIDER_LABEL][0])
            state.double_array_value.data.append(value)
            await session.run([state])
    finally:
        await session.ws.close()
    return session.errors, echoed


def test_tampered_widget_values_raise_nothing_and_are_not_echoed():
    with serve() as url:
        errors, echoed = asyncio.run(_tamper(url))
    assert errors == []  # no exception element, every run finished successfully
    assert echoed == []
