//! What changed between two versions of the policy, entry by entry, for the policy's history:
//! "which phrase was added, which tier moved" rather than two 30 KB documents side by side.
//!
//! It compares the policies as the JSON they are stored as, so every part of the policy is
//! covered without a line per list. Lists of entries are matched by their key (an id, a
//! phrase, a year), so adding one entry at the top shows as one addition, not as every entry
//! below it changing; lists of plain values (dates, provinces) as sets.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One difference: `before` is `None` for an addition, `after` for a removal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyDifference {
    /// Where, as the validation names fields, with entries named by their key:
    /// `banned_phrases["催什么催"].alternative`, `working_hours.years[2027].holidays`.
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The keys that name an entry of a policy list, in the order they are tried.
const ENTRY_KEYS: [&str; 3] = ["id", "phrase", "year"];

/// Every difference from `before` to `after`, in the order of the policy's fields.
pub fn differences(before: &Value, after: &Value) -> Vec<PolicyDifference> {
    let mut found = Vec::new();
    compare("", before, after, &mut found);
    found
}

fn compare(path: &str, before: &Value, after: &Value, found: &mut Vec<PolicyDifference>) {
    if before == after {
        return;
    }
    match (before, after) {
        (Value::Object(old), Value::Object(new)) => {
            let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                let inner = join(path, key);
                match (old.get(key), new.get(key)) {
                    (Some(old), Some(new)) => compare(&inner, old, new, found),
                    (old, new) => found.push(difference(inner, old, new)),
                }
            }
        }
        (Value::Array(old), Value::Array(new)) => compare_lists(path, old, new, found),
        _ => found.push(difference(path.to_owned(), Some(before), Some(after))),
    }
}

fn compare_lists(path: &str, old: &[Value], new: &[Value], found: &mut Vec<PolicyDifference>) {
    if let Some(key) = entry_key(old, new) {
        let named = |entry: &Value| format!("{path}[{}]", entry[key]);
        for entry in old {
            match new.iter().find(|other| other[key] == entry[key]) {
                Some(other) => compare(&named(entry), entry, other, found),
                None => found.push(difference(named(entry), Some(entry), None)),
            }
        }
        for entry in new {
            if !old.iter().any(|other| other[key] == entry[key]) {
                found.push(difference(named(entry), None, Some(entry)));
            }
        }
    } else if old.iter().chain(new).all(is_plain) {
        for value in old.iter().filter(|value| !new.contains(value)) {
            found.push(difference(path.to_owned(), Some(value), None));
        }
        for value in new.iter().filter(|value| !old.contains(value)) {
            found.push(difference(path.to_owned(), None, Some(value)));
        }
    } else {
        for index in 0..old.len().max(new.len()) {
            let inner = format!("{path}[{index}]");
            match (old.get(index), new.get(index)) {
                (Some(old), Some(new)) => compare(&inner, old, new, found),
                (old, new) => found.push(difference(inner, old, new)),
            }
        }
    }
}

/// The key every entry of both lists carries, unique in each list.
fn entry_key(old: &[Value], new: &[Value]) -> Option<&'static str> {
    ENTRY_KEYS.into_iter().find(|key| {
        [old, new].iter().all(|list| {
            let mut seen = Vec::with_capacity(list.len());
            list.iter().all(|entry| match entry.get(key) {
                Some(value) if !seen.contains(&value) => {
                    seen.push(value);
                    true
                }
                _ => false,
            })
        }) && !(old.is_empty() && new.is_empty())
    })
}

fn is_plain(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn difference(path: String, before: Option<&Value>, after: Option<&Value>) -> PolicyDifference {
    PolicyDifference {
        path,
        before: before.cloned(),
        after: after.cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use serde_json::json;

    /// An edit of the policy's JSON.
    type Edit = fn(&mut Value);

    fn default_json() -> Value {
        serde_json::to_value(Policy::default_policy()).unwrap()
    }

    fn change(path: &str, before: Option<Value>, after: Option<Value>) -> PolicyDifference {
        PolicyDifference {
            path: path.into(),
            before,
            after,
        }
    }

    #[test]
    fn the_same_policy_has_no_differences() {
        assert_eq!(differences(&default_json(), &default_json()), []);
    }

    #[test]
    fn differences_table() {
        let table: [(&str, Edit, Vec<PolicyDifference>); 5] = [
            (
                "a phrase added at the top is one addition",
                |data| {
                    let phrases = data["banned_phrases"].as_array_mut().unwrap();
                    phrases.insert(0, json!({"phrase": "催什么催", "alternative": "请稍等"}));
                },
                vec![change(
                    "banned_phrases[\"催什么催\"]",
                    None,
                    Some(json!({"phrase": "催什么催", "alternative": "请稍等"})),
                )],
            ),
            (
                "a changed alternative names its phrase",
                |data| data["banned_phrases"][0]["alternative"] = json!("新的说法"),
                vec![change(
                    "banned_phrases[\"你听我说好吧/我不是跟你说过了吗\"].alternative",
                    Some(json!("请允许我再为您详细解释一下。")),
                    Some(json!("新的说法")),
                )],
            ),
            (
                "a year of holidays added",
                |data| {
                    let years = data["working_hours"]["years"].as_array_mut().unwrap();
                    years.push(json!({"year": 2027, "holidays": ["2027-01-01"], "makeup_working_days": []}));
                },
                vec![change(
                    "working_hours.years[2027]",
                    None,
                    Some(
                        json!({"year": 2027, "holidays": ["2027-01-01"], "makeup_working_days": []}),
                    ),
                )],
            ),
            (
                "dates compare as sets",
                |data| {
                    let holidays = data["working_hours"]["years"][0]["holidays"]
                        .as_array_mut()
                        .unwrap();
                    holidays.remove(0);
                    holidays.push(json!("2026-12-31"));
                },
                vec![
                    change(
                        "working_hours.years[2026].holidays",
                        Some(json!("2026-01-01")),
                        None,
                    ),
                    change(
                        "working_hours.years[2026].holidays",
                        None,
                        Some(json!("2026-12-31")),
                    ),
                ],
            ),
            (
                "a tier's amount, inside an item class named by id",
                |data| data["item_classes"][1]["compensation_tiers"][0]["max_fen"] = json!(800),
                vec![change(
                    "item_classes[\"flash_sale\"].compensation_tiers[0].max_fen",
                    Some(json!(500)),
                    Some(json!(800)),
                )],
            ),
        ];
        for (what, edit, expected) in table {
            let mut after = default_json();
            edit(&mut after);
            assert_eq!(differences(&default_json(), &after), expected, "{what}");
        }
    }

    #[test]
    fn a_removed_entry_is_one_removal() {
        let mut after = default_json();
        let removed = after["inquiry_categories"]
            .as_array_mut()
            .unwrap()
            .remove(2);
        let found = differences(&default_json(), &after);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].before, Some(removed));
        assert_eq!(found[0].after, None);
        assert!(found[0].path.starts_with("inquiry_categories[\""));
    }
}
