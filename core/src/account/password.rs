//! What a password must be before the server keeps its hash: long enough and not the username.
//! Whether it is a common password is the server's check too, against zxcvbn's lists, which are
//! too large to ship to every device; its refusal is told here so both sides word it alike.

use crate::lang::Bilingual;

/// Ten characters: long enough that a guesser the sign-in limit slows down gets nowhere, short
/// enough for a packer to type on a tablet.
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    SameAsUsername,
    /// Found in the lists of common passwords, names and words, or as easy to guess.
    Common,
    /// The one-time password an admin gave must be replaced by a new one.
    Unchanged,
}

impl PasswordProblem {
    pub fn message(self) -> Bilingual {
        match self {
            PasswordProblem::TooShort => Bilingual::new(
                format!("密码至少需要 {MIN_PASSWORD_CHARS} 个字符"),
                format!("A password needs at least {MIN_PASSWORD_CHARS} characters"),
            ),
            PasswordProblem::SameAsUsername => Bilingual::new(
                "密码不能包含用户名",
                "A password may not contain the username",
            ),
            PasswordProblem::Common => Bilingual::new(
                "这个密码太常见、容易被猜到，请换一个（可以用几个不相关的词组合）",
                "This password is common or easy to guess: choose another (a few unrelated words work well)",
            ),
            PasswordProblem::Unchanged => Bilingual::new(
                "新密码不能与原密码相同",
                "The new password must differ from the current one",
            ),
        }
    }
}

/// The checks a device can make as the user types, before the server's common-password check.
pub fn check_password(username: &str, password: &str) -> Result<(), PasswordProblem> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    let username = username.trim().to_lowercase();
    if !username.is_empty() && password.to_lowercase().contains(&username) {
        return Err(PasswordProblem::SameAsUsername);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_table() {
        let cases = [
            ("amy", "", Err(PasswordProblem::TooShort)),
            ("amy", "123456789", Err(PasswordProblem::TooShort)),
            // Counted in characters, not bytes: nine Chinese characters are too short.
            ("amy", "九个汉字的密码太短了", Ok(())),
            ("amy", "九个汉字的密码太短", Err(PasswordProblem::TooShort)),
            ("amy", "1234567890", Ok(())),
            ("amy", "river-lamp-cotton", Ok(())),
            (
                "amy",
                "Amy-river-lamp",
                Err(PasswordProblem::SameAsUsername),
            ),
            (
                " amy ",
                "xxamyxxxxxxx",
                Err(PasswordProblem::SameAsUsername),
            ),
            ("", "river-lamp-cotton", Ok(())),
        ];
        for (username, password, expected) in cases {
            assert_eq!(
                check_password(username, password),
                expected,
                "{username:?} {password:?}"
            );
        }
    }

    #[test]
    fn every_problem_is_told_in_both_languages() {
        for problem in [
            PasswordProblem::TooShort,
            PasswordProblem::SameAsUsername,
            PasswordProblem::Common,
            PasswordProblem::Unchanged,
        ] {
            let message = problem.message();
            assert!(!message.zh.is_empty() && !message.en.is_empty());
        }
    }
}
