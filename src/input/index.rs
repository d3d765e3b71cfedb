//! The account index while the accounts are read: each normalised
//! domain's account number, growing as parts of the exports are merged
//! (once every account is read it is frozen into an `input::lookup`).
//!
//! The table holds account numbers only (4 bytes a slot), and a lookup
//! compares the domain with the accounts' own list of domains. A million
//! accounts then fill a table of about 10 MB rather than 64 MB holding
//! every domain again, and each domain is hashed once: a part of an export
//! hashes its domains as it reads them, and the merge on the main thread
//! reuses those hashes (see `input::accounts`).

use std::hash::BuildHasher;

use compact_str::CompactString;
use hashbrown::hash_table::Entry;
use hashbrown::HashTable;
use polars::prelude::PlRandomState;

use super::lookup::Lookup;

/// Domain to account number, over a list of domains kept beside it.
#[derive(Debug, Default)]
pub struct DomainIndex {
    table: HashTable<u32>,
    hasher: PlRandomState,
}

impl DomainIndex {
    /// An empty index whose hashes agree with this one's.
    pub fn empty_like(&self) -> Self {
        DomainIndex {
            table: HashTable::new(),
            hasher: self.hasher.clone(),
        }
    }

    /// The hash of a domain, as this index (and every index made
    /// [`DomainIndex::empty_like`] it) hashes it.
    pub fn hash(&self, domain: &str) -> u64 {
        self.hasher.hash_one(domain)
    }

    /// The account of `domain`, whose hash is `hash`.
    #[cfg(test)]
    pub fn find(&self, domains: &[CompactString], domain: &str, hash: u64) -> Option<u32> {
        (self.table)
            .find(hash, |&i| domains[i as usize] == domain)
            .copied()
    }

    /// The first account indexed under a hash's top bits, its domain
    /// prefetched: the domain whose hash is `hash` when it is indexed at
    /// all, unless another came first. None: no domain of that hash is
    /// indexed.
    pub fn candidate(&self, domains: &[CompactString], hash: u64) -> Option<u32> {
        let candidate = self.table.find(hash, |_| true).copied();
        if let Some(i) = candidate {
            prefetch(&domains[i as usize]);
        }
        candidate
    }

    /// Indexes account `next` under `hash`, for a domain known not to be
    /// indexed (its [`DomainIndex::candidate`] was None).
    pub fn insert_new(&mut self, hashes: &[u64], hash: u64, next: u32) {
        (self.table).insert_unique(hash, next, rehash(hashes));
    }

    /// The account of `domain` (hash `hash`) if indexed, else `next`,
    /// indexed now; true when new. The caller adds the domain to `domains`
    /// at `next`, and its hash to `hashes`.
    pub fn get_or_insert(
        &mut self,
        domains: &[CompactString],
        hashes: &[u64],
        domain: &str,
        hash: u64,
        next: u32,
    ) -> (u32, bool) {
        let rehash = rehash(hashes);
        match (self.table).entry(hash, |&i| domains[i as usize] == domain, rehash) {
            Entry::Occupied(found) => (*found.get(), false),
            Entry::Vacant(slot) => {
                slot.insert(next);
                (next, true)
            }
        }
    }

    /// Room for `more` accounts.
    pub fn reserve(&mut self, hashes: &[u64], more: usize) {
        (self.table).reserve(more, rehash(hashes));
    }

    /// The index frozen for lookups once every account is read, account
    /// `i`'s domain hashing to `hashes[i]`.
    pub fn freeze(&self, hashes: &[u64]) -> Lookup {
        Lookup::new(self.hasher.clone(), hashes)
    }
}

/// Asks for the cache line of `value` without waiting for it.
#[inline(always)]
#[allow(unsafe_code)]
pub(super) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint: it reads nothing the program sees and
    // cannot fault (the pointer is a live reference besides). It needs SSE,
    // which every x86-64 processor has.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// The hash of an indexed account's domain, for the table to move it when
/// it grows: kept beside the domains (`hashes[i]` is account `i`'s), so no
/// domain is read or hashed again.
fn rehash(hashes: &[u64]) -> impl Fn(&u32) -> u64 + '_ {
    move |&i| hashes[i as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// The index numbers domains as a plain map from domain to first
        /// place does, whether it grows or was given room, and finds them
        /// again under an index made `empty_like` it.
        #[test]
        fn numbers_domains_like_a_map(
            keys in prop::collection::vec("[a-d]{0,3}\\.(com|io)|[a-z]{17,30}\\.com", 0..200),
            room in 0usize..300,
        ) {
            let mut index = DomainIndex::default();
            index.reserve(&[], room);
            let mut domains: Vec<CompactString> = Vec::new();
            let mut hashes: Vec<u64> = Vec::new();
            let mut plain: HashMap<String, u32> = HashMap::new();
            for key in &keys {
                let hash = index.hash(key);
                let next = domains.len() as u32;
                let (i, new) = index.get_or_insert(&domains, &hashes, key, hash, next);
                if new {
                    domains.push(CompactString::new(key));
                    hashes.push(hash);
                }
                let want = *plain.entry(key.clone()).or_insert(next);
                prop_assert_eq!((i, new), (want, want == next));
            }
            let other = index.empty_like();
            for (key, &i) in &plain {
                prop_assert_eq!(index.find(&domains, key, other.hash(key)), Some(i));
            }
            prop_assert_eq!(index.find(&domains, "absent.org", index.hash("absent.org")), None);
            // Frozen, over the hashes as the index gave them, it finds
            // what the index finds.
            let sought: Vec<CompactString> = (keys.iter().map(String::as_str))
                .chain(["absent.org", "x.io", "abc.com"])
                .map(CompactString::new)
                .collect();
            let frozen = index.freeze(&hashes);
            let mut found = Vec::new();
            frozen.find_all(&domains, &sought, &mut found);
            let one_by_one: Vec<Option<u32>> = (sought.iter())
                .map(|key| index.find(&domains, key, index.hash(key)))
                .collect();
            prop_assert_eq!(&found, &one_by_one);
            // A domain without a candidate is not indexed.
            for (key, found) in sought.iter().zip(&found) {
                if index.candidate(&domains, index.hash(key)).is_none() {
                    prop_assert_eq!(*found, None);
                }
            }
        }
    }
}
