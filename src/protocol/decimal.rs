//! Decimal digits of an integer, written by hand: `to_string()` and `format!` would link
//! `core::fmt`'s machinery into the browser build for a handful of status codes and times.

/// `n` in decimal digits, as `n.to_string()` spells it.
pub(crate) fn decimal(n: u64) -> String {
    // From the most significant digit down, so the digits go straight into the string.
    let mut unit = 1;
    while n / unit >= 10 {
        unit *= 10;
    }
    let mut digits = String::new();
    loop {
        digits.push(char::from(b'0' + (n / unit % 10) as u8));
        if unit == 1 {
            return digits;
        }
        unit /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_numbers_like_display() {
        for n in [
            0,
            7,
            9,
            10,
            99,
            100,
            404,
            1_700_000_000,
            10_000_000_000_000_000_000,
            u64::MAX,
        ] {
            assert_eq!(decimal(n), n.to_string());
        }
        assert_eq!(decimal(u64::MAX), "18446744073709551615");
    }
}
