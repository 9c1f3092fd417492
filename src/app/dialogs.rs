//! The platform's open dialog, run on its own thread so the window keeps drawing while it is
//! open; what the user picks comes back as [`Command::OpenPath`].

use std::path::PathBuf;
use std::sync::mpsc;

use crate::ui::Command;
use crate::ui::command::OpenDialog;

/// An open dialog waiting for the user.
#[derive(Debug)]
pub struct PendingDialog {
    receiver: mpsc::Receiver<Option<PathBuf>>,
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
                        .add_filter("Datasets and tile archives", &["geojson", "json", "pmtiles", "mbtiles"])
                        .add_filter("All files", &["*"])
                        .pick_file(),
                    OpenDialog::Folder => dialog.pick_folder(),
                };
                sender.send(picked).ok();
            })
            .ok()?;
        Some(Self { receiver })
    }

    /// The commands once the dialog has closed: that it closed, and to open what was picked.
    pub fn poll(&self) -> Vec<Command> {
        match self.receiver.try_recv() {
            Ok(picked) => std::iter::once(Command::DialogClosed).chain(picked.map(Command::OpenPath)).collect(),
            Err(mpsc::TryRecvError::Empty) => Vec::new(),
            Err(mpsc::TryRecvError::Disconnected) => vec![Command::DialogClosed],
        }
    }
}
