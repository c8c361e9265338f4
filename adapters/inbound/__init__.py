"""Inbound adapters: vendor payload (xAPI statement, Caliper event, CSV row) to observations."""
