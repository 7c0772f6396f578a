// The package's types as a React 19 app uses them (JSX with attributes, listeners, a ref).
// Compiled, never run (make test-types); each `@ts-expect-error` is a wrong use.
import { useEffect, useRef } from 'react';
import type { AnypointSigninElement } from 'anypoint-signin';
import 'anypoint-signin';

export function SignIn({ onToken }: { onToken: (token: string) => void }) {
  const ref = useRef<AnypointSigninElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onSuccess = (e: CustomEvent<{ accessToken: string }>) => onToken(e.detail.accessToken);
    el.addEventListener('anypoint-signin-success', onSuccess);
    return () => el.removeEventListener('anypoint-signin-success', onSuccess);
  }, [onToken]);

  return (
    <div>
      <anypoint-signin
        ref={ref}
        id="signin"
        className="signin"
        clientid="my-client"
        redirecturi="https://app.example.com/"
        scopes="openid profile offline_access"
        region="eu"
        storage="memory"
        profile="userinfo"
        mode="popup"
        popupfallback="redirect"
        exchangeurl="/api/anypoint/token"
        logouturl="https://app.example.com/bye"
        size="large"
        shape="pill"
        theme="dark"
        text="continue"
        lang="pt-BR"
        signinlabel="Entrar na Acme"
        userlabel="Olá, {name}"
        onanypoint-signin-success={(e) => onToken(e.detail.accessToken)}
        onanypoint-signin-error={(e) => console.warn(e.detail.code, e.detail.description)}
        onanypoint-signin-code={(e) => e.detail.respondWith(fetch('/token').then((r) => r.text()))}
      />
      {/* @ts-expect-error no such region */}
      <anypoint-signin clientid="x" region="apac" />
      {/* @ts-expect-error the themes are light, dark and outline */}
      <anypoint-signin clientid="x" theme="blue" />
      {/* @ts-expect-error attributes are lowercase (clientid), not clientID */}
      <anypoint-signin clientID="x" />
      <anypoint-signin
        clientid="x"
        // @ts-expect-error the success detail has accessToken, not token
        onanypoint-signin-success={(e) => onToken(e.detail.token)}
      />
    </div>
  );
}
