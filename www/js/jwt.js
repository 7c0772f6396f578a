// Decoding (not verifying) JSON Web Tokens and computing the PKCE S256 challenge, for display.

function base64urlToBytes(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(base64);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function bytesToBase64url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Splits a JWS compact serialization (RFC 7515 §7.1) into its decoded header and claims.
 * Throws with a readable message when `token` is not one.
 */
export function decodeJwt(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) throw new Error(`a JWT has 3 dot-separated parts, this one has ${parts.length}`);
  const json = (part, what) => {
    try {
      return JSON.parse(new TextDecoder().decode(base64urlToBytes(part)));
    } catch (error) {
      throw new Error(`the ${what} is not base64url-encoded JSON (${error.message})`);
    }
  };
  return {
    header: json(parts[0], 'header'),
    claims: json(parts[1], 'payload'),
    signatureBytes: base64urlToBytes(parts[2]).length,
  };
}

/** BASE64URL(SHA-256(verifier)): the S256 code_challenge of RFC 7636 §4.2. */
export async function s256(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return bytesToBase64url(new Uint8Array(digest));
}
