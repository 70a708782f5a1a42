// A real OpenID Connect provider for the SSO tests: panva's oidc-provider (OpenID-certified),
// on 127.0.0.1, configured by a JSON file the tests write (tests/sso/provider_process.py).
//
//   node server.mjs CONFIG.json
//
// CONFIG: { issuer, port, client: {...}, jwks: {keys: [private JWKs]}, accounts_file, log_file,
//           tamper_file, id_token_ttl }
// accounts_file: { "<login>": { <claims> } }, read at every sign-in, so a test can take a role
// away "at the provider" between two sign-ins.
// log_file: one JSON line per request (method, path, query), so a test can see which scopes
// were asked, that PKCE and a nonce were sent, and how often discovery and JWKS were fetched.
// tamper_file: the attacker in the middle. When it names a mode, the ID token in the token
// endpoint's answer is changed on its way to Terugkeer (see tamper() below); the provider
// itself is untouched.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const readJson = (file, fallback) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : fallback);
const accounts = () => readJson(config.accounts_file, {});

const provider = new Provider(config.issuer, {
  clients: [{
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...config.client,
  }],
  jwks: config.jwks,
  cookies: { keys: ['terugkeer-test-provider-cookie-key'] },
  pkce: { required: () => true },
  // Scope claims in the ID token itself (false), or only at the userinfo endpoint (true).
  conformIdTokenClaims: Boolean(config.claims_at_userinfo_only),
  scopes: ['openid', 'profile', 'email', 'vo', 'entra', 'rrn'],
  claims: {
    sid: null,
    // How the person signed in, in every ID token (as ACM/IDM and Entra ID do).
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    profile: ['given_name', 'family_name'],
    email: ['email'],
    vo: ['vo_id', 'vo_orgcode', 'vo_orgnaam', 'vo_email', 'vo_doelgroepcode', 'vo_personeelsnummer', 'iv_terugkeer_rol_3d'],
    entra: ['tid', 'oid', 'roles', 'employeeid'],
    rrn: ['rrn'],
  },
  acrValues: ['urn:test:loa:low', 'urn:test:loa:substantial'],
  ttl: { IdToken: config.id_token_ttl || 3600, AccessToken: 600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!accounts()[id]) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...(accounts()[id] || {}) };
      },
    };
  },
});

// The attacker in the middle: the token endpoint's answer, changed after the provider made it.
const attackerKey = await jose.generateKeyPair('RS256', { extractable: true });
async function tamper(idToken, mode) {
  const [header, payload, signature] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  if (mode === 'signature') {
    // Same header and signature, a role added to the claims: the signature no longer fits.
    claims.iv_terugkeer_rol_3d = ['TerugkeerBeheerder:OVO000001'];
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  }
  if (mode === 'alg-none') {
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url');
    return `${none}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  }
  let key = await jose.importJWK(config.jwks.keys[0], 'RS256');
  if (mode === 'aud') claims.aud = 'another-application';
  if (mode === 'iss') claims.iss = 'http://127.0.0.1:9/not-the-provider';
  if (mode === 'exp') { claims.iat = now - 7200; claims.exp = now - 3600; }
  if (mode === 'nonce') claims.nonce = 'a-nonce-from-another-sign-in';
  if (mode === 'foreign-key') key = attackerKey.privateKey; // same kid, the attacker's key
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
}

provider.use(async (ctx, next) => {
  appendFileSync(config.log_file, JSON.stringify({ method: ctx.method, path: ctx.path, query: ctx.query }) + '\n');
  await next();
  const mode = readJson(config.tamper_file, {}).mode;
  if (mode && ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token, mode) };
  }
});

const page = (body) => `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Test-aanmeldingsdienst</title></head><body>${body}</body></html>`;
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  return new URLSearchParams(data);
}

// The provider's own pages: a sign-in form (login and an optional second factor); consent is
// given at once (an organisation's own provider does not ask its staff to consent).
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (req.method === 'POST') {
    const form = await readForm(req);
    const login = form.get('login');
    if (!accounts()[login]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(`<p id="error">Onbekende gebruiker</p><a href="/interaction/${uid}">opnieuw</a>`));
    }
    const secondFactor = form.get('second_factor') === 'on';
    return provider.interactionFinished(req, res, {
      login: {
        accountId: login,
        acr: secondFactor ? 'urn:test:loa:substantial' : 'urn:test:loa:low',
        amr: secondFactor ? ['pwd', 'otp'] : ['pwd'],
      },
    }, { mergeWithLastSubmission: false });
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  return res.end(page(`
    <h1>Test-aanmeldingsdienst</h1>
    <form method="post" action="/interaction/${escape(uid)}">
      <label>Gebruiker <input name="login" autocomplete="off"></label>
      <label><input type="checkbox" name="second_factor"> met tweede factor</label>
      <button type="submit">Aanmelden bij de provider</button>
    </form>`));
}

const callback = provider.callback();
const server = createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
});
server.listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${config.issuer}`);
});
