//! The boundary between the flow machine ([`crate::flow`]) and its JS runner
//! (`js/element.js`): one function, [`handle`], which takes an input as one string and
//! returns the effects as one string; the package's glue (`js/glue.js`) makes it of the
//! module's export [`handle`] and its import `effectsOut` (the strings cross as UTF-8 in
//! the module's memory, which the module owns), and the entry hands it to the runner. Everything that
//! decides lives in the machine; the runner performs effects and reports results.
//!
//! Wire format: fields are separated by U+001F, and each effect starts with U+001E. An
//! input's first field is fresh randomness (the [`Random`](crate::flow::Random) text), its
//! second names its kind; an effect's first field names its kind. After the effects, the
//! session as the element's properties show it, after a U+001E of its own (see [`handle`]).
//! Values never contain either separator (the runner and [`Wire`] replace them with
//! U+FFFD), so no value can forge a field.

mod json;
pub(crate) mod text;
pub(crate) mod url;

/// The module's JSON decoder (the runner's `jsonTokens` through `JSON.parse`), for the
/// browser tests.
#[cfg(feature = "test-hooks")]
pub use json::BrowserJson;

/// The URL checks as the package makes them, through the runner's `codedText` (its URL reader), beside the
/// grammar they follow and the acceptance table, for the browser tests.
#[cfg(feature = "test-hooks")]
pub mod urls {
    pub use super::url::parts as runner_parts;
    pub use crate::protocol::uri::{URL_CASES, parts as grammar_parts, split};
}

use core::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::flow::{
    Attributes, Effects, ElementId, Event, HttpResponse, Input, JwsAlg, Machine, Method,
    SignInOptions, StoredItems, Ticket, View,
};
use crate::protocol::SigninError;

const FIELD: u8 = 0x1f;
const RECORD: u8 = 0x1e;

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[cfg(feature = "test-hooks")]
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element(handle: JsValue);
}

#[cfg(feature = "test-hooks")]
#[wasm_bindgen(inline_js = "export function forgetStored(a, b) {
    for (const key of Object.keys(sessionStorage)) {
        if (key.startsWith(a) || key.startsWith(b)) sessionStorage.removeItem(key);
    }
}")]
extern "C" {
    /// Removes the `sessionStorage` items whose keys start with `a` or `b`.
    #[wasm_bindgen(js_name = forgetStored)]
    fn forget_stored(a: &str, b: &str);
}

/// Forgets the discovery documents and key sets fetched so far, so that the next sign-in
/// fetches them again: the browser tests plan a fault for one fetch at a time. The test
/// build performs the removals itself, so the shipped runner has no hook for them.
#[cfg(feature = "test-hooks")]
pub fn forget_caches() {
    forget_stored(crate::flow::DISCOVERY_PREFIX, crate::flow::KEYS_PREFIX);
    // Its effects are the removals just performed.
    with_page(|page| {
        page.machine.forget_documents();
    });
}

/// Hands the runner [`handle`], as the package's entry does once the module has loaded:
/// the browser tests load the module without the entry, so the input goes in and the
/// effects come out as strings, through the same [`Page`] the glue writes and reads. Later
/// calls do nothing.
#[cfg(feature = "test-hooks")]
pub fn define() {
    define_element(
        Closure::<dyn FnMut(String, f64) -> String>::own_aborting(|input: String, now: f64| {
            with_page(|page| page.input = input);
            handle(0, now);
            with_page(|page| {
                String::from_utf8(core::mem::take(&mut page.output)).unwrap_or_default()
            })
        })
        .into_js_value(),
    );
}

thread_local! {
    /// The page's flow machine, driven by `js/element.js` through [`handle`].
    static PAGE: RefCell<Page> = const {
        RefCell::new(Page {
            machine: Machine::with_effects(json::BrowserJson, Wire(Vec::new())),
            #[cfg(feature = "test-hooks")]
            input: String::new(),
            #[cfg(feature = "test-hooks")]
            output: Vec::new(),
        })
    };
}

/// The page's flow machine, built at compile time (a constant start needs no lazy cell);
/// in the browser tests, the input their runner hands over and the effects made of it.
struct Page {
    machine: Machine<json::BrowserJson, Wire>,
    #[cfg(feature = "test-hooks")]
    input: String,
    #[cfg(feature = "test-hooks")]
    output: Vec<u8>,
}

// The package's glue (`js/glue.js`) reads the effects as `handle` hands them over.
#[cfg(not(feature = "test-hooks"))]
#[wasm_bindgen]
extern "C" {
    /// Hands the glue the effects: `length` bytes of UTF-8 at `at`, which it reads at once.
    #[wasm_bindgen(js_name = effectsOut)]
    fn effects_out(at: usize, length: usize);
}

/// Calls `f` with the page; the default value where there is none (the module has no
/// threads, so there always is) or where it is in use (no call into the module reenters it).
fn with_page<R: Default>(f: impl FnOnce(&mut Page) -> R) -> R {
    PAGE.try_with(|page| match page.try_borrow_mut() {
        Ok(mut page) => f(&mut page),
        Err(_) => R::default(),
    })
    .unwrap_or_default()
}

/// Handles the input the glue kept last, `length` bytes of UTF-8 (written by `jsonTake`, as
/// JSON tokens are), at `now` (`Date.now()`), and hands the glue the effects (UTF-8,
/// through `effectsOut`; the browser tests' runner gets them from the page).
///
/// The input is fresh randomness (the [`Random`](crate::flow::Random) text: 160 characters
/// of unpadded base64url), then the input's fields, separated by U+001F; the effects are
/// those to perform, in order, and then, after a U+001E of its own, the session as the
/// element's properties show it until the next input: `signedIn`, `accessToken`, `user`
/// (fields separated by U+001F; the user as JSON text, or empty; nothing at all when signed
/// out).
#[cfg_attr(not(feature = "test-hooks"), wasm_bindgen)]
pub fn handle(length: usize, now: f64) {
    with_page(|page| {
        #[cfg(not(feature = "test-hooks"))]
        let input = &json::taken(length);
        // The browser tests' runner hands the input over as a string, kept in the page.
        #[cfg(feature = "test-hooks")]
        let (input, _) = (&page.input, length);
        // The machine by a reference the optimizer cannot see through: it lives in a static,
        // and its methods, given its address as a constant, would spell it out at every use.
        let output = effects(core::hint::black_box(&mut page.machine), input, now);
        #[cfg(not(feature = "test-hooks"))]
        effects_out(output.as_ptr() as usize, output.len());
        #[cfg(feature = "test-hooks")]
        {
            page.output = output;
        }
    })
}

/// The effects of `input` at `now`, then the session, as [`handle`] describes them.
fn effects(machine: &mut Machine<json::BrowserJson, Wire>, input: &str, now: f64) -> Vec<u8> {
    // The input's first fields, each with the input after it (what follows a kind's last
    // field, its stored items or attributes, is read as one text, separators and all), read
    // the same way for every kind.
    let mut fields = [("", ""); 8];
    let mut rest = input;
    let mut i = 0;
    while let Some(field) = fields.get_mut(i) {
        *field = crate::protocol::text::split_once(rest, FIELD).unwrap_or((rest, ""));
        rest = field.1;
        i += 1;
    }
    // The clock and the randomness are set before the input is read, so that every kind
    // of input takes the machine's step the same way.
    let random = machine.at(now as u64);
    // The runner sends 160 characters; none are taken from fewer.
    *random = [0; 160];
    // Taken as an array, which no length check stands between.
    if let Some(bytes) = fields[0].0.as_bytes().first_chunk() {
        *random = *bytes;
    }
    let mut wire = machine.step(decode(&fields));
    // The session: signed in is a session with an access token.
    wire.0.extend_from_slice(&[RECORD]);
    if let Some(session) = machine.session()
        && let Some(token) = &session.record.access_token
    {
        wire.0.extend_from_slice(b"1");
        wire.field(token.secret());
        wire.optional(match &session.profile {
            None => session.claims.as_deref(),
            profile => profile.as_deref(),
        });
    }
    wire.0
}

/// A field as a flag (`1` is on).
fn flag(field: &str) -> bool {
    field.as_bytes() == [b'1']
}

/// A field as a number.
fn number(field: &str) -> Option<u64> {
    crate::protocol::decimal::number(field, 10)
}

/// A field as text, `None` when empty.
fn text(field: &str) -> Option<String> {
    (!field.is_empty()).then(|| field.to_owned())
}

/// Reads one input from its first fields, each with the input after it (after the
/// randomness): its kind (one letter), the element or ticket numbers that follow it (read
/// the same way for every kind), then the fields of its kind. An input that is not one of
/// them is an answer nobody waits for, which does nothing.
fn decode<'a>(fields: &[(&'a str, &'a str); 8]) -> Input<'a> {
    // Field `i`, and the input from field `i` on (after field `i - 1`).
    let f = |i: usize| fields[i].0;
    let from = |i: usize| fields[i - 1].1;
    // No ticket is ever 0.
    const NOTHING: Input<'static> = Input::Timer { ticket: 0 };
    let &[kind] = f(1).as_bytes() else {
        return NOTHING;
    };
    let numbers = match kind {
        b'P' | b'B' => 0,
        b'S' | b'T' | b'O' | b'H' => 2,
        _ => 1,
    };
    // The element (or ticket) and the call.
    let mut id: Ticket = 0;
    let mut call: Ticket = 0;
    for i in 0..numbers {
        let Some(Ok(n)) = number(f(2 + i)).map(Ticket::try_from) else {
            return NOTHING;
        };
        if i == 0 {
            id = n;
        } else {
            call = n;
        }
    }
    match kind {
        b'P' => Input::Page {
            url: f(2),
            popup: flag(f(3)),
            stored: StoredItems(from(4)),
        },
        b'C' => Input::Connected {
            element: id,
            attributes: Attributes(from(3)),
        },
        b'A' => Input::AttributesChanged {
            element: id,
            attributes: Attributes(from(3)),
        },
        b'D' => Input::Disconnected { element: id },
        b'K' => Input::Click { element: id },
        b'S' => {
            // Lets the browser tests prove that a trap still reaches the page as an event.
            #[cfg(feature = "test-hooks")]
            if f(7) == "sync" {
                core::arch::wasm32::unreachable();
            }
            Input::SignIn {
                element: id,
                call,
                options: Box::new(SignInOptions {
                    prompt: text(f(4)),
                    login_hint: text(f(5)),
                    // Only the browser tests shorten it (the shipped runner never sends it).
                    popup_timeout_ms: if cfg!(feature = "test-hooks") {
                        number(f(6))
                    } else {
                        None
                    },
                }),
            }
        }
        b'T' => Input::GetAccessToken { element: id, call },
        b'O' => Input::SignOut { element: id, call },
        b'H' => Input::HandleRedirect {
            element: id,
            call,
            url: from(4),
        },
        b'R' => {
            // `fetch`'s status, three digits; empty when the request failed, the body then
            // being the browser's message.
            let (status, body) = (f(3), from(4));
            Input::Response {
                ticket: id,
                result: match status.as_bytes() {
                    [_, _, _] => Ok(HttpResponse { status, body }),
                    _ => Err(body),
                },
            }
        }
        b'G' => Input::Digest {
            ticket: id,
            digest: f(3),
        },
        b'V' => Input::Verified {
            ticket: id,
            result: match f(3).as_bytes() {
                [b'1'] => Ok(true),
                [b'0'] => Ok(false),
                _ => Err(from(4)),
            },
        },
        b'E' => Input::Dispatched {
            ticket: id,
            cancelled: flag(f(3)),
            responding: flag(f(4)),
        },
        b'Y' => Input::Responded {
            ticket: id,
            result: if flag(f(3)) {
                Ok(from(4))
            } else {
                Err(from(4))
            },
        },
        b'W' => Input::PopupOpened {
            ticket: id,
            opened: flag(f(3)),
        },
        b'X' => Input::PopupAnswered {
            ticket: id,
            params: flag(f(3)).then_some(from(4)),
        },
        b'M' => Input::Timer { ticket: id },
        b'L' => Input::LockGranted {
            ticket: id,
            stored: StoredItems(from(3)),
        },
        b'B' => Input::Broadcast {
            kind: f(2),
            previous: f(3),
            record: f(4),
        },
        _ => NOTHING,
    }
}

/// Effects written for the runner as the machine decides them ([`Effects`]): each one a
/// U+001E, its kind (one letter), then its fields, each after a U+001F; UTF-8.
#[derive(Default)]
struct Wire(Vec<u8>);

impl Wire {
    /// Starts an effect of `kind`.
    fn kind(&mut self, kind: u8) {
        self.0.extend_from_slice(&[RECORD, kind]);
    }

    /// Starts an effect of `kind` for `ticket` (or element).
    fn kind_of(&mut self, kind: u8, ticket: Ticket) {
        self.kind(kind);
        self.ticket(ticket);
    }

    /// Writes a field; separators in `value` become U+FFFD.
    fn field(&mut self, value: &str) {
        self.0.extend_from_slice(&[FIELD]);
        let mut rest = value;
        loop {
            let piece = crate::protocol::text::before(rest, &[FIELD, RECORD]);
            self.0.extend_from_slice(piece.as_bytes());
            // What follows a separator, if one ended the piece.
            let Some(more) = rest.get(piece.len() + 1..) else {
                break;
            };
            self.0.extend_from_slice("\u{fffd}".as_bytes());
            rest = more;
        }
    }

    /// Writes an optional field, empty for `None`.
    fn optional(&mut self, value: Option<&str>) {
        match value {
            Some(value) => self.field(value),
            None => self.empty(),
        }
    }

    /// Writes a number field.
    fn number(&mut self, n: u64) {
        self.field(&crate::protocol::decimal::decimal(n));
    }

    /// Writes a ticket (or element) field.
    fn ticket(&mut self, ticket: Ticket) {
        self.number(u64::from(ticket));
    }

    /// Writes a flag field: `1` when on, empty when off.
    fn flag(&mut self, on: bool) {
        self.field(if on { "1" } else { "" });
    }

    /// Writes an empty field (which is what an off flag is).
    #[inline(always)]
    fn empty(&mut self) {
        self.flag(false);
    }
}

// The writers the machine calls from one place (render, dispatch, store, settle) are
// inlined there, so what they write is written as it is decided, never built and matched.
impl Effects for Wire {
    fn fetch(
        &mut self,
        ticket: Ticket,
        method: Method,
        url: &str,
        body: &str,
        bearer: &str,
        cookies: bool,
    ) {
        self.kind_of(b'f', ticket);
        // The body's type, a letter the runner spells out as a media type; empty for a GET.
        match method {
            Method::Get => self.empty(),
            Method::PostForm => self.field("f"),
            Method::PostJson => self.field("j"),
        }
        self.field(url);
        // Empty when there is none.
        self.field(body);
        self.field(bearer);
        // The JSON body goes to the app's own backend, the one request with the cookies.
        debug_assert_eq!(cookies, method == Method::PostJson);
    }

    fn digest(&mut self, ticket: Ticket, data: &str) {
        self.kind_of(b'd', ticket);
        self.field(data);
    }

    fn verify(&mut self, ticket: Ticket, alg: JwsAlg, jwk: &str, data: &str, signature: &str) {
        self.kind_of(b'v', ticket);
        // On for RS256, off for ES256.
        self.flag(matches!(alg, JwsAlg::Rs256));
        self.field(jwk);
        self.field(data);
        self.field(signature);
    }

    #[inline(always)]
    fn store(&mut self, key: &str, value: Option<&str>) {
        self.kind(b's');
        self.field(key);
        // No value field for a removal.
        if let Some(value) = value {
            self.field(value);
        }
    }

    fn replace_url(&mut self, url: &str) {
        self.kind(b'u');
        self.field(url);
    }

    fn navigate(&mut self, url: &str) {
        self.kind(b'n');
        self.field(url);
    }

    #[inline(always)]
    fn dispatch(&mut self, element: ElementId, event: &Event, ticket: Ticket) {
        self.kind_of(b'e', element);
        self.field(event.name);
        self.field(&event.detail);
        // The event that offers `respondWith` stays on the element; every other one bubbles.
        debug_assert_eq!(event.bubbles, !event.respond);
        self.flag(event.respond);
        // Last, a cancelable event's ticket; none otherwise (0): the ticket says that it is
        // cancelable.
        if ticket != 0 {
            self.ticket(ticket);
        }
    }

    #[inline(always)]
    fn render(&mut self, element: ElementId, view: View<&str>) {
        self.kind_of(b'r', element);
        // The text shown under the button (why it is unavailable, else the message) goes
        // after the flags and the name.
        let (text, notice) = match view {
            View::SignedOut {
                busy,
                unavailable,
                message,
                notice,
            } => {
                self.flag(false);
                self.flag(busy);
                // No name.
                self.empty();
                self.flag(unavailable.is_some());
                (unavailable.unwrap_or(message), notice)
            }
            View::SignedIn {
                name,
                message,
                notice,
            } => {
                self.flag(true);
                self.flag(false);
                self.field(name);
                // No reason to be unavailable.
                self.empty();
                (message, notice)
            }
        };
        self.field(text);
        self.field(notice.map_or("", |n| n.as_str()));
    }

    fn open_popup(&mut self, ticket: Ticket) {
        self.kind_of(b'o', ticket);
    }

    fn show_in_popup(&mut self, ticket: Ticket, url: &str, origin: &str) {
        self.kind_of(b'p', ticket);
        self.field(url);
        self.field(origin);
    }

    fn close_popup(&mut self, ticket: Ticket) {
        self.kind_of(b'x', ticket);
    }

    fn answer_opener(&mut self, params: &str) {
        self.kind(b'a');
        self.field(params);
    }

    fn start_timer(&mut self, ticket: Ticket, ms: u64) {
        self.kind_of(b't', ticket);
        self.number(ms);
    }

    fn stop_timer(&mut self, ticket: Ticket) {
        self.kind_of(b'c', ticket);
    }

    fn lock(&mut self, ticket: Ticket, name: &str) {
        self.kind_of(b'l', ticket);
        self.field(name);
    }

    fn unlock(&mut self, ticket: Ticket) {
        self.kind_of(b'k', ticket);
    }

    fn listen(&mut self, channel: &str) {
        self.kind(b'i');
        self.field(channel);
    }

    fn broadcast(&mut self, channel: &str, kind: &str, previous: &str, record: &str) {
        self.kind(b'b');
        self.field(channel);
        self.field(kind);
        self.field(previous);
        self.field(record);
    }

    #[inline(always)]
    fn settle(&mut self, call: Ticket, outcome: Result<&str, &SigninError>) {
        self.kind_of(b'z', call);
        // A value is one field (empty is `undefined` to the runner), an error two.
        match outcome {
            Ok(value) => self.field(value),
            Err(e) => {
                self.field(e.code_str());
                self.field(&e.description);
            }
        }
    }
}
