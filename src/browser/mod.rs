//! The boundary between the flow machine ([`crate::flow`]) and its JS runner
//! (`js/element.js`): one object, [`Core`], whose `handle` takes an input as one string and
//! returns the effects as one string. Everything that decides lives in the machine; the
//! runner performs effects and reports results.
//!
//! Wire format: fields are separated by U+001F, effects by U+001E; the first field names
//! the kind. Values never contain either separator (the runner and [`Wire`] replace them
//! with U+FFFD), so no value can forge a field.

mod json;

use wasm_bindgen::prelude::*;

use crate::flow::{
    Attributes, Effect, HttpResponse, Input, JwsAlg, Machine, Method, Random, Ticket, View,
};
use crate::protocol::base64url;

const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element(core: Core);
    #[cfg(feature = "test-hooks")]
    #[wasm_bindgen(js_name = forgetDocuments)]
    fn forget_documents();
}

/// Forgets the discovery documents and key sets fetched so far, so that the next sign-in
/// fetches them again: the browser tests plan a fault for one fetch at a time.
#[cfg(feature = "test-hooks")]
pub fn forget_caches() {
    forget_documents();
}

/// Runs when the module is instantiated: defines the `<anypoint-signin>` custom element.
#[wasm_bindgen(start)]
pub fn start() {
    define();
}

/// Defines the `<anypoint-signin>` custom element; later calls do nothing.
pub fn define() {
    define_element(Core {
        machine: Machine::new(json::BrowserJson),
    });
}

/// The page's flow machine, driven by `js/element.js`.
#[wasm_bindgen]
pub struct Core {
    machine: Machine<json::BrowserJson>,
}

#[wasm_bindgen]
impl Core {
    /// Handles one input (fields separated by U+001F) at `now` (`Date.now()`), with 128
    /// fresh random bytes; returns the effects to perform, in order.
    pub fn handle(&mut self, input: &str, now: f64, random: &[u8]) -> String {
        let mut bytes: Random = [0; 128];
        let n = random.len().min(128);
        bytes[..n].copy_from_slice(&random[..n]);
        let Some(input) = decode(input) else {
            return String::new();
        };
        let effects = self.machine.handle(input, now as u64, &bytes);
        let mut wire = Wire::new();
        for effect in &effects {
            wire.effect(effect);
        }
        wire.0
    }

    /// Forgets the documents fetched so far (the browser tests' [`forget_caches`]); returns
    /// the effects to perform.
    #[cfg(feature = "test-hooks")]
    #[wasm_bindgen(js_name = forgetDocuments)]
    pub fn forget_documents(&mut self) -> String {
        let mut wire = Wire::new();
        for effect in &self.machine.forget_documents() {
            wire.effect(effect);
        }
        wire.0
    }

    /// The session as the element's properties show it: `signedIn`, `accessToken`, `user`
    /// (fields separated by U+001F; the user as JSON text, or empty).
    pub fn state(&self) -> String {
        let mut wire = Wire::new();
        let signed_in = self.machine.signed_in();
        let session = self.machine.session().filter(|_| signed_in);
        wire.flag(signed_in);
        wire.field(
            session
                .and_then(|s| s.record.access_token.as_ref())
                .map_or("", |t| t.secret()),
        );
        wire.field(
            session
                .and_then(|s| s.profile.as_deref().or(s.claims.as_deref()))
                .unwrap_or(""),
        );
        wire.0
    }
}

/// Reads one input.
fn decode(input: &str) -> Option<Input> {
    let mut fields = input.split(FIELD);
    let kind = fields.next()?;
    let mut next = || fields.next().unwrap_or("");
    let number = |s: &str| s.parse::<u32>().ok();
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    // The rest of the input, for the last field (a body may hold anything).
    let rest = |skip: usize| input.splitn(skip + 1, FIELD).nth(skip).unwrap_or("");
    let pairs = |skip: usize| -> Vec<(String, String)> {
        let items: Vec<&str> = input.split(FIELD).skip(skip).collect();
        items
            .chunks_exact(2)
            .map(|p| (p[0].to_owned(), p[1].to_owned()))
            .collect()
    };
    Some(match kind {
        "P" => {
            let url = next().to_owned();
            let popup = next() == "1";
            Input::Page {
                url,
                popup,
                stored: pairs(3),
            }
        }
        "C" | "A" => {
            let element = number(next())?;
            let attributes = Attributes(pairs(2));
            if kind == "C" {
                Input::Connected {
                    element,
                    attributes,
                }
            } else {
                Input::AttributesChanged {
                    element,
                    attributes,
                }
            }
        }
        "D" => Input::Disconnected {
            element: number(next())?,
        },
        "K" => Input::Click {
            element: number(next())?,
        },
        "S" => {
            let input = Input::SignIn {
                element: number(next())?,
                call: number(next())?,
                prompt: text(next()),
                login_hint: text(next()),
                popup_timeout_ms: next().parse().ok(),
            };
            // Lets the browser tests prove that a trap still reaches the page as an event.
            #[cfg(feature = "test-hooks")]
            if next() == "sync" {
                core::arch::wasm32::unreachable();
            }
            input
        }
        "T" | "O" => {
            let element = number(next())?;
            let call = number(next())?;
            if kind == "T" {
                Input::GetAccessToken { element, call }
            } else {
                Input::SignOut { element, call }
            }
        }
        "H" => Input::HandleRedirect {
            element: number(next())?,
            call: number(next())?,
            url: rest(3).to_owned(),
        },
        "R" => {
            let ticket = number(next())?;
            let status = next();
            let body = rest(3).to_owned();
            Input::Response {
                ticket,
                result: match status.parse() {
                    Ok(status) => Ok(HttpResponse { status, body }),
                    Err(_) => Err(body),
                },
            }
        }
        "G" => {
            let ticket = number(next())?;
            let bytes = base64url::decode(next()).ok()?;
            Input::Digest {
                ticket,
                digest: bytes.try_into().ok()?,
            }
        }
        "V" => {
            let ticket = number(next())?;
            let outcome = next();
            Input::Verified {
                ticket,
                result: match outcome {
                    "1" => Ok(true),
                    "0" => Ok(false),
                    _ => Err(rest(3).to_owned()),
                },
            }
        }
        "E" => Input::Dispatched {
            ticket: number(next())?,
            cancelled: next() == "1",
            responding: next() == "1",
        },
        "Y" => {
            let ticket = number(next())?;
            let ok = next() == "1";
            let value = rest(3).to_owned();
            Input::Responded {
                ticket,
                result: if ok { Ok(value) } else { Err(value) },
            }
        }
        "W" => Input::PopupOpened {
            ticket: number(next())?,
            opened: next() == "1",
        },
        "X" => {
            let ticket = number(next())?;
            let answered = next() == "1";
            Input::PopupAnswered {
                ticket,
                params: answered.then(|| rest(3).to_owned()),
            }
        }
        "M" => Input::Timer {
            ticket: number(next())?,
        },
        "L" => Input::LockGranted {
            ticket: number(next())?,
            stored: pairs(2),
        },
        "B" => Input::Broadcast {
            message: rest(1).to_owned(),
        },
        _ => return None,
    })
}

/// Effects written for the runner.
struct Wire(String, bool);

impl Wire {
    fn new() -> Wire {
        Wire(String::new(), true)
    }

    fn field(&mut self, value: &str) {
        if !self.1 {
            self.0.push(FIELD);
        }
        self.1 = false;
        self.0.extend(value.chars().map(|c| {
            if c == FIELD || c == RECORD {
                '\u{fffd}'
            } else {
                c
            }
        }));
    }

    fn ticket(&mut self, ticket: Ticket) {
        self.field(&crate::protocol::decimal::decimal(u64::from(ticket)));
    }

    fn flag(&mut self, on: bool) {
        self.field(if on { "1" } else { "" });
    }

    fn effect(&mut self, effect: &Effect) {
        if !self.0.is_empty() {
            self.0.push(RECORD);
            self.1 = true;
        }
        match effect {
            Effect::Fetch {
                ticket,
                method,
                url,
                body,
                bearer,
                cookies,
            } => {
                self.field("f");
                self.ticket(*ticket);
                self.field(match method {
                    Method::Get => "GET",
                    Method::PostForm => "application/x-www-form-urlencoded",
                    Method::PostJson => "application/json",
                });
                self.field(url);
                self.field(body.as_deref().unwrap_or(""));
                self.field(bearer.as_deref().unwrap_or(""));
                self.flag(*cookies);
            }
            Effect::Digest { ticket, data } => {
                self.field("d");
                self.ticket(*ticket);
                self.field(data);
            }
            Effect::Verify {
                ticket,
                alg,
                jwk,
                data,
                signature,
            } => {
                self.field("v");
                self.ticket(*ticket);
                self.field(match alg {
                    JwsAlg::Rs256 => "RS256",
                    JwsAlg::Es256 => "ES256",
                });
                self.field(jwk);
                self.field(data);
                self.field(&base64url::encode(signature));
            }
            Effect::Store { key, value } => {
                self.field("s");
                self.field(key);
                self.flag(value.is_some());
                self.field(value.as_deref().unwrap_or(""));
            }
            Effect::ReplaceUrl { url } => {
                self.field("u");
                self.field(url);
            }
            Effect::Navigate { url } => {
                self.field("n");
                self.field(url);
            }
            Effect::Dispatch {
                element,
                event,
                ticket,
            } => {
                self.field("e");
                self.ticket(*element);
                self.field(event.name);
                self.field(&event.detail);
                self.flag(event.cancelable);
                self.flag(event.respond);
                self.flag(event.bubbles);
                self.field(&ticket.map_or(String::new(), |t| {
                    crate::protocol::decimal::decimal(u64::from(t))
                }));
            }
            Effect::Render { element, view } => {
                self.field("r");
                self.ticket(*element);
                match view {
                    View::SignedOut {
                        busy,
                        unavailable,
                        message,
                        notice,
                    } => {
                        self.flag(false);
                        self.flag(*busy);
                        self.field("");
                        self.field(unavailable.as_deref().unwrap_or(""));
                        self.field(message);
                        self.field(notice.map_or("", |n| n.as_str()));
                    }
                    View::SignedIn {
                        name,
                        message,
                        notice,
                    } => {
                        self.flag(true);
                        self.flag(false);
                        self.field(name);
                        self.field("");
                        self.field(message);
                        self.field(notice.map_or("", |n| n.as_str()));
                    }
                }
            }
            Effect::OpenPopup { ticket } => {
                self.field("o");
                self.ticket(*ticket);
            }
            Effect::ShowInPopup {
                ticket,
                url,
                origin,
            } => {
                self.field("p");
                self.ticket(*ticket);
                self.field(url);
                self.field(origin);
            }
            Effect::ClosePopup { ticket } => {
                self.field("x");
                self.ticket(*ticket);
            }
            Effect::AnswerOpener { params } => {
                self.field("a");
                self.field(params);
            }
            Effect::StartTimer { ticket, ms } => {
                self.field("t");
                self.ticket(*ticket);
                self.field(&crate::protocol::decimal::decimal(*ms));
            }
            Effect::StopTimer { ticket } => {
                self.field("c");
                self.ticket(*ticket);
            }
            Effect::Lock { ticket, name } => {
                self.field("l");
                self.ticket(*ticket);
                self.field(name);
            }
            Effect::Unlock { ticket } => {
                self.field("k");
                self.ticket(*ticket);
            }
            Effect::Listen { channel } => {
                self.field("i");
                self.field(channel);
            }
            Effect::Broadcast { channel, message } => {
                self.field("b");
                self.field(channel);
                self.field(message);
            }
            Effect::Settle { call, outcome } => {
                self.field("z");
                self.ticket(*call);
                match outcome {
                    Ok(value) => {
                        self.flag(true);
                        self.field(value.as_deref().unwrap_or(""));
                    }
                    Err(e) => {
                        self.flag(false);
                        self.field(e.code_str());
                        self.field(&e.description);
                    }
                }
            }
        }
    }
}
