//! The directory: organizations, users and connected apps, as the admin API and the apps
//! file create them.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::api_error::ApiError;
use crate::config::defaults;
use crate::crypto::keys::{self, SigningAlg};
use crate::model::{
    AUTHORIZATION_CODE, Audience, CLIENT_CREDENTIALS, ConnectedApp, GRANT_TYPES, JWT_BEARER,
    Organization, PASSWORD, REFRESH_TOKEN, USER_GRANTS, User,
};
use crate::random;
use crate::scopes;

/// Connected apps one organization may own (seed: "Create a Connected App").
pub(crate) const MAX_APPS_PER_ORG: usize = 2000;
/// Scopes one connected app may have.
pub(crate) const MAX_SCOPES_PER_APP: usize = 1000;
/// A connected app as created or updated through the API or the apps file; every field
/// optional so that the same shape serves partial updates.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AppInput {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub client_name: Option<String>,
    pub grant_types: Option<Vec<String>>,
    pub scopes: Option<Vec<String>>,
    pub audience: Option<String>,
    pub redirect_uris: Option<Vec<String>>,
    pub public_client: Option<bool>,
    pub acts_on_behalf_of_user: Option<bool>,
    pub website_url: Option<String>,
    pub public_keys: Option<Vec<Value>>,
    /// `RS256` (default) or `ES256`.
    pub id_token_signed_response_alg: Option<String>,
    /// Owner: a user id or username.
    pub owner: Option<String>,
    pub organization_id: Option<String>,
    /// `false` disables the app: it can no longer sign anyone in or get tokens, and the
    /// tokens it had stop working.
    pub enabled: Option<bool>,
}

/// A user as created through the API or the apps file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct UserInput {
    pub id: Option<String>,
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    pub organization_id: Option<String>,
    #[serde(default)]
    pub admin: bool,
}

/// An organization as preloaded from the apps file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct OrganizationInput {
    pub id: Option<String>,
    pub name: String,
    pub domain: Option<String>,
    #[serde(default)]
    pub identity_providers: Vec<String>,
}

/// The `--apps FILE` format.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Seed {
    #[serde(default)]
    pub organizations: Vec<OrganizationInput>,
    #[serde(default)]
    pub users: Vec<UserInput>,
    #[serde(default)]
    pub apps: Vec<AppInput>,
}

/// Organizations, users and apps.
#[derive(Debug, Default)]
pub(crate) struct Directory {
    pub organizations: BTreeMap<String, Organization>,
    pub root_org_id: String,
    pub users: BTreeMap<String, User>,
    pub apps: BTreeMap<String, ConnectedApp>,
}

impl Directory {
    /// The zero-configuration directory: Mule Corp, its owner max, the playground app, the
    /// example backend's app and the CI app.
    pub fn with_defaults(now: u64) -> Self {
        let mut directory = Directory {
            root_org_id: defaults::ORG_ID.to_owned(),
            ..Directory::default()
        };
        directory.organizations.insert(
            defaults::ORG_ID.to_owned(),
            Organization {
                id: defaults::ORG_ID.to_owned(),
                name: defaults::ORG_NAME.to_owned(),
                domain: defaults::ORG_DOMAIN.to_owned(),
                identity_providers: vec![defaults::IDENTITY_PROVIDER_ID.to_owned()],
                owner_id: defaults::USER_ID.to_owned(),
            },
        );
        directory.users.insert(
            defaults::USER_ID.to_owned(),
            User {
                id: defaults::USER_ID.to_owned(),
                username: defaults::USERNAME.to_owned(),
                password: defaults::PASSWORD.to_owned(),
                first_name: defaults::FIRST_NAME.to_owned(),
                last_name: defaults::LAST_NAME.to_owned(),
                email: defaults::EMAIL.to_owned(),
                organization_id: Some(defaults::ORG_ID.to_owned()),
                admin: true,
                created_at: now,
            },
        );
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        // The playground's sign-in, public without a secret, confidential with one.
        let sign_in_app = |id: &str, secret: Option<&str>, name: &str, scopes: &[&str]| AppInput {
            client_id: Some(id.to_owned()),
            client_secret: secret.map(str::to_owned),
            client_name: Some(name.to_owned()),
            grant_types: Some(strings(&[AUTHORIZATION_CODE, REFRESH_TOKEN])),
            scopes: Some(strings(scopes)),
            redirect_uris: Some(strings(defaults::PLAYGROUND_REDIRECT_URIS)),
            public_client: Some(secret.is_none()),
            // Any preloaded user, whatever their organization, may try the playground.
            audience: Some("everyone".to_owned()),
            website_url: Some("http://127.0.0.1:8080/".to_owned()),
            ..AppInput::default()
        };
        let playground = sign_in_app(
            defaults::PLAYGROUND_CLIENT_ID,
            None,
            defaults::PLAYGROUND_NAME,
            defaults::PLAYGROUND_SCOPES,
        );
        // The confidential twin of the playground, whose secret only the example backend
        // (`POST /example-backend/exchange`) uses.
        let backend = sign_in_app(
            defaults::BACKEND_CLIENT_ID,
            Some(defaults::BACKEND_CLIENT_SECRET),
            defaults::BACKEND_NAME,
            defaults::BACKEND_SCOPES,
        );
        let ci = AppInput {
            client_id: Some(defaults::CI_CLIENT_ID.to_owned()),
            client_secret: Some(defaults::CI_CLIENT_SECRET.to_owned()),
            client_name: Some(defaults::CI_NAME.to_owned()),
            grant_types: Some(strings(&[CLIENT_CREDENTIALS])),
            scopes: Some(strings(defaults::CI_SCOPES)),
            ..AppInput::default()
        };
        for input in [playground, backend, ci] {
            directory
                .create_app(input, true, now)
                .expect("the default apps are valid");
        }
        directory
    }

    /// Adds the organizations, users and apps of an `--apps` file.
    pub fn load_seed(&mut self, seed: Seed, now: u64) -> Result<(), String> {
        for org in seed.organizations {
            let id = org.id.unwrap_or_else(random::uuid);
            if self.organizations.contains_key(&id) {
                return Err(format!("organization {id} is defined twice"));
            }
            let domain = org
                .domain
                .unwrap_or_else(|| org.name.to_lowercase().replace(' ', "-"));
            self.organizations.insert(
                id.clone(),
                Organization {
                    id,
                    name: org.name,
                    domain,
                    identity_providers: org.identity_providers,
                    // Every organization's apps fall back to the root owner.
                    owner_id: defaults::USER_ID.to_owned(),
                },
            );
        }
        for user in seed.users {
            let name = user.username.clone();
            self.create_user(user, now)
                .map_err(|e| format!("user {name}: {}", e.message))?;
        }
        for app in seed.apps {
            let name = app.client_name.clone().unwrap_or_default();
            self.create_app(app, true, now)
                .map_err(|e| format!("app {name:?}: {}", e.message))?;
        }
        Ok(())
    }

    /// The owner of the root organization, who inherits orphaned apps.
    pub fn root_owner_id(&self) -> Option<&str> {
        self.organizations
            .get(&self.root_org_id)
            .map(|o| o.owner_id.as_str())
    }

    /// A connected app, or the admin API's 404 for it.
    pub fn app(&self, client_id: &str) -> Result<&ConnectedApp, ApiError> {
        self.apps.get(client_id).ok_or_else(|| no_app(client_id))
    }

    /// A connected app to change, or the admin API's 404 for it.
    pub fn app_mut(&mut self, client_id: &str) -> Result<&mut ConnectedApp, ApiError> {
        self.apps
            .get_mut(client_id)
            .ok_or_else(|| no_app(client_id))
    }

    /// An enabled app: the only kind the OAuth endpoints serve.
    pub fn active_app(&self, client_id: &str) -> Option<&ConnectedApp> {
        self.apps.get(client_id).filter(|app| app.enabled)
    }

    /// A user by id, or the admin API's 404 for them.
    pub fn user(&self, user_id: &str) -> Result<&User, ApiError> {
        self.users
            .get(user_id)
            .ok_or_else(|| ApiError::not_found(format!("no user {user_id}")))
    }

    /// Looks a user up by id or, failing that, by username.
    pub fn find_user(&self, id_or_username: &str) -> Option<&User> {
        self.users
            .get(id_or_username)
            .or_else(|| self.users.values().find(|u| u.username == id_or_username))
    }

    /// The user a username/password pair names, if the password matches.
    pub fn authenticate_user(&self, username: &str, password: &str) -> Option<&User> {
        self.users
            .values()
            .find(|u| u.username == username && u.password == password)
    }

    /// Creates a user; usernames are unique.
    pub fn create_user(&mut self, input: UserInput, now: u64) -> Result<User, ApiError> {
        if input.username.trim().is_empty() {
            return Err(ApiError::bad_request("username is required"));
        }
        if input.password.is_empty() {
            return Err(ApiError::bad_request("password is required"));
        }
        if self.users.values().any(|u| u.username == input.username) {
            return Err(ApiError::conflict(format!(
                "username {} is taken",
                input.username
            )));
        }
        let organization_id = input
            .organization_id
            .unwrap_or_else(|| self.root_org_id.clone());
        if !self.organizations.contains_key(&organization_id) {
            return Err(ApiError::bad_request(format!(
                "unknown organizationId {organization_id}"
            )));
        }
        let id = input.id.unwrap_or_else(random::uuid);
        if self.users.contains_key(&id) {
            return Err(ApiError::conflict(format!("user id {id} is taken")));
        }
        let user = User {
            id: id.clone(),
            username: input.username,
            password: input.password,
            first_name: input.first_name,
            last_name: input.last_name,
            email: input.email,
            organization_id: Some(organization_id),
            admin: input.admin,
            created_at: now,
        };
        self.users.insert(id, user.clone());
        Ok(user)
    }

    /// Creates a connected app. `trusted` (defaults and the apps file) may fix the
    /// client id; the API may not, as client ids are always generated there.
    pub fn create_app(
        &mut self,
        input: AppInput,
        trusted: bool,
        now: u64,
    ) -> Result<ConnectedApp, ApiError> {
        let client_id = match input.client_id.clone() {
            Some(id) if trusted => id,
            Some(_) => {
                return Err(ApiError::bad_request(
                    "client_id is generated by the server and cannot be chosen",
                ));
            }
            None => random::hex_id(),
        };
        if self.apps.contains_key(&client_id) {
            return Err(ApiError::conflict(format!(
                "client_id {client_id} already exists"
            )));
        }
        let organization_id = input
            .organization_id
            .clone()
            .unwrap_or_else(|| self.root_org_id.clone());
        let Some(org) = self.organizations.get(&organization_id) else {
            return Err(ApiError::bad_request(format!(
                "unknown organization_id {organization_id}"
            )));
        };
        let owner_id = org.owner_id.clone();
        if self
            .apps
            .values()
            .filter(|a| a.organization_id == organization_id)
            .count()
            >= MAX_APPS_PER_ORG
        {
            return Err(ApiError::limit(format!(
                "an organization can own at most {MAX_APPS_PER_ORG} connected apps"
            )));
        }
        let mut app = ConnectedApp {
            client_id: client_id.clone(),
            client_secret: None,
            client_name: String::new(),
            organization_id,
            owner_id,
            grant_types: Vec::new(),
            scopes: Vec::new(),
            audience: Audience::Internal,
            redirect_uris: Vec::new(),
            public_client: false,
            acts_on_behalf_of_user: true,
            website_url: None,
            public_keys: Vec::new(),
            approved_scopes: None,
            id_token_signed_response_alg: SigningAlg::default(),
            enabled: true,
            created_at: now,
        };
        let acts_given = input.acts_on_behalf_of_user.is_some();
        self.apply_input(&mut app, input, true)?;
        if !acts_given {
            app.acts_on_behalf_of_user = !app.has_grant(CLIENT_CREDENTIALS);
        }
        if !app.public_client && app.client_secret.is_none() {
            app.client_secret = Some(random::token(24));
        }
        self.validate_app(&app)?;
        self.apps.insert(client_id, app.clone());
        Ok(app)
    }

    /// Applies a partial update to a connected app; `client_id` is immutable.
    pub fn update_app(
        &mut self,
        client_id: &str,
        input: AppInput,
    ) -> Result<ConnectedApp, ApiError> {
        let mut app = self.app(client_id)?.clone();
        if input.client_id.as_deref().is_some_and(|id| id != client_id) {
            return Err(ApiError::bad_request("client_id cannot be modified"));
        }
        if input
            .organization_id
            .as_deref()
            .is_some_and(|id| id != app.organization_id)
        {
            return Err(ApiError::bad_request("organization_id cannot be modified"));
        }
        self.apply_input(&mut app, input, false)?;
        self.validate_app(&app)?;
        self.apps.insert(client_id.to_owned(), app.clone());
        Ok(app)
    }

    fn apply_input(
        &self,
        app: &mut ConnectedApp,
        input: AppInput,
        creating: bool,
    ) -> Result<(), ApiError> {
        if let Some(name) = input.client_name {
            app.client_name = name.trim().to_owned();
        }
        if let Some(grants) = input.grant_types {
            app.grant_types = grants
                .into_iter()
                .map(|g| {
                    if g == "jwt_bearer" {
                        JWT_BEARER.to_owned()
                    } else {
                        g
                    }
                })
                .collect();
        }
        if let Some(scopes) = input.scopes {
            app.scopes = scopes;
        }
        if let Some(audience) = input.audience {
            app.audience = Audience::parse(&audience).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "audience must be \"internal\" or \"everyone\", not {audience:?}"
                ))
            })?;
        }
        if let Some(uris) = input.redirect_uris {
            app.redirect_uris = uris;
        }
        if let Some(public) = input.public_client {
            if !creating && public != app.public_client {
                return Err(ApiError::bad_request(
                    "public_client cannot be changed after creation",
                ));
            }
            app.public_client = public;
        }
        if let Some(enabled) = input.enabled {
            app.enabled = enabled;
        }
        if let Some(acts) = input.acts_on_behalf_of_user {
            app.acts_on_behalf_of_user = acts;
        }
        if let Some(url) = input.website_url {
            app.website_url = Some(url).filter(|u| !u.is_empty());
        }
        if let Some(keys) = input.public_keys {
            app.public_keys = keys
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    keys::parse_public_key(k)
                        .map_err(|e| ApiError::bad_request(format!("public_keys[{i}]: {e}")))
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(alg) = input.id_token_signed_response_alg {
            app.id_token_signed_response_alg = SigningAlg::parse(&alg).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "id_token_signed_response_alg must be \"RS256\" or \"ES256\", not {alg:?}"
                ))
            })?;
        }
        if let Some(secret) = input.client_secret {
            if app.public_client {
                return Err(ApiError::bad_request(
                    "a public client has no client_secret",
                ));
            }
            validate_secret(&secret)?;
            app.client_secret = Some(secret);
        }
        if let Some(owner) = input.owner {
            let Some(user) = self.find_user(&owner) else {
                return Err(ApiError::bad_request(format!("unknown owner {owner}")));
            };
            app.owner_id = user.id.clone();
        }
        Ok(())
    }

    fn validate_app(&self, app: &ConnectedApp) -> Result<(), ApiError> {
        let bad = |m: String| Err(ApiError::bad_request(m));
        if app.client_name.is_empty() {
            return bad("client_name is required".to_owned());
        }
        if let Some(other) = self.apps.values().find(|a| {
            a.client_id != app.client_id
                && a.organization_id == app.organization_id
                && a.client_name.eq_ignore_ascii_case(&app.client_name)
        }) {
            return Err(ApiError::conflict(format!(
                "the organization already has an app named {:?} ({})",
                other.client_name, other.client_id
            )));
        }
        if app.grant_types.is_empty() {
            return bad("grant_types must list at least one grant type".to_owned());
        }
        for (i, grant) in app.grant_types.iter().enumerate() {
            if !GRANT_TYPES.contains(&grant.as_str()) {
                return bad(format!(
                    "grant_types[{i}]: unknown grant type {grant:?}; known: {}",
                    GRANT_TYPES.join(", ")
                ));
            }
            if app.grant_types[..i].contains(grant) {
                return bad(format!("grant_types lists {grant} twice"));
            }
        }
        if app.acts_on_behalf_of_user {
            if app.has_grant(CLIENT_CREDENTIALS) {
                return bad("client_credentials is for apps that act on their own behalf (acts_on_behalf_of_user: false)".to_owned());
            }
        } else if app
            .grant_types
            .iter()
            .any(|g| USER_GRANTS.contains(&g.as_str()))
        {
            return bad(
                "an app acting on its own behalf only has the client_credentials grant".to_owned(),
            );
        }
        if app.public_client
            && app
                .grant_types
                .iter()
                .any(|g| g != AUTHORIZATION_CODE && g != REFRESH_TOKEN)
        {
            return bad(
                "a public client may only have the authorization_code and refresh_token grants"
                    .to_owned(),
            );
        }
        if app.has_grant(REFRESH_TOKEN)
            && !app.has_grant(AUTHORIZATION_CODE)
            && !app.has_grant(PASSWORD)
        {
            return bad("refresh_token needs the authorization_code or password grant".to_owned());
        }
        if app.has_grant(AUTHORIZATION_CODE) && app.redirect_uris.is_empty() {
            return bad(
                "authorization_code needs at least one redirect URI in redirect_uris".to_owned(),
            );
        }
        for (i, uri) in app.redirect_uris.iter().enumerate() {
            check_redirect_uri(uri)
                .map_err(|e| ApiError::bad_request(format!("redirect_uris[{i}]: {e}")))?;
        }
        if app.has_grant(JWT_BEARER) && app.public_keys.is_empty() {
            return bad(format!(
                "{JWT_BEARER} needs at least one key in public_keys"
            ));
        }
        if app.scopes.len() > MAX_SCOPES_PER_APP {
            return Err(ApiError::limit(format!(
                "a connected app can have at most {MAX_SCOPES_PER_APP} scopes, not {}",
                app.scopes.len()
            )));
        }
        for (i, scope) in app.scopes.iter().enumerate() {
            if !scopes::is_valid(scope) {
                return bad(format!("scopes[{i}]: unknown scope {scope:?}"));
            }
            if app.scopes[..i].contains(scope) {
                return bad(format!("scopes lists {scope} twice"));
            }
        }
        if let Some(url) = &app.website_url {
            match url::Url::parse(url) {
                Ok(u) if matches!(u.scheme(), "http" | "https") => {}
                _ => return bad(format!("website_url {url:?} is not an http(s) URL")),
            }
        }
        match self.users.get(&app.owner_id) {
            // The root organization owner may own apps of every business group.
            Some(user)
                if user.admin
                    && (user.organization_id.as_deref() == Some(&app.organization_id)
                        || self.root_owner_id() == Some(user.id.as_str())) => {}
            Some(user) => {
                return bad(format!(
                    "owner {} is not an administrator of the app's organization",
                    user.username
                ));
            }
            None => return bad("the owner does not exist".to_owned()),
        }
        Ok(())
    }

    /// Origins (scheme://host:port) of every registered redirect URI: the browser pages
    /// allowed to call the token, userinfo, revoke and /me endpoints.
    pub fn redirect_origin_allowed(&self, origin: &str) -> bool {
        self.apps.values().any(|app| {
            app.redirect_uris.iter().any(|uri| {
                url::Url::parse(uri).is_ok_and(|u| {
                    u.origin().is_tuple() && u.origin().ascii_serialization() == origin
                })
            })
        })
    }
}

/// The admin API's answer for a client id that names no app.
fn no_app(client_id: &str) -> ApiError {
    ApiError::not_found(format!("no connected app {client_id}"))
}

/// The rule for client secrets, whether set at creation, by update or by rotation.
pub(crate) fn validate_secret(secret: &str) -> Result<(), ApiError> {
    if secret.chars().count() < 8 || secret.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "client_secret must be at least 8 printable characters",
        ));
    }
    Ok(())
}

/// A redirect URI must be absolute, without fragment (RFC 6749 §3.1.2), and either http(s)
/// or a private-use scheme of a native app (RFC 8252 §7.1, reverse domain with a dot).
fn check_redirect_uri(uri: &str) -> Result<(), String> {
    // The URL parser drops tabs and line breaks; refusing them keeps the registered string
    // and the one redirected to the same, and header injection out of the question.
    if uri.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!("{uri:?} contains whitespace or control characters"));
    }
    let parsed =
        url::Url::parse(uri).map_err(|e| format!("{uri:?} is not an absolute URI ({e})"))?;
    if parsed.fragment().is_some() {
        return Err(format!("{uri:?} must not contain a fragment"));
    }
    match parsed.scheme() {
        "http" | "https" => {
            if parsed.host_str().is_none_or(str::is_empty) {
                return Err(format!("{uri:?} has no host"));
            }
            Ok(())
        }
        scheme if scheme.contains('.') => Ok(()),
        scheme => Err(format!(
            "{uri:?}: scheme {scheme:?} is neither http(s) nor a private-use scheme like com.example.app"
        )),
    }
}
