"""Indgang: one entrance for citizen service in Danish municipalities."""
