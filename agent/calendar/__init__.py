"""Booking visits in the artisan's CalDAV calendar (issue 13).

model.py is pure data (the dialogue imports it); slots.py computes free slots; caldav_client.py
talks to the server (blocking, the `caldav` library); service.py is the async port the call
layer uses, with the lock that keeps two callers off one slot. Nothing here is imported by
the dialogue except model.py, so importing this package pulls no network library.
"""
