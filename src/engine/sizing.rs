//! Tier sizing (SPEC.md "Tiering and sizing", step 3): tier by tier, pins
//! take their seats first, then the tier's candidates — its matches plus
//! the overflow of the tier above, on equal terms — in ranking order, up to
//! the tier's capacity; the rest are pushed down, and the last tier's
//! overflow is the Waitlist. The budget left for the tiers starts at the
//! total minus the segments' channel budgets, committed up front.

use super::choices::Choices;
pub use crate::spec::plan::Limit;
use crate::spec::{Spec, Tier};

/// What sizing did to one tier.
#[derive(Debug, Clone, Default)]
pub struct TierOutcome {
    /// Accounts its rules chose (not pinned, not excluded).
    pub matched: usize,
    /// Accounts pinned to it by an override.
    pub pinned: usize,
    pub pushed_in: usize,
    pub kept: usize,
    pub pushed_out: usize,
    pub capacity: Option<u64>,
    pub bound_by: Option<Limit>,
    /// Budget left before this tier was sized (when a total is set).
    pub budget_before: Option<f64>,
}

/// The input of sizing: per account, its pin or the tier its rules chose.
pub struct SizingInput<'a> {
    /// Accounts in ranking order.
    pub order: &'a [u32],
    pub pinned_tier: &'a Choices,
    /// The tier the rules chose, for accounts that are candidates.
    pub matched_tier: &'a Choices,
}

/// The result: per account the tier it sits in (None: not in the TAL) and
/// the tier it was demoted from; per tier the outcome; the Waitlist.
pub struct Sized {
    pub seat: Choices,
    pub demoted_from: Choices,
    pub outcomes: Vec<TierOutcome>,
    pub waitlist: Vec<u32>,
    pub budget_left: Option<f64>,
}

/// The least of the limits that are set, and which one it was.
pub fn capacity(
    tier: &Tier,
    spec: &Spec,
    budget_left: Option<f64>,
) -> (Option<u64>, Option<Limit>) {
    let mut limits: Vec<(u64, Limit)> = Vec::new();
    if let Some(max) = tier.max_accounts {
        limits.push((max, Limit::MaxAccounts));
    }
    if let (Some(per_seller), Some(sellers)) = (tier.accounts_per_seller, spec.budget.sellers) {
        limits.push((per_seller.saturating_mul(sellers), Limit::Sellers));
    }
    if let (true, Some(left), Some(per_account)) =
        (spec.budget.enforce, budget_left, tier.per_account)
    {
        if per_account > 0.0 {
            limits.push(((left.max(0.0) / per_account).floor() as u64, Limit::Budget));
        }
    }
    match limits.iter().min_by_key(|(value, _)| *value) {
        Some((value, limit)) => (Some(*value), Some(*limit)),
        None => (None, None),
    }
}

pub fn size(spec: &Spec, input: &SizingInput) -> Sized {
    let n = input.pinned_tier.len();
    let mut seat = Choices::none(n);
    let mut demoted_from = Choices::none(n);
    let mut outcomes = Vec::new();
    // The segments' channels are paid first: the tiers share what is left.
    let mut budget_left = spec.budget.total.map(|total| total - spec.channel_spend());
    let mut pushed: Vec<u32> = Vec::new();
    for (t, tier) in spec.tiers.iter().enumerate() {
        let (capacity, bound_by) = capacity(tier, spec, budget_left);
        let mut outcome = TierOutcome {
            capacity,
            bound_by,
            budget_before: budget_left,
            pushed_in: pushed.len(),
            ..Default::default()
        };
        let pinned_here = |a: &u32| input.pinned_tier.get(*a as usize) == Some(t);
        let mut is_pushed = vec![false; n];
        for &a in &pushed {
            is_pushed[a as usize] = true;
        }
        // Candidates in ranking order: this tier's matches and the overflow from above.
        let candidates: Vec<u32> = input
            .order
            .iter()
            .copied()
            .filter(|a| {
                is_pushed[*a as usize]
                    || (!input.pinned_tier.is_some(*a as usize)
                        && input.matched_tier.get(*a as usize) == Some(t))
            })
            .collect();
        outcome.matched = candidates.len() - pushed.len();
        outcome.pinned = input.order.iter().filter(|a| pinned_here(a)).count();
        let seats = capacity.map_or(usize::MAX, |c| (c as usize).saturating_sub(outcome.pinned));
        let (stay, overflow) = candidates.split_at(seats.min(candidates.len()));
        for &a in input.order.iter().filter(|a| pinned_here(a)).chain(stay) {
            seat.set(a as usize, t);
        }
        for &a in overflow {
            let a = a as usize;
            if let (None, Some(matched)) = (demoted_from.get(a), input.matched_tier.get(a)) {
                demoted_from.set(a, matched);
            }
        }
        outcome.kept = outcome.pinned + stay.len();
        outcome.pushed_out = overflow.len();
        if let (Some(left), Some(per_account)) = (budget_left, tier.per_account) {
            budget_left = Some(left - outcome.kept as f64 * per_account);
        }
        pushed = overflow.to_vec();
        outcomes.push(outcome);
    }
    Sized {
        seat,
        demoted_from,
        outcomes,
        waitlist: pushed,
        budget_left,
    }
}
