//! Small helpers every panel uses.

/// Gives a widget without a visible label (a combo box) its accessible name, for screen readers and tests.
pub fn name_widget(response: &egui::Response, role: egui::Role, name: &str) {
    response.widget_info(|| egui::WidgetInfo::labeled(role, response.enabled(), name));
}
