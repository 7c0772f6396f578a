//! The mock's own HTML pages (login, consent, errors): escaped output, no script, and
//! headers that keep them out of frames and caches.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// Name of the login session cookie.
pub(crate) const SESSION_COOKIE: &str = "anypoint_mock_session";

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f3f5f8;color:#1b1f24;margin:0}\
main{max-width:26rem;margin:4rem auto;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);padding:2rem}\
h1{font-size:1.35rem;margin-top:0}\
.mock{font-size:.8rem;color:#6a737d;margin-top:-.5rem}\
label{display:block;font-weight:600;margin:1rem 0 .3rem}\
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #8b949e;border-radius:4px;font-size:1rem}\
button{margin-top:1.25rem;padding:.6rem 1.2rem;border-radius:4px;border:1px solid #0b5cad;font-size:1rem;cursor:pointer}\
button.primary{background:#0b5cad;color:#fff}button.secondary{background:#fff;color:#0b5cad;margin-left:.5rem}\
button:focus-visible,input:focus-visible{outline:3px solid #f5a623;outline-offset:2px}\
.error{color:#b00020;background:#fdecee;border-radius:4px;padding:.6rem}\
ul{padding-left:1.2rem}li{margin:.35rem 0}code{font-size:.85rem;color:#444}";

/// Escapes text for HTML element content and double-quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A complete page; `body` must already be escaped.
pub(crate) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} \u{2013} Anypoint Platform (mock)</title><style>{STYLE}</style></head>\
<body><main>{body}</main></body></html>",
        title = escape(title)
    );
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// An error page for requests that cannot be redirected back (unknown client, unregistered
/// redirect URI): redirecting would make the mock an open redirector.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Response {
    page(
        status,
        "Sign-in error",
        &format!(
            "<h1>Sign-in error</h1><p class=\"mock\">Anypoint Platform mock server</p>\
<p class=\"error\" role=\"alert\" id=\"error\">{}</p>",
            escape(message)
        ),
    )
}

/// The login session id from the request's cookies.
pub(crate) fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// `Set-Cookie` for a login session: HttpOnly, and SameSite=Lax so that cross-site form
/// posts (CSRF) arrive without it.
pub(crate) fn set_session_cookie(id: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax"
    ))
    .expect("session ids are URL-safe base64")
}

/// `response` with the `Set-Cookie` of login session `id`.
pub(crate) fn with_session_cookie(mut response: Response, id: &str) -> Response {
    response
        .headers_mut()
        .insert(header::SET_COOKIE, set_session_cookie(id));
    response
}

/// `Set-Cookie` that ends the login session.
pub(crate) fn clear_session_cookie() -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
    ))
    .expect("static cookie text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
