"""The admin console under ``/admin``: server-rendered pages over the admin services.

:mod:`gateway.console.access` says who may come in (an admin token's session cookie, or an
LMS administrator's launch); :mod:`gateway.console.views` holds the pages.
"""
