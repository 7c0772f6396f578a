//! Decimal digits of an integer, written by hand: `to_string()` and `format!` would link
//! `core::fmt`'s machinery into the browser build for a handful of status codes and times.

/// `n` in decimal digits, as `n.to_string()` spells it.
pub(crate) fn decimal(mut n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[start..].iter().map(|&d| char::from(d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_numbers_like_display() {
        for n in [0, 7, 10, 404, 1_700_000_000, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
        assert_eq!(decimal(u64::MAX), "18446744073709551615");
    }
}
