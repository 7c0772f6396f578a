//! The tests' pseudo-random numbers: xorshift64, reproducible without a random-number crate.
//! Included by path both by the native unit tests (`src/protocol/test_support.rs`) and by
//! the browser tests (`tests/url_parts.rs`), which cannot reach each other's modules.

/// An endless reproducible sequence of 64-bit numbers from `seed` (which must not be 0).
pub fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
