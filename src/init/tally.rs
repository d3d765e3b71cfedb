//! Counting the values of a column the way `tal` compares text: case-
//! insensitively. Each value is shown in its most frequent spelling, so a
//! stray "web analytics" does not rename "Web Analytics".

use std::collections::HashMap;

#[derive(Default)]
pub struct Tally {
    index: HashMap<String, usize>,
    groups: Vec<Group>,
}

struct Group {
    folded: String,
    count: usize,
    /// Spellings in first-seen order, with their counts.
    spellings: Vec<(String, usize)>,
}

impl Tally {
    pub fn add(&mut self, value: &str) {
        let folded = value.to_lowercase();
        let next = self.groups.len();
        let i = *self.index.entry(folded.clone()).or_insert(next);
        if i == next {
            self.groups.push(Group {
                folded,
                count: 0,
                spellings: Vec::new(),
            });
        }
        let group = &mut self.groups[i];
        group.count += 1;
        match group.spellings.iter_mut().find(|(s, _)| s == value) {
            Some((_, n)) => *n += 1,
            None => group.spellings.push((value.to_string(), 1)),
        }
    }

    /// Values with their counts, most frequent first, then by name.
    pub fn ranked(mut self) -> Vec<(String, usize)> {
        self.groups
            .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.folded.cmp(&b.folded)));
        self.groups
            .into_iter()
            .map(|group| {
                // max_by_key keeps the last of equals: reverse to keep the first seen.
                let spelling = group
                    .spellings
                    .into_iter()
                    .rev()
                    .max_by_key(|(_, n)| *n)
                    .map(|(s, _)| s)
                    .unwrap_or_default();
                (spelling, group.count)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_case_insensitively_in_the_usual_spelling() {
        let mut tally = Tally::default();
        for v in [
            "web analytics",
            "Web Analytics",
            "Web Analytics",
            "ABM",
            "abm",
            "CDP",
        ] {
            tally.add(v);
        }
        assert_eq!(
            tally.ranked(),
            vec![
                ("Web Analytics".into(), 3),
                ("ABM".into(), 2),
                ("CDP".into(), 1)
            ]
        );
    }
}
