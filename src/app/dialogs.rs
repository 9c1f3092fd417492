//! The platform's open dialog, run on its own thread so the window keeps drawing while it is
//! open; what the user picks comes back as [`Command::OpenFiles`].

use std::path::PathBuf;
use std::sync::mpsc;

use crate::ui::Command;
use crate::ui::command::{OpenDialog, OpenRequest};

/// An open dialog waiting for the user.
#[derive(Debug)]
pub struct PendingDialog {
    receiver: mpsc::Receiver<Vec<PathBuf>>,
}

impl PendingDialog {
    /// Opens the dialog; `None` when no thread could be started for it.
    pub fn start(kind: OpenDialog) -> Option<Self> {
        let (sender, receiver) = mpsc::channel();
        std::thread::Builder::new()
            .name("open-dialog".into())
            .spawn(move || {
                let dialog = rfd::FileDialog::new().set_title("Open in Kronika");
                let picked = match kind {
                    OpenDialog::File => dialog
                        .add_filter(
                            "Data and tile archives",
                            &["geojson", "json", "csv", "tsv", "txt", "kml", "kmz", "pmtiles", "mbtiles"],
                        )
                        .add_filter("All files", &["*"])
                        .pick_files(),
                    OpenDialog::Folder => dialog.pick_folder().map(|folder| vec![folder]),
                };
                sender.send(picked.unwrap_or_default()).ok();
            })
            .ok()?;
        Some(Self { receiver })
    }

    /// The commands once the dialog has closed: that it closed, and to open what was picked.
    pub fn poll(&self) -> Vec<Command> {
        match self.receiver.try_recv() {
            Ok(picked) => std::iter::once(Command::DialogClosed)
                .chain((!picked.is_empty()).then(|| Command::OpenFiles(OpenRequest::paths(picked))))
                .collect(),
            Err(mpsc::TryRecvError::Empty) => Vec::new(),
            Err(mpsc::TryRecvError::Disconnected) => vec![Command::DialogClosed],
        }
    }
}
