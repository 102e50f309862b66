"""A minimal Streamlit WebSocket client: rerun the explorer with chosen widget states, no browser.

It speaks Streamlit's own protocol (the protobuf messages the page exchanges with
``/_stcore/stream``). Used by ``tests/test_protocol.py`` (a tampered client) and by
``benchmarks/load_test_server.py`` (many concurrent sessions).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

__all__ = ["CARD_LABEL", "RUN_TIMEOUT_S", "SLIDER_LABEL", "Session", "WidgetState"]

RUN_TIMEOUT_S = 60.0
SLIDER_LABEL = "Announced power"
CARD_LABEL = "Site card"


class Session:
    """One simulated user: a WebSocket, the widget ids it found, and its measurements.

    ``on_element``, when given, is called with every element the app sends, after the
    session has looked at it itself.
    """

    def __init__(self, url: str, on_element: Callable[[object], None] | None = None) -> None:
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.origin = url
        self.ws = None
        self.script_hash = ""
        self.widgets: dict[str, tuple[str, list[str]]] = {}  # label prefix → (widget id, shown options)
        self.fragments: dict[str, str] = {}  # widget id → id of the fragment that drew it ("" outside any)
        self.runs: list[dict] = []  # per run asked for: script runs started, element types sent, how it finished
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.on_element = on_element

    async def connect(self) -> None:
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], origin=self.origin,
                                           max_size=None, open_timeout=RUN_TIMEOUT_S)

    async def run(self, states: list[WidgetState]) -> None:
        """Ask for a rerun with these widget states; wait for the run to finish; record time or error.

        As the browser does, a change to a widget drawn by a fragment asks for a rerun of that
        fragment alone (``fragment_id``); any other change, or none, for the whole page.
        """
        msg = BackMsg()
        msg.rerun_script.query_string = "basemap=none"
        msg.rerun_script.page_script_hash = self.script_hash
        msg.rerun_script.widget_states.widgets.extend(states)
        fragments = {self.fragments.get(state.id, "") for state in states}
        if len(fragments) == 1:
            msg.rerun_script.fragment_id = fragments.pop()
        record = {"sessions": 0, "elements": [], "finished": None}
        self.runs.append(record)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=RUN_TIMEOUT_S)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.script_hash = fwd.new_session.main_script_hash
                record["sessions"] += 1
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                record["elements"].append(element.WhichOneof("type"))
                widget = getattr(element, element.WhichOneof("type"))
                if hasattr(widget, "id") and isinstance(widget.id, str) and widget.id:
                    self.fragments[widget.id] = fwd.delta.fragment_id
                self._inspect(element)
                if self.on_element is not None:
                    self.on_element(element)
            elif kind == "script_finished":
                record["finished"] = fwd.script_finished
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the run handed over to another (a callback's st.rerun): wait for that one
                if fwd.script_finished not in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                               ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                    self.errors.append(f"run finished with status {fwd.script_finished}")
                self.latencies.append(time.perf_counter() - t0)
                return

    def _inspect(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.errors.append(f"exception shown: {element.exception.type}: {element.exception.message[:200]}")
        elif kind == "slider" and element.slider.label.startswith(SLIDER_LABEL):
            self.widgets[SLIDER_LABEL] = (element.slider.id, [])
        elif kind == "selectbox" and element.selectbox.label == CARD_LABEL:
            self.widgets[CARD_LABEL] = (element.selectbox.id, list(element.selectbox.options))
