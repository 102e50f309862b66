"""A tampered client: widget values the page could never send, straight over Streamlit's WebSocket.

The browser only offers valid choices, but anyone can open the app's WebSocket and send any widget
state. Such values must neither raise in the app nor come back into the page.
"""

from __future__ import annotations

import asyncio

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

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


async def _weight_change(url: str) -> Session:
    session = Session(url)
    await session.connect()
    try:
        await session.run([])
        state = WidgetState(id=session.widgets[SLIDER_LABEL][0])
        state.double_array_value.data.append(2.0)
        await session.run([state])
    finally:
        await session.ws.close()
    return session


def test_a_weight_change_is_one_run_of_the_results_fragment():
    """Sent as the browser sends it, a weight change is one script run: the results fragment's.

    The knobs, the ranking, the map and the key figures come back; the page's frame (title, preset,
    section headers, tab bar) is not rebuilt (benchmarks/RESULTS.md, block "ui").
    """
    with serve() as url:
        session = asyncio.run(_weight_change(url))
    assert session.errors == []
    first, change = session.runs
    assert session.fragments[session.widgets[SLIDER_LABEL][0]]  # the slider is drawn by a fragment
    assert first["sessions"] == 1 and first["finished"] == ForwardMsg.FINISHED_SUCCESSFULLY
    assert change["sessions"] == 1 and change["finished"] == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
    for kind in ("slider", "dataframe", "deck_gl_json_chart", "metric"):
        assert kind in change["elements"], kind
    # the title, the first-view hint and the preset's select are drawn by full runs only
    for kind in ("heading", "alert", "selectbox"):
        assert change["elements"].count(kind) < first["elements"].count(kind), kind
