"""LTI 1.3 Advantage tool: registrations, OIDC login and launch, Deep Linking, AGS, NRPS, DR.

Modules:

- ``platforms``: registrations and deployments in the store (CLI, admin API, DR write them);
- ``claims``: pure checks of an id_token's header and claims (the launch checklist);
- ``jwks``: the platform key sets, cached per HTTP headers, refetched on an unknown kid;
- ``launch``: login state, nonce, browser binding, and what a verified launch writes;
- ``services``: the client-credentials token cache, the AGS and NRPS clients, roster sync;
- ``deeplink``: the signed Deep Linking response;
- ``registration``: Dynamic Registration;
- ``pages``: the server-rendered launch pages (learner evidence, class roster);
- ``views``: the ``/lti`` blueprint, thin.
"""
