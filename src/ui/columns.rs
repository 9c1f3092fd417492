//! The column-mapping dialog: before a spreadsheet whose columns Kronika only guessed is loaded,
//! it shows the first rows and which column was taken for what, and lets the user change it.

use std::path::PathBuf;

use crate::io::formats::columns::{ColumnMapping, ColumnRole};
use crate::io::formats::csv::CsvPreview;
use crate::model::text::shorten;
use crate::ui::command::{Command, OpenRequest};
use crate::ui::widgets::name_widget;

/// Longest cell text shown in the preview.
const MAX_CELL_CHARS: usize = 32;
/// The roles in pairs, as the dialog lays them out.
const ROLE_ORDER: [ColumnRole; 11] = [
    ColumnRole::Start,
    ColumnRole::End,
    ColumnRole::Lat,
    ColumnRole::Lon,
    ColumnRole::Title,
    ColumnRole::Summary,
    ColumnRole::Category,
    ColumnRole::Place,
    ColumnRole::Id,
    ColumnRole::Time,
    ColumnRole::Source,
];

/// The dialog's state: the request waiting for its columns, the file shown and the mapping so far.
#[derive(Clone, Debug)]
pub struct ColumnDialog {
    /// What will be opened once the columns are confirmed.
    pub request: OpenRequest,
    /// The file previewed (the first of the request that needs columns).
    pub file: PathBuf,
    /// Its header and first rows.
    pub preview: CsvPreview,
    /// The mapping as guessed, then as the user changed it.
    pub mapping: ColumnMapping,
}

impl ColumnDialog {
    /// The dialog for `request`, showing `file` as `preview` with its guessed mapping.
    pub fn new(request: OpenRequest, file: PathBuf, preview: CsvPreview) -> Self {
        let mapping = preview.mapping.clone();
        Self { request, file, preview, mapping }
    }

    /// The request with the chosen columns, every role said (some as none).
    pub fn confirmed(&self) -> OpenRequest {
        let mut request = self.request.clone();
        request.options.columns = self.mapping.to_overrides();
        request
    }
}

/// Shows the dialog; returns the user's choices, the load, or the cancel.
pub fn columns_window(ctx: &egui::Context, dialog: &ColumnDialog) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    let name =
        dialog.file.file_name().map_or_else(|| dialog.file.display().to_string(), |n| n.to_string_lossy().into());
    egui::Window::new(format!("Columns of {}", shorten(&name, 60)))
        .id(egui::Id::unique("column_mapping"))
        .open(&mut open)
        .collapsible(false)
        .default_width(640.0)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .max_height(ctx.content_rect().height() * 0.85)
        .show(ctx, |ui| {
            ui.label(format!(
                "Kronika read this {} by guessing which column holds what. Check the first rows, change what is wrong, then load.",
                dialog.preview.format
            ));
            let others = dialog.request.paths.len().saturating_sub(1);
            if others > 0 {
                ui.weak(format!("The same columns are used for the other {others} file(s) opened with it."));
            }
            ui.add_space(4.0);
            role_choices(ui, dialog, &mut commands);
            missing_warnings(ui, &dialog.mapping);
            ui.add_space(4.0);
            ui.strong(format!("First {} rows", dialog.preview.rows.len()));
            preview_table(ui, dialog);
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("Load").clicked() {
                    commands.push(Command::OpenFiles(dialog.confirmed()));
                }
                if ui.button("Cancel").clicked() {
                    commands.push(Command::CancelColumns);
                }
            });
        });
    if !open {
        commands.push(Command::CancelColumns);
    }
    commands
}

/// A choice of column for every role, in two columns of the grid.
fn role_choices(ui: &mut egui::Ui, dialog: &ColumnDialog, commands: &mut Vec<Command>) {
    egui::Grid::new("column_roles").num_columns(4).spacing([12.0, 4.0]).show(ui, |ui| {
        for (i, role) in ROLE_ORDER.into_iter().enumerate() {
            ui.label(role.label());
            let current = dialog.mapping.get(role).map(str::to_owned);
            let mut chosen = current.clone();
            let response = egui::ComboBox::from_id_salt(("column_role", role.name()))
                .selected_text(shorten(chosen.as_deref().unwrap_or("(none)"), MAX_CELL_CHARS))
                .width(170.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut chosen, None, "(none)");
                    for header in &dialog.preview.headers {
                        ui.selectable_value(&mut chosen, Some(header.clone()), shorten(header, 60));
                    }
                });
            name_widget(&response.response, egui::Role::ComboBox, &format!("{} column", role.label()));
            if chosen != current {
                commands.push(Command::SetColumn { role, column: chosen });
            }
            if i % 2 == 1 {
                ui.end_row();
            }
        }
    });
}

/// What a load without some columns will lack, said before it happens.
fn missing_warnings(ui: &mut egui::Ui, mapping: &ColumnMapping) {
    let warn = |ui: &mut egui::Ui, text: &str| {
        ui.colored_label(ui.visuals().warn_fg_color, text);
    };
    if mapping.start.is_none() {
        warn(ui, "No start date column: no row can be placed in time, and every row will be reported.");
    }
    if mapping.lat.is_none() || mapping.lon.is_none() {
        warn(ui, "No latitude and longitude columns: rows are listed, but have no place on the map.");
    }
}

/// The header (with the role each column was taken for) and the first rows.
fn preview_table(ui: &mut egui::Ui, dialog: &ColumnDialog) {
    let roles_of = |header: &str| -> String {
        let roles: Vec<&str> = ColumnRole::ALL
            .into_iter()
            .filter(|&role| dialog.mapping.get(role) == Some(header))
            .map(ColumnRole::name)
            .collect();
        roles.join(", ")
    };
    egui::ScrollArea::both().max_height(220.0).auto_shrink([false, true]).show(ui, |ui| {
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        egui::Grid::new("column_preview").striped(true).spacing([14.0, 3.0]).show(ui, |ui| {
            for header in &dialog.preview.headers {
                ui.vertical(|ui| {
                    ui.strong(shorten(header, MAX_CELL_CHARS));
                    let roles = roles_of(header);
                    if roles.is_empty() {
                        ui.weak("kept as a field");
                    } else {
                        ui.colored_label(ui.visuals().hyperlink_color, format!("as {roles}"));
                    }
                });
            }
            ui.end_row();
            for row in &dialog.preview.rows {
                for cell in row {
                    ui.label(shorten(cell, MAX_CELL_CHARS)).on_hover_text(cell);
                }
                ui.end_row();
            }
        });
    });
}
