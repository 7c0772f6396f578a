//! Unguessable identifiers and secrets, all from the thread-local CSPRNG.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A URL-safe random string carrying `bytes` bytes of entropy.
pub(crate) fn token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::fill(&mut buf[..]);
    URL_SAFE_NO_PAD.encode(buf)
}

/// 32 lowercase hex digits, the shape of Anypoint's client ids.
pub(crate) fn hex_id() -> String {
    let mut buf = [0u8; 16];
    rand::fill(&mut buf[..]);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random (version 4) UUID, the shape of Anypoint's user and organization ids.
pub(crate) fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
