//! Controls for tests, outside the Anypoint API: fault injection, the mock's clock, signing
//! key rotation and the size of the protocol state.

pub(crate) mod clock;
pub(crate) mod faults;
pub(crate) mod keys;
pub(crate) mod stats;
