"""Duban's common code: event envelope, outbox and inbox, database provider, clock, errors."""
