"""Use cases of the tracking service, by what they work on.

Each takes a unit of work (shared/uow.py) and validated input and returns a view; it
runs inside `with uow:`, so the change, its history, its events and the request's
claim commit together or not at all.
"""
