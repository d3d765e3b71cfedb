//! "Did you mean" suggestions for misspelt keys, fields and names.

/// The candidate closest to `word`, when it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&lower, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(closest("whn", ["when", "name", "label"]), Some("when"));
        assert_eq!(
            closest("acv_bnd", ["acv", "acv_band", "fit"]),
            Some("acv_band")
        );
        assert_eq!(closest("zzzz", ["when", "name"]), None);
    }
}
