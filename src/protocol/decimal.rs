//! Decimal digits of an integer, written and read by hand: `to_string()` and `format!` would
//! link `core::fmt`'s machinery into the browser build for a handful of status codes and
//! times, and `str::parse` and `u64::from_str_radix` a generic integer parser.

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

/// The integer `text` spells in `radix` (10 or 16, either case), as `u64::from_str_radix`
/// reads it: digits after an optional `+`; `None` for anything else or above `u64::MAX`.
pub(crate) fn number(text: &str, radix: u32) -> Option<u64> {
    let digits = match text.as_bytes() {
        [b'+', rest @ ..] => rest,
        all => all,
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    // By index: a `for` over the bytes calls the slice's `into_iter` out of line.
    let mut i = 0;
    while let Some(&b) = digits.get(i) {
        i += 1;
        let digit = u64::from(char::from(b).to_digit(radix)?);
        // `n * radix + digit` fits in a u64 exactly when `n` is at most this; a division,
        // where `checked_mul` would link a 128-bit multiply into the browser build.
        if n > (u64::MAX - digit) / u64::from(radix) {
            return None;
        }
        n = n * u64::from(radix) + digit;
    }
    Some(n)
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

    #[test]
    fn reads_numbers_like_from_str_radix() {
        let texts = [
            "",
            "+",
            "-",
            "-0",
            "+0",
            "0",
            "00",
            "7",
            "+7",
            "42",
            " 1",
            "1 ",
            "1_0",
            "x",
            "0x1",
            "ff",
            "FF",
            "fF",
            "g",
            "१",
            "١٢",
            "18446744073709551615",
            "18446744073709551616",
            "18446744073709551614",
            "18446744073709551619",
            "18446744073709551620",
            "184467440737095516150",
            "fffffffffffffff0",
            "fffffffffffffffe",
            "10000000000000000f",
            "ffffffffffffffff",
            "10000000000000000",
            "+ffffffffffffffff",
            "99999999999999999999",
            "0000000000000000000000000001",
            "3ff0000000000000",
            "é",
        ];
        for text in texts {
            for radix in [10, 16] {
                assert_eq!(
                    number(text, radix),
                    u64::from_str_radix(text, radix).ok(),
                    "{text:?} in base {radix}"
                );
            }
            assert_eq!(number(text, 10), text.parse::<u64>().ok(), "{text:?}");
        }
    }
}
