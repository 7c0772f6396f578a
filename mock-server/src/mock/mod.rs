//! Controls for tests, outside the Anypoint API: fault injection, the mock's clock and
//! signing key rotation.

pub(crate) mod clock;
pub(crate) mod faults;
pub(crate) mod keys;
