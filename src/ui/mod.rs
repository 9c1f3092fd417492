//! The explorer's panels. Each draws from read-only state and returns what the user asked for as
//! [`Command`]s, which the app applies after drawing, so map, timeline and list stay in sync.
//!
//! - [`top_bar`], [`status_bar`]: menus, search and filters; counts and trouble;
//! - [`map`] and [`timeline`]: the two big views, folders of small files;
//! - [`event_list`], [`details`], [`reader`]: the events "now", the selected one, its sources;
//! - [`accounts`]: the accounts of one incident side by side; [`story`]: stories step by step;
//! - [`search`]: the search results over all dates;
//! - [`problems`], [`shortcuts`], [`columns`], [`export`]: windows; [`style`]: every colour; [`widgets`]: small helpers.

pub mod accounts;
pub mod columns;
pub mod command;
pub mod details;
pub mod editor;
pub mod event_list;
pub mod export;
pub mod map;
pub mod problems;
pub mod reader;
pub mod search;
pub mod shortcuts;
pub mod status_bar;
pub mod store_view;
pub mod story;
pub mod style;
pub mod timeline;
pub mod top_bar;
pub mod widgets;

pub use self::command::Command;
