"""pyHanko's signing and validation are coroutines; Django calls them synchronously.

``asyncio.run`` refuses to start inside a thread that already runs an event loop (an ASGI
server, or a Playwright test driving the browser in the same thread): then the coroutine runs
on a short-lived worker thread with its own loop.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run(coro):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
