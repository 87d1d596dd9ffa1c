//! When to warn that the device is running out of space (SPEC "offline promises" 6): before
//! a write could fail, while there is still room to sync and free space.

/// Warn when less than this share of the browser's quota for Kefu is left…
const MIN_FREE_PERCENT: u64 = 10;
/// …or less than this many bytes, whichever comes first: photos are a few MB each.
const MIN_FREE_BYTES: u64 = 50 * 1024 * 1024;

/// Whether the device should show the low-storage warning, from the browser's estimate.
/// An unknown or zero quota never warns: nothing can be said about it.
pub fn storage_is_low(usage_bytes: u64, quota_bytes: u64) -> bool {
    if quota_bytes == 0 {
        return false;
    }
    let free = quota_bytes.saturating_sub(usage_bytes);
    free < MIN_FREE_BYTES || free.saturating_mul(100) < quota_bytes.saturating_mul(MIN_FREE_PERCENT)
}

#[cfg(test)]
mod tests {
    use super::storage_is_low;

    const MB: u64 = 1024 * 1024;
    const GB: u64 = 1024 * MB;

    #[test]
    fn table() {
        let table = [
            (0, 0, false),
            (10 * MB, 10 * GB, false),
            (9 * GB, 10 * GB, false),
            (9 * GB + 1, 10 * GB, true),
            (10 * GB, 10 * GB, true),
            (11 * GB, 10 * GB, true),
            // Small quotas: the absolute floor decides first.
            (0, 50 * MB, false),
            (1, 50 * MB, true),
            (100 * MB, 200 * MB, false),
            (151 * MB, 200 * MB, true),
        ];
        for (usage, quota, low) in table {
            assert_eq!(
                storage_is_low(usage, quota),
                low,
                "usage {usage} quota {quota}"
            );
        }
    }
}
