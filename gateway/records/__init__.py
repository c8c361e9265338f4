"""Learner records: Open Badges 3.0 AchievementCredentials and CLR 2.0 transcripts.

One credential per competency a learner has mastered, and transcripts (ClrCredential) that
bundle them with the CASE hierarchy, each signed twice: an embedded Data Integrity proof
(``eddsa-rdfc-2022``, Ed25519) and a VC-JWT (RS256). Revocation is a Bitstring Status List.
The issuer is the did:web of ``TESSERA_BASE_URL``; its DID document lists every credential key,
retired ones included, so a rotation never breaks what was issued.

Modules:

``jsonld``   bundled contexts and RDF canonicalization; remote contexts are refused, never fetched
``model``    the documents, built from frozen dataclasses (pure)
``proofs``   Data Integrity and VC-JWT proofs, made and checked (pure)
``verify``   what a credential says and whether it verifies: signature, status, validity (pure)
``service``  issuing, storing, revoking, transcripts; what the delivery worker calls
``views``    public pages: issuer profile, DID document, credentials, status lists, verification
``api``      ``/api/v1``: a learner's CLR for registrars, credential lists, revocation
"""
