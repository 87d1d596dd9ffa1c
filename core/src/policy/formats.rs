//! How clock times ("09:00") and UTC offsets ("+08:00") are written in a policy file.

/// `HH:MM`, the way a shop writes its opening hours; seconds would only invite typos.
pub mod clock_time {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(time: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&time.format("%H:%M"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        NaiveTime::parse_from_str(&text, "%H:%M").map_err(|_| {
            D::Error::custom(format!("\"{text}\" is not a time of day like \"09:00\""))
        })
    }
}

/// `+08:00`: shops keep one fixed offset (China has no daylight saving time).
pub mod utc_offset {
    use chrono::FixedOffset;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(
        offset: &FixedOffset,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(offset)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<FixedOffset, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(|_| {
            D::Error::custom(format!("\"{text}\" is not a UTC offset like \"+08:00\""))
        })
    }
}
