"""Outbound delivery targets: LTI AGS, OneRoster 1.2, webhooks, registrar endpoints."""
