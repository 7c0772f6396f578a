//! Everything the mock remembers, in memory: the [directory](directory) of organizations,
//! users and apps, and the [grants](grants) made to them (sessions, codes, tokens,
//! consents), the latter purged as they expire.

pub(crate) mod directory;
pub(crate) mod expiring;
pub(crate) mod grants;

pub(crate) use directory::{AppInput, Directory, Seed, UserInput, validate_secret};
pub(crate) use grants::{
    ACCESS_TOKEN_TTL, AccessToken, CODE_TTL, Code, Grant, Grants, Issued, PENDING_TTL, Pending,
};

/// The directory and the grants, behind one lock.
#[derive(Debug)]
pub(crate) struct Store {
    pub directory: Directory,
    pub grants: Grants,
}

impl Store {
    /// The zero-configuration directory, nothing granted yet.
    pub fn with_defaults(now: u64) -> Self {
        Store {
            directory: Directory::with_defaults(now),
            grants: Grants::default(),
        }
    }

    /// A live access token: sealed here, unexpired, unrevoked, of an enabled app and an
    /// existing user. A token of an app acting as its owner acts as whoever owns the app
    /// now.
    pub fn access_token(&self, token: &str, now: u64) -> Option<AccessToken> {
        let mut found = self.grants.open_access_token(token, now)?;
        let app = self.directory.active_app(&found.grant.client_id)?;
        if found.grant.as_app_owner {
            found.grant.user_id = app.owner_id.clone();
        }
        self.directory
            .users
            .contains_key(&found.grant.user_id)
            .then_some(found)
    }

    /// Deletes an app: its codes and tokens stop working, its consents and usage go.
    pub fn delete_app(&mut self, client_id: &str, now: u64) {
        self.directory.apps.remove(client_id);
        self.grants.revoke_app(client_id, now);
        self.grants.forget_app(client_id);
    }
}
