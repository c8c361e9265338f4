// Independent verifier for Tessera's tests: the Digital Credentials Consortium stack
// (@digitalcredentials/vc + security-document-loader + eddsa-rdfc-2022), fully offline.
//
// stdin: {"credentials": [...], "documents": {url: json}, "contexts": {url: json}}
//   documents: DID documents, verification methods and status list credentials, served
//   statically (the stack would fetch them over HTTPS); contexts: JSON-LD contexts the
//   loader does not bundle (CLR 2.0.1, Multikey).
// stdout: one result per credential:
//   {id, verified, signature, status, errors, embedded: [same, for a CLR's credentials]}
import * as vc from '@digitalcredentials/vc';
import {DataIntegrityProof} from '@digitalcredentials/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import {securityLoader} from '@digitalcredentials/security-document-loader';
import {checkStatus} from '@digitalcredentials/vc-bitstring-status-list';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const loader = securityLoader({fetchRemoteContexts: false});
for (const [url, doc] of Object.entries(input.contexts || {})) loader.addStatic(url, doc);
for (const [url, doc] of Object.entries(input.documents || {})) loader.addStatic(url, doc);
const documentLoader = loader.build();
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

function message(error) {
  if (!error) return null;
  const inner = error.errors ? error.errors.map(message).join('; ') : '';
  return [error.message || String(error), inner].filter(Boolean).join(': ');
}

async function verifyOne(credential) {
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  const log = result.log || (result.results && result.results[0] && result.results[0].log) || [];
  const entry = (id) => log.find((item) => item.id === id);
  const signature = entry('valid_signature');
  const revocation = entry('revocation_status');
  const errors = [];
  if (result.error) errors.push(message(result.error));
  for (const r of result.results || []) if (r.error) errors.push(message(r.error));
  if (result.statusResult && result.statusResult.error) {
    errors.push(message(result.statusResult.error));
  }
  const out = {
    id: credential.id,
    verified: Boolean(result.verified),
    signature: signature ? signature.valid : false,
    status: revocation ? (revocation.valid ? 'active' : 'revoked') : null,
    errors,
    embedded: [],
  };
  const subject = credential.credentialSubject || {};
  for (const member of subject.verifiableCredential || []) {
    out.embedded.push(await verifyOne(member));
  }
  return out;
}

const results = [];
for (const credential of input.credentials) results.push(await verifyOne(credential));
process.stdout.write(JSON.stringify(results));
