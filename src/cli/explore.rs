//! `kronika --data clickhouse://…`: the explorer of events that live in ClickHouse.

use std::process::ExitCode;
use std::sync::Arc;

use crate::app::store_app::StoreApp;
use crate::io::LoadOptions;
use crate::io::clickhouse::{ClickHouseStore, ClickHouseUrl, ColumnMap};

/// The store of the table `url` names, its columns mapped by `--columns` when given.
///
/// # Errors
/// A wrong address or mapping, in words.
pub fn clickhouse_store(url: &str, options: &LoadOptions) -> Result<ClickHouseStore, String> {
    let columns =
        if options.columns.is_empty() { Ok(ColumnMap::default()) } else { ColumnMap::mapped(&options.columns) };
    let url = ClickHouseUrl::parse(url).map_err(|e| e.to_string())?;
    ClickHouseStore::new(url, columns?).map_err(|e| e.to_string())
}

/// Opens the window on the table `url` names (its columns mapped by `--columns` when it is not
/// Kronika's own table).
pub fn run(url: &str, options: &LoadOptions) -> ExitCode {
    let store = clickhouse_store(url, options);
    let store = match store {
        Ok(store) => store,
        Err(message) => {
            eprintln!("kronika: {message}");
            return ExitCode::from(2);
        }
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Kronika")
            .with_inner_size([1400.0, 880.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Kronika",
        options,
        Box::new(move |cc| {
            cc.egui_ctx.set_fonts(crate::ui::style::fonts());
            cc.egui_ctx.set_theme(egui::Theme::Light);
            let ctx = cc.egui_ctx.clone();
            Ok(Box::new(StoreApp::new(Arc::new(store), move || ctx.request_repaint())))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kronika: cannot open the window: {error}");
            ExitCode::from(1)
        }
    }
}
