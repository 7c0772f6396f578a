//! The signed-in session: made the page's, kept as the `storage` attribute says, shown with
//! the user's profile (OpenID Connect Core §5.3, or Anypoint's `/accounts/api/me`),
//! restored after a reload, and ended at sign-out.

use super::events::{self, Detail};
use super::io::{Effects, ElementId, HttpResponse, Method};
use super::machine::{Awaiting, Machine, Session};
use super::settings::{ProfileSource, origin};
use crate::protocol::text::fill;
use crate::protocol::{
    ErrorCode, GROUP_END, Json, JsonDecoder, SessionRecord, SigninError, channel_name,
    check_profile_subject, decode_id_token, display_name, expiry_digits, is_fresh,
};

/// The profile being loaded: for which element, from where, and whether the session was
/// restored rather than signed in.
pub(super) struct ProfileLoad {
    element: ElementId,
    url: String,
    source: ProfileSource,
    restored: bool,
}

/// The profile at `url` could not be used because `why`.
fn profile_failed(url: &str, why: &str) -> SigninError {
    SigninError::filled(ErrorCode::ProfileFailed, "You are signed in, but your profile could not be loaded from \u{1}: the name shown comes from the ID token.", &[url])
    .with_cause(why)
}

/// The members of a profile read: its subject (userinfo's `sub`, the `user` object's `id` at
/// Anypoint), then the names [`display_name`] chooses from: `name`, given and family name
/// (OpenID Connect's and Anypoint's spellings), then the usernames and the email.
const PROFILE: &str = "sub\u{1f}id\u{1f}name\u{1f}given_name\u{1f}firstName\u{1f}family_name\u{1f}lastName\u{1f}preferred_username\u{1f}username\u{1f}email";

impl<J: JsonDecoder, O: Effects> Machine<J, O> {
    /// Makes the session just put in place the page's: keeps what its mode keeps, shows it,
    /// then loads the profile (when `source` says) before announcing `anypoint-signin-success`.
    pub(super) fn begin_session(
        &mut self,
        element: ElementId,
        source: ProfileSource,
        restored: bool,
    ) {
        self.keep();
        self.announce_signin(element, source, restored);
    }

    /// Makes the session in place (set or edited there, never moved in) the page's: kept as
    /// its mode says, renewed in time, shared with the other contexts of its issuer and
    /// client, and shown.
    pub(super) fn keep(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        let record = &session.record;
        let key = SessionRecord::storage_key(&record.client_id);
        let kept = record.to_storage_string_for(session.mode);
        let channel = channel_name(&record.issuer, &record.client_id);
        self.store(key, kept);
        self.schedule(0);
        if !crate::protocol::text::pieces(&self.channels, 0x1f).any(|c| c == channel) {
            self.out.listen(&channel);
            self.channels.push_str(&channel);
            self.channels.push('\u{1f}');
        }
        self.render_all();
    }

    /// The session record kept for `client_id`, when there is a readable one.
    pub(super) fn kept_record(&self, client_id: &str) -> Option<SessionRecord> {
        let kept = self.stored(&SessionRecord::storage_key(client_id))?;
        SessionRecord::read(kept)
    }

    /// Loads the profile of the session (when `source` says) and announces
    /// `anypoint-signin-success` on `element`.
    pub(super) fn announce_signin(
        &mut self,
        element: ElementId,
        source: ProfileSource,
        restored: bool,
    ) {
        let Some(s) = &self.session else {
            return;
        };
        // Where the profile is (empty: nowhere).
        let mut url = String::new();
        match source {
            ProfileSource::None => {}
            ProfileSource::Me => {
                url.push_str(origin(&s.record.issuer));
                url.push_str("/accounts/api/me");
            }
            ProfileSource::Userinfo => {
                // The metadata is read where it lives once in hand.
                if self.has_metadata(s.record.issuer.clone())
                    && let Some(m) = &self.documents.metadata
                    && let Some(endpoint) = &m.userinfo_endpoint
                {
                    url.push_str(endpoint);
                }
            }
        }
        // The token is read where the session keeps it.
        let token = self
            .session
            .as_ref()
            .and_then(|s| s.record.access_token.as_ref());
        if !url.is_empty()
            && let Some(token) = token
        {
            let ticket = self.tickets.expect(Awaiting::Profile);
            self.out
                .fetch(ticket, Method::Get, &url, "", token.secret(), false);
            self.profile_load = Some(ProfileLoad {
                element,
                url,
                source,
                restored,
            });
        } else {
            self.announce_tokens(element, Some(restored));
        }
    }

    pub(super) fn profile_answered(&mut self, result: Result<HttpResponse, &str>) {
        let Some(load) = self.profile_load.take() else {
            return;
        };
        let read = self.read_profile(&load, result);
        if read.is_ok() {
            self.render_all();
        }
        self.announce_tokens(load.element, Some(load.restored));
        if let Err(e) = &read {
            self.fail(load.element, e);
        }
    }

    /// Puts the profile's JSON text and the name it gives in the session, when it belongs
    /// to the signed-in user.
    fn read_profile(
        &mut self,
        load: &ProfileLoad,
        result: Result<HttpResponse, &str>,
    ) -> Result<(), SigninError> {
        let url = &load.url;
        // Why the profile could not be read, for the one error made of it below.
        let status;
        let why = 'why: {
            let response = match result {
                Ok(response) => response,
                Err(cause) => break 'why cause,
            };
            if !crate::protocol::successful(response.status) {
                status = fill("HTTP \u{1}", &[response.status]);
                break 'why &status;
            }
            let (mut names, mut subject) = (PROFILE, 0);
            if load.source == ProfileSource::Me {
                (names, subject) = ("user", 1);
            }
            let parsed = self.json.parse(response.body, names);
            if !parsed.is_json() {
                break 'why "not JSON";
            }
            // The profile's members, all absent when it is not an object. Anypoint's profile is
            // its `user` object, handed over as the runner wrote it and read in turn.
            let mut values = [None; 10];
            let user;
            let (mut text, mut members) = (response.body, &parsed);
            if load.source == ProfileSource::Me {
                let _ = parsed.values(&mut values[..1]);
                let [Some(Json::Object(json)), ..] = values else {
                    break 'why "no user object";
                };
                user = self.json.parse(json, PROFILE);
                (text, members) = (json, &user);
            }
            let _ = members.values(&mut values);
            // Without a session (signed out meanwhile) there is nothing to show it in.
            let Some(s) = &mut self.session else {
                return Ok(());
            };
            // OpenID Connect Core §5.3.4: another user's profile is never shown.
            let subject = values[subject].and_then(Json::as_str);
            match check_profile_subject(url, subject, s.record.subject.as_deref()) {
                Ok(()) => {}
                Err(e) => return Err(e),
            }
            s.profile = Some(text.to_owned());
            if let Some(name) = display_name(
                &values,
                &[2, GROUP_END, 3, 4, GROUP_END, 5, 6, GROUP_END, 7, 8, 9],
            ) {
                s.display_name = name;
            }
            return Ok(());
        };
        Err(profile_failed(url, why))
    }

    /// Fires on `element`, with the session's tokens, `anypoint-signin-success` (`restored`
    /// says whether the session was restored; its claims and user come too) or, for `None`,
    /// `anypoint-signin-token-refreshed`.
    pub(super) fn announce_tokens(&mut self, element: ElementId, restored: Option<bool>) {
        let Some(s) = &self.session else {
            return;
        };
        let record = &s.record;
        let mut detail = Detail::new();
        detail
            .string(
                "accessToken",
                record.access_token.as_ref().map(|t| t.secret()),
            )
            .string("tokenType", record.token_type())
            .raw(
                "expiresAt",
                expiry_digits(record.expires_at_ms)
                    .as_deref()
                    .unwrap_or("null"),
            )
            .string("scope", record.scope.as_deref())
            .string("idToken", record.id_token.as_ref().map(|t| t.secret()));
        let mut name = events::TOKEN_REFRESHED;
        if let Some(restored) = restored {
            name = events::SUCCESS;
            let claims = s.claims.as_deref().unwrap_or("null");
            let user = s.profile.as_deref().unwrap_or(claims);
            detail
                .raw("claims", claims)
                .raw("user", user)
                .raw("restored", if restored { "true" } else { "false" });
        }
        let detail = detail.finish();
        self.dispatch(element, name, detail);
    }

    /// Restores the session an earlier page of this tab kept for `settings`' client and
    /// issuer, when its access token is still fresh.
    pub(super) fn restore(&mut self, element: ElementId) {
        let Some(settings) = self.settings(element) else {
            return;
        };
        let (storage, profile) = (settings.storage, settings.profile);
        let config = &settings.config;
        let Some(record) = self.kept_record(config.client_id.as_str()) else {
            return;
        };
        if record.issuer != config.issuer.as_str() {
            return;
        }
        // Renewed first when the access token is gone; the page hears of it as a restored
        // sign-in.
        let renew = record.access_token.is_none() || !is_fresh(record.expires_at_ms, self.now_ms);
        if renew && record.refresh_token.is_none() {
            return;
        }
        let (claims, display_name) = match &record.id_token {
            Some(token) if !renew => match decode_id_token(token.secret(), &self.json) {
                Ok((_, _, claims, text)) => (Some(text), claims.display_name()),
                Err(e) => return self.fail(element, &e),
            },
            _ => (None, String::from("your account")),
        };
        self.session = Some(Session {
            record,
            mode: storage,
            claims,
            profile: None,
            display_name,
        });
        if renew {
            return self.start_renewal(super::machine::NO_TICKET, element, false);
        }
        self.begin_session(element, profile, true);
    }
}
