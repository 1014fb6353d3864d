// The HTTP API for both pages (members and moderators): JSON in and out, the token in the
// Authorization header (never in a URL); an error becomes an Error with the protocol's code
// (err.code) and the HTTP status (err.status).
'use strict';

async function kringApi(path, token, { method = 'GET', body } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch('/api/v1' + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error((data && data.error && data.error.message) || res.statusText);
    err.code = data && data.error && data.error.code;
    err.status = res.status;
    throw err;
  }
  return data;
}
