//! Controls for tests, outside the Anypoint API: fault injection and the mock's clock.

pub(crate) mod clock;
pub(crate) mod faults;
