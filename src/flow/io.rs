//! What goes into the machine ([`Input`]) and what comes out of it ([`Effect`]).
//!
//! Both are plain data, so a flow reads as a table of "this input, then these effects", and
//! the browser runner only has to perform effects and report their results.

use crate::protocol::{Notice, SigninError};

/// One `<anypoint-signin>` on the page, numbered by the runner.
pub type ElementId = u32;

/// Correlates an effect with the input that answers it (a response, a digest, a
/// signature check, an event's fate) or a method call with its promise.
pub type Ticket = u32;

/// Randomness handed in with every input, as text: 160 characters of unpadded base64url
/// (RFC 4648 §5), the encoding of 120 fresh random bytes, 6 random bits a character. The
/// machine has no randomness of its own, and takes its secrets from it as they are sent
/// (RFC 7636 §4.1's 43 characters for the verifier).
pub type Random = [u8; 160];

/// The names of the attributes the machine reads, in the order the runner sends their
/// values (the order of `ATTRIBUTES` in js/element.js).
pub const ATTRIBUTE_NAMES: [&str; 11] = [
    "clientid",
    "redirecturi",
    "scopes",
    "issuer",
    "region",
    "storage",
    "profile",
    "logouturl",
    "mode",
    "popupfallback",
    "exchangeurl",
];

/// The element's observed attributes, as the page set them: the value of each attribute the
/// machine reads, in the order of `ATTRIBUTES` in js/element.js, then the `exchangeurl`
/// attribute resolved against the page's address by the runner (empty when it does not
/// resolve), separated by U+001F (as the runner sends them), empty when absent (and past the
/// end), read where the input holds them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attributes<'a>(pub &'a str);

impl<'a> Attributes<'a> {
    /// The values, in the runner's order.
    pub fn values(self) -> impl Iterator<Item = &'a str> {
        crate::protocol::text::pieces(self.0, 0x1f)
    }

    /// The value of attribute `name`, if set and not empty.
    pub fn get(self, name: &str) -> Option<&'a str> {
        let i = ATTRIBUTE_NAMES.iter().position(|n| *n == name)?;
        self.values().nth(i).filter(|v| !v.is_empty())
    }
}

/// The element's `sessionStorage` items (those whose keys start with `anypoint-signin:`), as
/// the runner sends them: each key then its value, separated by U+001F; read where the input
/// holds them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoredItems<'a>(pub &'a str);

impl<'a> StoredItems<'a> {
    /// The (key, value) pairs, in order; an odd last field is left out.
    pub fn pairs(self) -> impl Iterator<Item = (&'a str, &'a str)> {
        let mut fields = crate::protocol::text::pieces(self.0, 0x1f);
        core::iter::from_fn(move || Some((fields.next()?, fields.next()?)))
    }
}

/// From (key, value) pairs; the text is leaked, as befits a test.
#[cfg(test)]
impl<K: AsRef<str>, V: AsRef<str>> From<&[(K, V)]> for StoredItems<'static> {
    fn from(pairs: &[(K, V)]) -> Self {
        let fields: Vec<&str> = pairs
            .iter()
            .flat_map(|(k, v)| [k.as_ref(), v.as_ref()])
            .collect();
        Self(String::leak(fields.join("\u{1f}")))
    }
}

/// The name of the field after the attributes (the `exchangeurl` attribute as the runner
/// resolves it) among the pairs [`Attributes`] are made from in tests.
#[cfg(test)]
pub const RESOLVED_EXCHANGE_URL: &str = "exchangeurl resolved";

/// From (name, value) pairs, the names neither in [`ATTRIBUTE_NAMES`] nor
/// [`RESOLVED_EXCHANGE_URL`] left out; the text is leaked, as befits a test.
#[cfg(test)]
impl From<&[(&str, &str)]> for Attributes<'static> {
    fn from(pairs: &[(&str, &str)]) -> Self {
        let mut values = [""; ATTRIBUTE_NAMES.len() + 1];
        for &(name, value) in pairs {
            if let Some(i) = ATTRIBUTE_NAMES
                .iter()
                .chain([&RESOLVED_EXCHANGE_URL])
                .position(|n| *n == name)
            {
                values[i] = value;
            }
        }
        Attributes(values.join("\u{1f}").leak())
    }
}

/// An HTTP response as the runner received it, read where the input holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpResponse<'a> {
    /// The status code, as its three digits.
    pub status: &'a str,
    /// The body as text.
    pub body: &'a str,
}

/// The options of a `signIn({prompt, loginHint})` call ([`Input::SignIn`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignInOptions {
    /// OpenID Connect `prompt`.
    pub prompt: Option<String>,
    /// OpenID Connect `login_hint`.
    pub login_hint: Option<String>,
    /// How long a popup may stay open, when not the transaction's lifetime (the browser
    /// tests shorten it).
    pub popup_timeout_ms: Option<u64>,
}

/// Something that happened on the page or came back from an effect; its texts are read
/// where the runner's message holds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input<'a> {
    /// The module started on a page: its URL, whether the page is the sign-in popup, and
    /// the `sessionStorage` items whose keys start with `anypoint-signin:`.
    Page {
        /// `location.href`.
        url: &'a str,
        /// Whether this window is the popup a sign-in opened.
        popup: bool,
        /// The element's stored items (transactions, session, cached documents).
        stored: StoredItems<'a>,
    },
    /// An element was connected to the document.
    Connected {
        /// Which element.
        element: ElementId,
        /// Its attributes.
        attributes: Attributes<'a>,
    },
    /// An observed attribute changed.
    AttributesChanged {
        /// Which element.
        element: ElementId,
        /// All its attributes now.
        attributes: Attributes<'a>,
    },
    /// An element was removed from the document.
    Disconnected {
        /// Which element.
        element: ElementId,
    },
    /// The user clicked the element's button.
    Click {
        /// Which element.
        element: ElementId,
    },
    /// The page called `signIn({prompt, loginHint})`.
    SignIn {
        /// Which element.
        element: ElementId,
        /// Settles the method's promise.
        call: Ticket,
        /// Its options, boxed: they are rare and the largest fields of any input.
        options: Box<SignInOptions>,
    },
    /// The page called `getAccessToken()`.
    GetAccessToken {
        /// Which element.
        element: ElementId,
        /// Settles the method's promise.
        call: Ticket,
    },
    /// The page called `signOut()`.
    SignOut {
        /// Which element.
        element: ElementId,
        /// Settles the method's promise.
        call: Ticket,
    },
    /// The page called `handleRedirectCallback(url)`.
    HandleRedirect {
        /// Which element.
        element: ElementId,
        /// Settles the method's promise.
        call: Ticket,
        /// The URL carrying the callback.
        url: &'a str,
    },
    /// The lock asked for with [`Effect::Lock`] is held, until [`Effect::Unlock`];
    /// `stored` is `sessionStorage`'s `anypoint-signin:` items as they are now.
    LockGranted {
        /// The lock's ticket.
        ticket: Ticket,
        /// The element's stored items now.
        stored: StoredItems<'a>,
    },
    /// Another browsing context of the origin posted a message on a channel this one
    /// listens to ([`Effect::Listen`]): its members as [`Effect::Broadcast`] names them,
    /// each as text (as the runner reads a member: `undefined` when there is none).
    Broadcast {
        /// What happened (`refreshed` or `signout`).
        kind: &'a str,
        /// The generation of the session it happened to.
        previous: &'a str,
        /// What the other contexts may take of it, as a stored session record.
        record: &'a str,
    },
    /// The answer to a [`Effect::Fetch`]: a response, or why there was none.
    Response {
        /// The fetch's ticket.
        ticket: Ticket,
        /// The response, or the network error's message.
        result: Result<HttpResponse<'a>, &'a str>,
    },
    /// The answer to a [`Effect::Digest`].
    Digest {
        /// The digest's ticket.
        ticket: Ticket,
        /// SHA-256 of the data, unpadded base64url (43 characters).
        digest: &'a str,
    },
    /// The answer to a [`Effect::Verify`]: whether the signature holds, or why it could
    /// not be checked (the key could not be imported).
    Verified {
        /// The check's ticket.
        ticket: Ticket,
        /// The outcome.
        result: Result<bool, &'a str>,
    },
    /// A cancelable event was dispatched ([`Effect::Dispatch`] with a ticket).
    Dispatched {
        /// The event's ticket.
        ticket: Ticket,
        /// Whether a listener called `preventDefault()`.
        cancelled: bool,
        /// Whether a listener called `detail.respondWith(promise)` (an event that offers
        /// it): the promise's outcome follows as [`Input::Responded`].
        responding: bool,
    },
    /// The answer to [`Effect::OpenPopup`]: whether the browser opened the window.
    PopupOpened {
        /// The popup's ticket.
        ticket: Ticket,
        /// False when a popup blocker refused it.
        opened: bool,
    },
    /// The popup's redirect page posted the callback parameters (from the expected window
    /// and origin), or the user closed the popup (`None`).
    PopupAnswered {
        /// The popup's ticket.
        ticket: Ticket,
        /// The callback's query, without `?`.
        params: Option<&'a str>,
    },
    /// A timer set with [`Effect::StartTimer`] fired.
    Timer {
        /// The timer's ticket.
        ticket: Ticket,
    },
    /// The promise a listener passed to `detail.respondWith` settled: its value as JSON
    /// text (a string value as is), or why it was rejected.
    Responded {
        /// The event's ticket.
        ticket: Ticket,
        /// The outcome.
        result: Result<&'a str, &'a str>,
    },
}

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST` with an `application/x-www-form-urlencoded` body.
    PostForm,
    /// `POST` with an `application/json` body (and `Accept: application/json`).
    PostJson,
}

/// The signature algorithms WebCrypto is asked to check (RFC 7518 §3.3, §3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JwsAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// ECDSA P-256 with SHA-256.
    Es256,
}

/// A DOM event the element fires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The event's name, e.g. `anypoint-signin-success`.
    pub name: &'static str,
    /// The `detail` as JSON text.
    pub detail: String,
    /// Whether a listener may cancel it (the answer comes back as [`Input::Dispatched`]).
    pub cancelable: bool,
    /// Whether `detail` gets a `respondWith(promise)` function (see [`Input::Responded`]).
    pub respond: bool,
    /// Whether it bubbles and crosses shadow roots; an event carrying a secret for the
    /// page's own handler stays on the element.
    pub bubbles: bool,
}

/// What the element shows. The runner writes it into the shadow DOM with `textContent`
/// and attributes only. Its texts are `String`s in an [`Effect::Render`], and borrowed
/// where the machine hands it to [`Effects::render`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View<T = String> {
    /// Nobody is signed in.
    SignedOut {
        /// A sign-in is under way.
        busy: bool,
        /// Why the button is disabled (a configuration error).
        unavailable: Option<T>,
        /// The last error, shown under the button.
        message: T,
        /// What the reason or the error shown means to the user, for the runner's
        /// translation of it (the texts above are the web developer's English).
        notice: Option<Notice>,
    },
    /// Signed in as `name`.
    SignedIn {
        /// The name on the button.
        name: T,
        /// The last error, shown under the button.
        message: T,
        /// What the error shown means to the user.
        notice: Option<Notice>,
    },
}

/// Something the machine asks the runner to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Send an HTTP request without cookies; answer with [`Input::Response`].
    Fetch {
        /// Identifies the answer.
        ticket: Ticket,
        /// The method.
        method: Method,
        /// The URL.
        url: String,
        /// The form body of a POST.
        body: Option<String>,
        /// An access token to send as `Authorization: Bearer`.
        bearer: Option<String>,
        /// Send the page's cookies (`credentials: same-origin`): only to the app's own
        /// backend; the authorization server never gets them.
        cookies: bool,
    },
    /// Compute SHA-256 of `data` (UTF-8); answer with [`Input::Digest`].
    Digest {
        /// Identifies the answer.
        ticket: Ticket,
        /// What to hash.
        data: String,
    },
    /// Import the public members of `jwk` (`kty`, `n`, `e`, `crv`, `x`, `y`) for `alg` and
    /// verify `signature` over `data`; answer with [`Input::Verified`].
    Verify {
        /// Identifies the answer.
        ticket: Ticket,
        /// The algorithm.
        alg: JwsAlg,
        /// The key the ID token names, as the key set's JWK (JSON text), checked to verify
        /// `alg`.
        jwk: String,
        /// The signed bytes (the JWS signing input).
        data: String,
        /// The signature, unpadded base64url.
        signature: String,
    },
    /// Set (`Some`) or remove (`None`) a `sessionStorage` item.
    Store {
        /// The key.
        key: String,
        /// The value, or `None` to remove it.
        value: Option<String>,
    },
    /// Replace the address bar's URL without navigating (`history.replaceState`).
    ReplaceUrl {
        /// The new URL.
        url: String,
    },
    /// Navigate the page (`location.assign`).
    Navigate {
        /// Where to.
        url: String,
    },
    /// Fire `event` on `element`; a cancelable event is answered with [`Input::Dispatched`].
    Dispatch {
        /// Where.
        element: ElementId,
        /// What.
        event: Event,
        /// Set for a cancelable event.
        ticket: Option<Ticket>,
    },
    /// Show `view` in `element`.
    Render {
        /// Which element.
        element: ElementId,
        /// What to show.
        view: View,
    },
    /// Open the (blank) sign-in popup now, synchronously inside the click, or popup
    /// blockers refuse it; answer with [`Input::PopupOpened`].
    OpenPopup {
        /// Identifies the popup in the answers.
        ticket: Ticket,
    },
    /// Point the popup at `url` and wait for its redirect page to post the callback from
    /// `origin`; answer with [`Input::PopupAnswered`].
    ShowInPopup {
        /// The popup's ticket.
        ticket: Ticket,
        /// The authorization URL.
        url: String,
        /// The redirect URI's origin, the only one the answer may come from.
        origin: String,
    },
    /// Close the popup and stop waiting for it.
    ClosePopup {
        /// The popup's ticket.
        ticket: Ticket,
    },
    /// On the redirect page inside the popup: post `params` to the opener (to this page's
    /// own origin only) and close this window.
    AnswerOpener {
        /// The callback's query, without `?`.
        params: String,
    },
    /// Fire [`Input::Timer`] after `ms` milliseconds.
    StartTimer {
        /// Identifies the timer.
        ticket: Ticket,
        /// The delay.
        ms: u64,
    },
    /// Cancel a timer.
    StopTimer {
        /// The timer's ticket.
        ticket: Ticket,
    },
    /// Take the origin-wide lock `name` (Web Locks) and answer with [`Input::LockGranted`];
    /// hold it until [`Effect::Unlock`].
    Lock {
        /// Identifies the lock.
        ticket: Ticket,
        /// The lock's name.
        name: String,
    },
    /// Let go of a lock.
    Unlock {
        /// The lock's ticket.
        ticket: Ticket,
    },
    /// Listen on the `BroadcastChannel` `channel` (once per channel) and report each
    /// message as [`Input::Broadcast`].
    Listen {
        /// The channel's name.
        channel: String,
    },
    /// Post a message on the `BroadcastChannel` `channel`: an object of three strings,
    /// `type`, `previous` and `record` ([`Input::Broadcast`] reads them back).
    Broadcast {
        /// The channel's name.
        channel: String,
        /// What happened (`refreshed` or `signout`): the member `type`.
        kind: String,
        /// The generation of the session it happened to.
        previous: String,
        /// What the other contexts may take of it, as a stored session record.
        record: String,
    },
    /// Settle the promise of a method call: resolve (with JSON text, or `undefined` for
    /// `None`), or reject.
    Settle {
        /// The call.
        call: Ticket,
        /// The value or the error.
        outcome: Result<Option<String>, SigninError>,
    },
}

/// Where the machine puts the effects of an input, in the order it decides them. Each
/// method adds the [`Effect`] of the same name, its texts borrowed: `Vec<Effect>` keeps
/// them as values (what native tests and any Rust caller read), while the browser's
/// boundary writes each one straight into the text the runner reads.
pub trait Effects: Default {
    /// Adds an [`Effect::Fetch`]; an empty `body` or `bearer` is none (`None`): a POST's
    /// body and an access token are never empty. `cookies` is on exactly for a JSON body
    /// ([`Method::PostJson`]): the app's own backend alone gets both.
    fn fetch(
        &mut self,
        ticket: Ticket,
        method: Method,
        url: &str,
        body: &str,
        bearer: &str,
        cookies: bool,
    );
    /// Adds an [`Effect::Digest`].
    fn digest(&mut self, ticket: Ticket, data: &str);
    /// Adds an [`Effect::Verify`].
    fn verify(&mut self, ticket: Ticket, alg: JwsAlg, jwk: &str, data: &str, signature: &str);
    /// Adds an [`Effect::Store`].
    fn store(&mut self, key: &str, value: Option<&str>);
    /// Adds an [`Effect::ReplaceUrl`].
    fn replace_url(&mut self, url: &str);
    /// Adds an [`Effect::Navigate`].
    fn navigate(&mut self, url: &str);
    /// Adds an [`Effect::Dispatch`]; `ticket` is 0 for an event that is not cancelable (its
    /// ticket `None`): the machine hands out tickets from 1. An event bubbles exactly when it
    /// offers no `respondWith` (the one that does carries a secret for the page's own handler).
    fn dispatch(&mut self, element: ElementId, event: &Event, ticket: Ticket);
    /// Adds an [`Effect::Render`].
    fn render(&mut self, element: ElementId, view: View<&str>);
    /// Adds an [`Effect::OpenPopup`].
    fn open_popup(&mut self, ticket: Ticket);
    /// Adds an [`Effect::ShowInPopup`].
    fn show_in_popup(&mut self, ticket: Ticket, url: &str, origin: &str);
    /// Adds an [`Effect::ClosePopup`].
    fn close_popup(&mut self, ticket: Ticket);
    /// Adds an [`Effect::AnswerOpener`].
    fn answer_opener(&mut self, params: &str);
    /// Adds an [`Effect::StartTimer`].
    fn start_timer(&mut self, ticket: Ticket, ms: u64);
    /// Adds an [`Effect::StopTimer`].
    fn stop_timer(&mut self, ticket: Ticket);
    /// Adds an [`Effect::Lock`].
    fn lock(&mut self, ticket: Ticket, name: &str);
    /// Adds an [`Effect::Unlock`].
    fn unlock(&mut self, ticket: Ticket);
    /// Adds an [`Effect::Listen`].
    fn listen(&mut self, channel: &str);
    /// Adds an [`Effect::Broadcast`].
    fn broadcast(&mut self, channel: &str, kind: &str, previous: &str, record: &str);
    /// Adds an [`Effect::Settle`]; an empty value resolves to `undefined` (`None`): no
    /// value the machine resolves to is empty.
    fn settle(&mut self, call: Ticket, outcome: Result<&str, &SigninError>);
}

impl Effects for Vec<Effect> {
    fn fetch(
        &mut self,
        ticket: Ticket,
        method: Method,
        url: &str,
        body: &str,
        bearer: &str,
        cookies: bool,
    ) {
        // What the browser's boundary relies on, held in every test of the flows.
        debug_assert_eq!(cookies, method == Method::PostJson);
        let given = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        self.push(Effect::Fetch {
            ticket,
            method,
            url: url.to_owned(),
            body: given(body),
            bearer: given(bearer),
            cookies,
        });
    }

    fn digest(&mut self, ticket: Ticket, data: &str) {
        self.push(Effect::Digest {
            ticket,
            data: data.to_owned(),
        });
    }

    fn verify(&mut self, ticket: Ticket, alg: JwsAlg, jwk: &str, data: &str, signature: &str) {
        self.push(Effect::Verify {
            ticket,
            alg,
            jwk: jwk.to_owned(),
            data: data.to_owned(),
            signature: signature.to_owned(),
        });
    }

    fn store(&mut self, key: &str, value: Option<&str>) {
        self.push(Effect::Store {
            key: key.to_owned(),
            value: value.map(str::to_owned),
        });
    }

    fn replace_url(&mut self, url: &str) {
        self.push(Effect::ReplaceUrl {
            url: url.to_owned(),
        });
    }

    fn navigate(&mut self, url: &str) {
        self.push(Effect::Navigate {
            url: url.to_owned(),
        });
    }

    fn dispatch(&mut self, element: ElementId, event: &Event, ticket: Ticket) {
        // What the browser's boundary relies on, held in every test of the flows.
        debug_assert_eq!(event.bubbles, !event.respond);
        self.push(Effect::Dispatch {
            element,
            event: event.clone(),
            ticket: (ticket != super::machine::NO_TICKET).then_some(ticket),
        });
    }

    fn render(&mut self, element: ElementId, view: View<&str>) {
        let view = match view {
            View::SignedOut {
                busy,
                unavailable,
                message,
                notice,
            } => View::SignedOut {
                busy,
                unavailable: unavailable.map(str::to_owned),
                message: message.to_owned(),
                notice,
            },
            View::SignedIn {
                name,
                message,
                notice,
            } => View::SignedIn {
                name: name.to_owned(),
                message: message.to_owned(),
                notice,
            },
        };
        self.push(Effect::Render { element, view });
    }

    fn open_popup(&mut self, ticket: Ticket) {
        self.push(Effect::OpenPopup { ticket });
    }

    fn show_in_popup(&mut self, ticket: Ticket, url: &str, origin: &str) {
        self.push(Effect::ShowInPopup {
            ticket,
            url: url.to_owned(),
            origin: origin.to_owned(),
        });
    }

    fn close_popup(&mut self, ticket: Ticket) {
        self.push(Effect::ClosePopup { ticket });
    }

    fn answer_opener(&mut self, params: &str) {
        self.push(Effect::AnswerOpener {
            params: params.to_owned(),
        });
    }

    fn start_timer(&mut self, ticket: Ticket, ms: u64) {
        self.push(Effect::StartTimer { ticket, ms });
    }

    fn stop_timer(&mut self, ticket: Ticket) {
        self.push(Effect::StopTimer { ticket });
    }

    fn lock(&mut self, ticket: Ticket, name: &str) {
        self.push(Effect::Lock {
            ticket,
            name: name.to_owned(),
        });
    }

    fn unlock(&mut self, ticket: Ticket) {
        self.push(Effect::Unlock { ticket });
    }

    fn listen(&mut self, channel: &str) {
        self.push(Effect::Listen {
            channel: channel.to_owned(),
        });
    }

    fn broadcast(&mut self, channel: &str, kind: &str, previous: &str, record: &str) {
        self.push(Effect::Broadcast {
            channel: channel.to_owned(),
            kind: kind.to_owned(),
            previous: previous.to_owned(),
            record: record.to_owned(),
        });
    }

    fn settle(&mut self, call: Ticket, outcome: Result<&str, &SigninError>) {
        self.push(Effect::Settle {
            call,
            outcome: match outcome {
                Ok(value) => Ok((!value.is_empty()).then(|| value.to_owned())),
                Err(e) => Err(e.clone()),
            },
        });
    }
}
