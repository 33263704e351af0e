//! Plain-text helpers shared by the rules and the editor features: the closest word for a
//! "did you mean" (an access right, a time zone, a parameter name).

/// The candidate closest to `word` (case-insensitive edit distance), if within `max` edits; the
/// first of equally close ones.
pub fn nearest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    max: usize,
) -> Option<&'c str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (distance(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters (insert, delete, substitute cost one each).
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_over_characters() {
        assert_eq!(distance("reviwer", "reviewer"), 1);
        assert_eq!(distance("reveiwer", "reviewer"), 2);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kalender", "kalender"), 0);
        assert_eq!(distance("sät", "sat"), 1, "characters, not bytes");
    }

    #[test]
    fn nearest_ignores_case_and_respects_the_limit() {
        let rights = ["None", "Reviewer", "Editor"];
        assert_eq!(nearest("REVIWER", rights, 3), Some("Reviewer"));
        assert_eq!(nearest("FreeBusyTimeOnly", rights, 3), None);
        assert_eq!(nearest("Edtor", rights, 0), None);
        assert_eq!(nearest("x", [], 3), None);
    }
}
