//! What each plan allows a school. Plans are named on `tenants.plan`; their limits live here,
//! in code, so that every process agrees on them without a lookup.

/// A plan's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The plan's name as stored on the school.
    pub name: &'static str,
    /// Storage for the media library (uploads, renditions, captions), in bytes.
    pub storage_bytes: u64,
    /// Largest single upload, in bytes.
    pub max_upload_bytes: u64,
    /// Marketing emails a school may send per day (after its warm-up).
    pub emails_per_day: i64,
    /// Marketing emails a school may send per minute: a big list goes out in minutes, never in
    /// one burst that mailbox providers read as a spammer's.
    pub emails_per_minute: u32,
}

const GIB: u64 = 1024 * 1024 * 1024;

/// Every plan, smallest first.
pub const PLANS: [Plan; 4] = [
    Plan {
        name: "trial",
        storage_bytes: 2 * GIB,
        max_upload_bytes: GIB,
        emails_per_day: 1_000,
        emails_per_minute: 200,
    },
    Plan {
        name: "starter",
        storage_bytes: 100 * GIB,
        max_upload_bytes: 10 * GIB,
        emails_per_day: 20_000,
        emails_per_minute: 2_000,
    },
    Plan {
        name: "growth",
        storage_bytes: 500 * GIB,
        max_upload_bytes: 20 * GIB,
        emails_per_day: 100_000,
        emails_per_minute: 20_000,
    },
    Plan {
        name: "pro",
        storage_bytes: 2048 * GIB,
        max_upload_bytes: 50 * GIB,
        emails_per_day: 500_000,
        emails_per_minute: 100_000,
    },
];

impl Plan {
    /// The plan called `name`; an unknown name gets the starter plan's limits.
    pub fn named(name: &str) -> Plan {
        PLANS.iter().copied().find(|p| p.name == name).unwrap_or(PLANS[1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_found_by_name_and_grow() {
        assert_eq!(Plan::named("pro").max_upload_bytes, 50 * GIB);
        assert_eq!(Plan::named("no-such-plan").name, "starter");
        assert!(PLANS.windows(2).all(|w| w[0].storage_bytes < w[1].storage_bytes));
        assert!(PLANS.iter().all(|p| p.max_upload_bytes <= p.storage_bytes));
    }
}
