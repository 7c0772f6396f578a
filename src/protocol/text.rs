//! Joining strings: [`Cat`], in place of std's `concat` on string slices.

/// Pieces of text joined into one `String`.
///
/// Std's `[&str]::concat` is a generic join that sums and checks the lengths before it
/// copies; this plain loop does the same job in a fraction of its wasm.
pub(crate) trait Cat {
    /// The pieces, one after the other.
    fn cat(&self) -> String;
}

impl Cat for [&str] {
    fn cat(&self) -> String {
        let mut out = String::new();
        for piece in self {
            out.push_str(piece);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Cat;

    #[test]
    fn joins_the_pieces_in_order() {
        assert_eq!(["a", "", "bc", "é"].cat(), "abcé");
        assert_eq!(["a", "b"][..0].cat(), "");
    }
}
