"""Mastery: policies, proficiency scales, evidence rules, overrides and the engine that decides."""
