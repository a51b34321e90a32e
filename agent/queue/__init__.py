"""Durable delivery queues: one worker over SQLite rows, one retry policy, one HTTP verdict.

`agent.queue.worker` and `agent.queue.retry` are pure Python; `agent.queue.http` (aiohttp) is
imported only by the HTTP adapters (SMS providers, lead webhook).
"""
