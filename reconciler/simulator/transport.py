"""The in-process way in: an httpx transport that hands requests to Simulator.handle."""

from __future__ import annotations

import httpx

from reconciler.simulator.faults import ConnectionDropped
from reconciler.simulator.http import Pipeline


class SimulatorTransport(httpx.BaseTransport):
    """Serves a Simulator without a socket. Use with any base URL, for example
    ``httpx.Client(base_url="https://api.github.com", transport=sim.transport())``."""

    def __init__(self, simulator: Pipeline) -> None:
        self._simulator = simulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        url = request.url
        base_url = f"{url.scheme}://{url.netloc.decode('ascii')}"
        try:
            status, headers, content = self._simulator.handle(
                request.method,
                url.raw_path.decode("ascii"),
                dict(request.headers.items()),
                body,
                base_url=base_url,
            )
        except ConnectionDropped:
            # What a real dropped connection looks like to an httpx client.
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None
        if request.method == "HEAD":
            content = b""  # a HEAD answer has GET's headers and no body
        return httpx.Response(status, headers=headers, content=content, request=request)
