//! UI languages and bilingual messages for errors that cross the client/server boundary.

use serde::{Deserialize, Serialize};

/// A language the UI can be shown in. Simplified Chinese is the team's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Lang {
    #[default]
    ZhHans,
    En,
}

/// A message carried in both UI languages, so a rejection made on the server can be shown to
/// the user in whichever language they chose, even long after the request, and offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhHans => &self.zh,
            Lang::En => &self.en,
        }
    }
}
