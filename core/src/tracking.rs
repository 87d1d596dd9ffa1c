//! Parcel tracking numbers: how scanners and people type them, and how one is stored. The
//! return, the unmatched parcel and the packing station's scan all compare them this way.

use crate::input::InputError;

pub const TRACKING_MAX_CHARS: usize = 40;

/// A tracking number as scanners and people type it: spaces and dashes dropped, upper case,
/// so "sf 1234-5678" and "SF12345678" are the same parcel.
pub fn normalize_tracking(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// A stored tracking number: normalized, letters and digits only.
pub fn check_tracking(text: &str) -> Result<(), InputError> {
    let valid = !text.is_empty()
        && text.chars().count() <= TRACKING_MAX_CHARS
        && text == normalize_tracking(text)
        && text.chars().all(|c| c.is_ascii_alphanumeric());
    valid.then_some(()).ok_or(InputError::TrackingInvalid {
        max: TRACKING_MAX_CHARS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_numbers_are_compared_as_scanners_type_them() {
        let table = [
            ("SF12345678", "SF12345678"),
            (" sf 1234-5678\n", "SF12345678"),
            ("yt-0001", "YT0001"),
            ("", ""),
        ];
        for (typed, normalized) in table {
            assert_eq!(normalize_tracking(typed), normalized, "{typed:?}");
        }
        let checks = [
            ("SF12345678", true),
            ("sf12345678", false),
            ("SF 123", false),
            ("", false),
            ("快递123", false),
            (&"1".repeat(TRACKING_MAX_CHARS), true),
            (&"1".repeat(TRACKING_MAX_CHARS + 1), false),
        ];
        for (stored, valid) in checks {
            assert_eq!(check_tracking(stored).is_ok(), valid, "{stored:?}");
        }
    }
}
