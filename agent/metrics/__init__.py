"""Prometheus metrics and the health endpoint of the agent (`[metrics]`).

Nothing is imported here: loading the config reads agent.metrics.settings without loading
prometheus_client or aiohttp.
"""
