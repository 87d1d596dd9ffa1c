//! Small pieces shown on every page.

pub mod banned_phrase_hint;
pub mod bar_chart;
pub mod chip_group;
pub mod error_fallback;
pub mod field_input;
pub mod lang_switch;
pub mod list_page;
pub mod lock_screen;
pub mod main_nav;
pub mod password_form;
pub mod photo;
pub mod photo_picker;
pub mod phrase_picker;
pub mod policy_version;
pub mod promise_tag;
pub mod reply_promise_choice;
pub mod session_ended;
pub mod status_badge;
pub mod storage_warning;
pub mod update_prompt;
pub mod update_required;
pub mod user_menu;
