"""Plug-ins at Tessera's edges.

``adapters.inbound`` turns a vendor's payload into observations; ``adapters.outbound`` delivers
mastery to a target (LMS gradebook, SIS, registrar). Each is a small ``typing.Protocol`` with a
registry from configuration names to implementations; they arrive with the evidence pipeline and
delivery issues.
"""
