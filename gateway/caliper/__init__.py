"""The Caliper 1.1/1.2 endpoint: envelopes in, raw records and evidence out.

:mod:`gateway.caliper.validation` checks envelopes and events (pure); :mod:`gateway.caliper.views`
is the blueprint that authenticates, validates and hands events to the intake pipeline.
"""
