"""Intake: raw record → observations (adapter) → learner and alignment → evidence."""
