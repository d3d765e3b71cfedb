//! Per account, the index of the rule or tier it came to, or none: the
//! first exclude or tier rule that held, a pin's tier, the tier it sits
//! in, the tier it was pushed down from. Held in 4 bytes an account where
//! `Vec<Option<usize>>` takes 16: at millions of accounts these are among
//! the largest vectors of a run, and every page of them is one the kernel
//! clears at its first touch (bench/README.md, round 6).

/// The index each account came to, or none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices(Vec<u32>);

/// An account that came to none.
const NONE: u32 = u32::MAX;

impl Choices {
    /// `n` accounts, none with a choice.
    pub fn none(n: usize) -> Self {
        Choices(vec![NONE; n])
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Account `i`'s choice.
    pub fn get(&self, i: usize) -> Option<usize> {
        decode(self.0[i])
    }

    pub fn is_some(&self, i: usize) -> bool {
        self.0[i] != NONE
    }

    /// Account `i` came to `choice` (an index into a spec's rules or tiers,
    /// which are far fewer than `u32::MAX`).
    pub fn set(&mut self, i: usize, choice: usize) {
        self.0[i] = encode(Some(choice));
    }

    /// Appends the choices of the accounts after these.
    pub fn append(&mut self, mut next: Choices) {
        self.0.append(&mut next.0);
    }

    /// Every account's choice, in order.
    pub fn iter(&self) -> impl Iterator<Item = Option<usize>> + '_ {
        self.0.iter().map(|&code| decode(code))
    }
}

/// A choice as held (the largest index held is `NONE - 1`).
fn encode(choice: Option<usize>) -> u32 {
    choice.map_or(NONE, |choice| {
        u32::try_from(choice).unwrap_or(NONE - 1).min(NONE - 1)
    })
}

fn decode(code: u32) -> Option<usize> {
    (code != NONE).then_some(code as usize)
}

impl FromIterator<Option<usize>> for Choices {
    fn from_iter<I: IntoIterator<Item = Option<usize>>>(choices: I) -> Self {
        Choices(choices.into_iter().map(encode).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// What goes in comes out, as a vector of options would hold it.
        #[test]
        fn choices_hold_what_options_do(
            options in prop::collection::vec(prop::option::of(0usize..1000), 0..50),
        ) {
            let choices: Choices = options.iter().copied().collect();
            prop_assert_eq!(choices.iter().collect::<Vec<_>>(), options.clone());
            let mut set = Choices::none(options.len());
            for (i, choice) in options.iter().enumerate() {
                if let Some(choice) = choice {
                    set.set(i, *choice);
                }
                prop_assert_eq!(set.is_some(i), choice.is_some());
            }
            prop_assert_eq!(set, choices);
        }
    }
}
