//! Money as a whole number of fen (分, 1/100 yuan): prices, tiers and allowances never touch a float.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, Sub};

/// An amount of money in fen. Integer arithmetic keeps ¥18.90 exactly ¥18.90, which matters
/// because compensation tiers switch at that very price (seed 002).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    pub const fn from_yuan(yuan: i64) -> Fen {
        Fen(yuan * 100)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// An amount as an agent types it in yuan: `18`, `18.9`, `18.90`, `¥18.90`; at most two
    /// decimals, not negative. `None` for anything else.
    pub fn parse_yuan(text: &str) -> Option<Fen> {
        let text = text.trim().trim_start_matches(['¥', '￥']).trim();
        let (yuan, fen) = text.split_once('.').unwrap_or((text, ""));
        let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
        if yuan.is_empty() || !digits(yuan) || !digits(fen) || fen.len() > 2 {
            return None;
        }
        let fen = format!("{fen:0<2}").parse::<i64>().ok()?;
        Some(Fen(yuan.parse::<i64>().ok()?.checked_mul(100)? + fen))
    }

    /// Like [`Fen::parse_yuan`], with a leading minus sign allowed: where an admin sets an
    /// amount the policy's validation, not the parser, says a negative one is wrong, naming
    /// the field.
    pub fn parse_signed_yuan(text: &str) -> Option<Fen> {
        match text.trim().strip_prefix('-') {
            Some(amount) => Fen::parse_yuan(amount).map(|fen| Fen(-fen.0)),
            None => Fen::parse_yuan(text),
        }
    }

    /// The amount as an admin types it back: `18.9` → `18.90`, `5` → `5`, no currency sign.
    pub fn yuan_text(self) -> String {
        self.to_string().replacen('¥', "", 1)
    }
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, other: Fen) -> Fen {
        Fen(self.0 + other.0)
    }
}

impl Sub for Fen {
    type Output = Fen;
    fn sub(self, other: Fen) -> Fen {
        Fen(self.0 - other.0)
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(amounts: I) -> Fen {
        amounts.fold(Fen::ZERO, Add::add)
    }
}

/// Shown the way the manuals write prices: `¥18.90`, `¥5`, `-¥0.50`. Whole yuan drop the
/// decimals so tier ranges read like the manual ("¥5–10").
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (yuan, fen) = (abs / 100, abs % 100);
        if fen == 0 {
            write!(f, "{sign}¥{yuan}")
        } else {
            write!(f, "{sign}¥{yuan}.{fen:02}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_yuan_table() {
        let table = [
            ("-5", Some(Fen(-500))),
            ("- 0.5", Some(Fen(-50))),
            ("18.9", Some(Fen(1890))),
            ("--5", None),
            ("-", None),
        ];
        for (text, expected) in table {
            assert_eq!(Fen::parse_signed_yuan(text), expected, "{text}");
        }
        for fen in [Fen(-500), Fen(1890), Fen(5), Fen(0)] {
            assert_eq!(Fen::parse_signed_yuan(&fen.yuan_text()), Some(fen));
        }
    }

    #[test]
    fn parse_yuan_table() {
        let table = [
            ("18", Some(Fen(1800))),
            ("18.9", Some(Fen(1890))),
            (" ¥18.90 ", Some(Fen(1890))),
            ("￥0.05", Some(Fen(5))),
            ("0", Some(Fen(0))),
            ("18.999", None),
            ("-5", None),
            ("", None),
            (".5", None),
            ("十八", None),
        ];
        for (text, expected) in table {
            assert_eq!(Fen::parse_yuan(text), expected, "{text:?}");
        }
    }

    #[test]
    fn display_table() {
        let table = [
            (Fen(1890), "¥18.90"),
            (Fen(1889), "¥18.89"),
            (Fen(500), "¥5"),
            (Fen(5), "¥0.05"),
            (Fen(0), "¥0"),
            (Fen(-50), "-¥0.50"),
        ];
        for (amount, shown) in table {
            assert_eq!(amount.to_string(), shown);
        }
    }

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!(Fen::from_yuan(18) + Fen(90), Fen(1890));
        assert_eq!(Fen(1890) - Fen(1), Fen(1889));
        assert_eq!([Fen(990), Fen(1000)].into_iter().sum::<Fen>(), Fen(1990));
    }

    #[test]
    fn serializes_as_plain_integer_fen() {
        assert_eq!(serde_json::to_string(&Fen(1890)).unwrap(), "1890");
        assert_eq!(serde_json::from_str::<Fen>("1890").unwrap(), Fen(1890));
        assert!(serde_json::from_str::<Fen>("18.9").is_err());
    }
}
