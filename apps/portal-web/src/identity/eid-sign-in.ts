/**
 * Where "Sign in with e-ID" leads. Today: the development sign-in page (AUTH_MODE=dev). With
 * AUTH_MODE=oidc this is where the authorization-code flow with PKCE against the configured
 * issuer (the e-ID broker) starts: make a verifier and its S256 challenge, keep the verifier and
 * `next` in sessionStorage, send the browser to the issuer's authorization endpoint, and finish
 * on a callback page that trades the code for a token and calls `session.start(token)`.
 */
export function eidSignInPath(next: string): string {
  return next === '/' ? '/sign-in/dev' : `/sign-in/dev?next=${encodeURIComponent(next)}`;
}
