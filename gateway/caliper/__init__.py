"""The Caliper 1.1/1.2 endpoint: envelopes in, raw records and evidence out.

:mod:`gateway.caliper.validation` checks envelopes and events (pure, no Flask);
:mod:`gateway.caliper.profiles` holds the profile rules the JSON Schemas leave out;
:mod:`gateway.caliper.views` is the blueprint that authenticates, validates and hands events to
the intake pipeline; ``model.json`` is the type table :mod:`gateway.caliper.model_gen` built
from the 1EdTech Caliper 1.2 JSON Schemas.

Decisions and deviations:

- ``dataVersion`` must be the 1.1 or 1.2 context (anything else is 422). Caliper 1.0 envelopes
  had no ``dataVersion`` (400, "dataVersion is required") and no fixture shows one sent.
- An integer is accepted where the model wants a decimal (JSON cannot tell them apart); four
  1EdTech error fixtures expect otherwise and are listed in the tests.
- Entities an event references by IRI are inlined from the describes in the same envelope
  before the event is stored; describes are not kept on their own, so a reference to an entity
  described in an earlier envelope stays a bare IRI.
- One bad item refuses the whole envelope (400) and nothing is stored.
"""
