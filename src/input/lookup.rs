//! The account index once every account is read: the table the intent and
//! activity rows look their domain up in, millions of times.
//!
//! The growing index (`input::index`) is a `hashbrown` table of account
//! numbers; a lookup there reads its control bytes, then its slot, then
//! the domain, each waiting for the one before. This table is frozen, so
//! it can be simpler: one open-addressed array of slots, each holding the
//! account's number and 32 bits of its domain's hash. A batch of lookups
//! then runs in three passes (ask for every slot, read every slot and ask
//! for its domain, compare every domain), and the cache misses of a pass
//! overlap instead of following one another.

use std::hash::BuildHasher;

use compact_str::CompactString;
use polars::prelude::PlRandomState;

use super::index::prefetch;

/// A slot's value when no account is in it.
const EMPTY: u64 = u64::MAX;

/// Lookups done together by [`Lookup::find_all`].
const BATCH: usize = 32;

/// Domain to account number, over the accounts' own list of domains.
#[derive(Debug)]
pub struct Lookup {
    /// `tag << 32 | account`, where the tag is the hash's top 32 bits; a
    /// slot's place is the hash's low bits, or the next free one after.
    slots: Vec<u64>,
    hasher: PlRandomState,
}

impl Default for Lookup {
    fn default() -> Self {
        Lookup::new(PlRandomState::default(), &[])
    }
}

impl Lookup {
    /// The lookup of accounts `0..hashes.len()`, account `i`'s domain
    /// hashing to `hashes[i]` under `hasher`. At most three slots in four
    /// are filled, so that a search for an absent domain soon meets an
    /// empty slot.
    pub fn new(hasher: PlRandomState, hashes: &[u64]) -> Self {
        let len = (hashes.len() + hashes.len() / 3)
            .next_power_of_two()
            .max(16);
        let mut lookup = Lookup {
            slots: vec![EMPTY; len],
            hasher,
        };
        let mask = lookup.mask();
        for (account, &hash) in hashes.iter().enumerate() {
            let mut at = hash as usize & mask;
            while lookup.slots[at] != EMPTY {
                at = (at + 1) & mask;
            }
            lookup.slots[at] = (tag(hash) << 32) | account as u64;
        }
        lookup
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    fn hash(&self, domain: &str) -> u64 {
        self.hasher.hash_one(domain)
    }

    /// The account of `domain`.
    pub fn find(&self, domains: &[CompactString], domain: &str) -> Option<u32> {
        self.find_hashed(domains, domain, self.hash(domain))
    }

    /// The account of `domain`, whose hash is `hash`.
    fn find_hashed(&self, domains: &[CompactString], domain: &str, hash: u64) -> Option<u32> {
        (self.tagged(hash)).find(|&account| domains[account as usize] == domain)
    }

    /// The first account in `hash`'s run of slots whose tag is the hash's,
    /// its domain asked for ahead: the account of the domain hashing to
    /// `hash` if any, unless another of the same tag came first.
    fn candidate(&self, domains: &[CompactString], hash: u64) -> Option<u32> {
        let candidate = self.tagged(hash).next();
        if let Some(account) = candidate {
            prefetch(&domains[account as usize]);
        }
        candidate
    }

    /// The accounts in `hash`'s run of slots (from its place to the next
    /// empty slot) whose tag is the hash's: the only ones whose domain can
    /// hash to `hash`.
    fn tagged(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        let mask = self.mask();
        let start = hash as usize & mask;
        (0..self.slots.len())
            .map(move |k| self.slots[(start + k) & mask])
            .take_while(|&slot| slot != EMPTY)
            .filter(move |&slot| slot >> 32 == tag(hash))
            .map(|slot| slot as u32)
    }

    /// The account of each of `sought`, in order, into `found` (cleared
    /// first): [`Lookup::find`] for each, a batch at a time.
    pub fn find_all(
        &self,
        domains: &[CompactString],
        sought: &[CompactString],
        found: &mut Vec<Option<u32>>,
    ) {
        self.find_all_hashed(domains, sought, found, |domain| self.hash(domain));
    }

    /// [`Lookup::find_all`], the domains hashed by `hash`.
    fn find_all_hashed(
        &self,
        domains: &[CompactString],
        sought: &[CompactString],
        found: &mut Vec<Option<u32>>,
        hash_of: impl Fn(&str) -> u64,
    ) {
        found.clear();
        let mask = self.mask();
        let mut hashes = [0u64; BATCH];
        for batch in sought.chunks(BATCH) {
            let hashes = &mut hashes[..batch.len()];
            for (hash, domain) in hashes.iter_mut().zip(batch) {
                *hash = hash_of(domain);
                prefetch(&self.slots[*hash as usize & mask]);
            }
            let start = found.len();
            found.extend(hashes.iter().map(|&hash| self.candidate(domains, hash)));
            for ((candidate, domain), &hash) in found[start..].iter_mut().zip(batch).zip(&*hashes) {
                if let Some(account) = *candidate {
                    if domains[account as usize] != domain.as_str() {
                        *candidate = self.find_hashed(domains, domain, hash);
                    }
                }
            }
        }
    }
}

/// The part of a hash a slot keeps beside its account.
fn tag(hash: u64) -> u64 {
    hash >> 32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// Finds each domain at its first place, and no other, one at a
        /// time and many at once, whatever the hashes' collisions.
        #[test]
        fn finds_like_a_map(
            keys in prop::collection::vec("[a-d]{0,3}\\.(com|io)|[a-z]{17,30}\\.com", 0..300),
            colliding in any::<bool>(),
        ) {
            let mut domains: Vec<CompactString> = Vec::new();
            let mut plain: HashMap<String, u32> = HashMap::new();
            for key in &keys {
                if !plain.contains_key(key) {
                    plain.insert(key.clone(), domains.len() as u32);
                    domains.push(CompactString::new(key));
                }
            }
            let hasher = PlRandomState::default();
            // Colliding: every hash in one place, and a tag shared by
            // every domain of a length: long runs of slots, and candidates
            // that are other domains.
            let hash = |domain: &str| match colliding {
                true => (domain.len() as u64 % 3) << 40,
                false => hasher.hash_one(domain),
            };
            let hashes: Vec<u64> = domains.iter().map(|d| hash(d)).collect();
            let lookup = Lookup::new(hasher.clone(), &hashes);
            let sought: Vec<CompactString> = (keys.iter().map(String::as_str))
                .chain(["absent.org", "x.io", "abc.com", ""])
                .map(CompactString::new)
                .collect();
            let want: Vec<Option<u32>> = (sought.iter())
                .map(|d| plain.get(d.as_str()).copied())
                .collect();
            let one_by_one: Vec<Option<u32>> = (sought.iter())
                .map(|d| lookup.find_hashed(&domains, d, hash(d)))
                .collect();
            prop_assert_eq!(&one_by_one, &want);
            let mut found = vec![Some(7)];
            lookup.find_all_hashed(&domains, &sought, &mut found, hash);
            prop_assert_eq!(&found, &want);
            if !colliding {
                lookup.find_all(&domains, &sought, &mut found);
                prop_assert_eq!(&found, &want);
                let singly: Vec<Option<u32>> = (sought.iter())
                    .map(|d| lookup.find(&domains, d))
                    .collect();
                prop_assert_eq!(&singly, &want);
            }
        }
    }

    /// No accounts: nothing found, and no slot read out of bounds.
    #[test]
    fn an_empty_lookup_finds_nothing() {
        let lookup = Lookup::default();
        let mut found = Vec::new();
        lookup.find_all(&[], &[CompactString::new("acme.com")], &mut found);
        assert_eq!(found, vec![None]);
        assert_eq!(lookup.find(&[], "acme.com"), None);
    }
}
